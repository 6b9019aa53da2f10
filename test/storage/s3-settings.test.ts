import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { MIN_PART_SIZE, parseS3BlobUrl } from '../../src/storage/blob/s3-settings.js';

const problemsOf = (text: string) => {
  const parsed = parseS3BlobUrl(text);
  assert.ok('problems' in parsed, `${text} should be refused`);
  return parsed.problems.join('\n');
};

describe('OPENRETINA_BLOB_URL', () => {
  it('names a bucket, a prefix and how to reach an S3-compatible service', () => {
    assert.deepEqual(parseS3BlobUrl('s3://retina-blobs/clinic-a/blobs/?endpoint=http://127.0.0.1:9000&region=us-east-1&force_path_style=true&part_size=8388608&queue_size=2'), {
      bucket: 'retina-blobs',
      prefix: 'clinic-a/blobs/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
    });
    // AWS S3 itself: region and credentials from the SDK's chain, 5 MiB parts one at a time.
    assert.deepEqual(parseS3BlobUrl('s3://retina-blobs'), {
      bucket: 'retina-blobs',
      prefix: '',
      endpoint: null,
      region: null,
      forcePathStyle: false,
      partSize: MIN_PART_SIZE,
      queueSize: 1,
    });
    assert.equal((parseS3BlobUrl('s3://b.example/a//b/') as { prefix: string }).prefix, 'a/b/');
    assert.equal((parseS3BlobUrl(`s3://bkt?endpoint=${encodeURIComponent('https://s3.example.org:8443/')}`) as { endpoint: string }).endpoint, 'https://s3.example.org:8443/');
  });

  it('refuses what it cannot mean, saying why', () => {
    assert.match(problemsOf('/var/blobs'), /must be a URL/);
    assert.match(problemsOf('gs://bucket'), /must start with s3:\/\//);
    assert.match(problemsOf('s3://KEY:SECRET@bucket'), /must not carry credentials/);
    assert.match(problemsOf('s3:///prefix'), /must name a bucket/);
    assert.match(problemsOf('s3://bucket:9000'), /must name a bucket/);
    assert.match(problemsOf('s3://bucket/a b'), /key prefix/);
    assert.match(problemsOf('s3://bucket?endpoint=ftp://host'), /endpoint must be an http\(s\) URL/);
    assert.match(problemsOf('s3://bucket?endpoint=http://u:p@host'), /endpoint must be an http\(s\) URL without credentials/);
    assert.match(problemsOf('s3://bucket?region=EU West'), /region must be/);
    assert.match(problemsOf('s3://bucket?force_path_style=maybe'), /force_path_style must be true or false/);
    assert.match(problemsOf('s3://bucket?part_size=1048576'), /part_size must be an integer from 5242880/);
    assert.match(problemsOf('s3://bucket?queue_size=0'), /queue_size must be an integer from 1 to 16/);
    assert.match(problemsOf('s3://bucket?pathstyle=true'), /unknown parameter "pathstyle"/);
    assert.match(problemsOf('s3://bucket?region=a&region=b'), /repeats the parameter "region"/);
  });

  it('chooses the store in the configuration: unset, the disk store; both set, an error', () => {
    assert.equal(loadConfig({}).s3Blobs, null);
    const config = loadConfig({ OPENRETINA_BLOB_URL: 's3://retina-blobs/x?region=eu-west-1' });
    assert.deepEqual({ bucket: config.s3Blobs?.bucket, prefix: config.s3Blobs?.prefix, region: config.s3Blobs?.region }, { bucket: 'retina-blobs', prefix: 'x/', region: 'eu-west-1' });
    assert.throws(() => loadConfig({ OPENRETINA_BLOB_URL: 's3://retina-blobs', OPENRETINA_BLOB_DIR: '/var/blobs' }), (error) => error instanceof ConfigError && /name two blob stores/.test(error.message));
    assert.throws(() => loadConfig({ OPENRETINA_BLOB_URL: 's3://retina-blobs?part_size=1' }), /OPENRETINA_BLOB_URL: part_size/);
  });
});
