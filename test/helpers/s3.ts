import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { ListMultipartUploadsCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { S3BlobSettings } from '../../src/storage/blob/s3-settings.js';

/**
 * A local S3-compatible server for the tests: s3rver (npm, pure JavaScript),
 * started in this process on 127.0.0.1 at a free port, over a temporary
 * folder of its own, with one bucket. Each suite uses its own key prefix.
 *
 * s3rver 3.7 lacks two things S3 has, which this harness adds in front of it:
 * - ListMultipartUploads and AbortMultipartUpload (the blob store's sweep of
 *   unfinished writes), from the folder where s3rver keeps uploads under way;
 * - atomic, complete writes: s3rver writes an object in place and answers
 *   before its file is flushed, so a reader could see part of it. Here an
 *   object or part is written to a temporary file, closed, then renamed.
 *
 * The store finds its credentials as in production, through the AWS SDK's
 * chain: this process's environment gets s3rver's fixed key pair (so the
 * chain never goes looking further, e.g. at an instance-metadata address).
 * Without s3rver, the S3 suites are skipped with a visible message; under CI
 * they fail.
 */
export interface TestS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** A client of the test bucket, to look at what the store left there. */
  readonly client: S3Client;
  /** Settings of a store under `prefix` (`''` or ending in `/`) of the test bucket. */
  settings(prefix: string, overrides?: Partial<S3BlobSettings>): S3BlobSettings;
  /** The same as `OPENRETINA_BLOB_URL`. */
  blobUrl(prefix: string): string;
  /** Every object key of the bucket under `prefix`, sorted. */
  objectKeys(prefix: string): Promise<string[]>;
  /** The keys of the multipart uploads under way under `prefix`. */
  uploadKeys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export const TEST_BUCKET = 'openretina-test';
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';
const REQUIRE_S3 = process.env.CI === 'true';

/** A fresh prefix, so suites sharing the bucket never see each other's keys. */
export function uniquePrefix(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}/`;
}

/** What the harness adds to s3rver; `multipartListing: false` leaves s3rver as it comes there (NotImplemented), as some S3-compatible stores are. */
export interface TestS3Options {
  readonly multipartListing?: boolean;
}

export async function startTestS3(options: TestS3Options = {}): Promise<TestS3> {
  process.env.AWS_ACCESS_KEY_ID = ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const { default: S3rver } = await import('s3rver');
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: TEST_BUCKET, configs: [] }] });
  completeS3rver(server as unknown as S3rverInternals, options);
  let address;
  try {
    address = await server.run();
  } catch (error) {
    await fs.rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const settings = (prefix: string, overrides: Partial<S3BlobSettings> = {}): S3BlobSettings => ({
    bucket: TEST_BUCKET,
    prefix,
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    partSize: 5 * 1024 * 1024,
    queueSize: 1,
    ...overrides,
  });
  return {
    endpoint,
    bucket: TEST_BUCKET,
    client,
    settings,
    blobUrl: (prefix) => `s3://${TEST_BUCKET}/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&force_path_style=true`,
    async objectKeys(prefix) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client }, { Bucket: TEST_BUCKET, Prefix: prefix })) {
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      }
      return keys.sort();
    },
    async uploadKeys(prefix) {
      const page = await client.send(new ListMultipartUploadsCommand({ Bucket: TEST_BUCKET, Prefix: prefix }));
      return (page.Uploads ?? []).map((u) => u.Key ?? '').sort();
    },
    async close() {
      client.destroy();
      const http = (server as unknown as { httpServer?: Server }).httpServer;
      http?.closeAllConnections();
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

/** Whether s3rver starts here, and why not; asked once per test file, before its suites are declared. */
const unavailable: string | null = await startTestS3().then(
  async (s3) => {
    await s3.close();
    return null;
  },
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);
if (unavailable !== null && !REQUIRE_S3) {
  process.stderr.write(`\n*** The local S3 server (s3rver) cannot start: the S3 runs of this file are SKIPPED (${unavailable}) ***\n\n`);
}

/**
 * Declares `suite` with a local S3 server started before it and stopped
 * after it. Skipped, visibly, when s3rver cannot start here; failing under CI.
 */
export function describeWithS3(title: string, suite: (s3: () => TestS3) => void, options: TestS3Options = {}): void {
  if (unavailable !== null) {
    // A test of its own, so the run's summary counts it as skipped (or failed, under CI).
    describe(title, () => {
      if (REQUIRE_S3) {
        it('needs the local S3 server', () => {
          throw new Error(`the local S3 server (s3rver) is required (CI) but cannot start: ${unavailable}`);
        });
      } else {
        it('needs the local S3 server', { skip: `the local S3 server (s3rver) cannot start: ${unavailable}` }, () => {});
      }
    });
    return;
  }
  describe(title, () => {
    let s3: TestS3 | undefined;
    before(async () => {
      s3 = await startTestS3(options);
    });
    after(() => s3?.close());
    suite(() => {
      if (!s3) throw new Error('the S3 server is not started yet');
      return s3;
    });
  });
}

// ---- What the harness adds to s3rver -------------------------------------------------------------

interface S3rverInternals {
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
  store: S3rverStore;
}

interface S3rverStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: unknown }): Promise<{ size: number; md5: string }>;
  putPart(bucket: string, uploadId: string, partNumber: number | string, content: Readable): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<{ content: Readable | null; range?: { start: number; end: number } } | null>;
}

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  type: string;
}

function completeS3rver(server: S3rverInternals, options: TestS3Options): void {
  const store = server.store;
  const uploadsOf = (bucket: string) => store.getResourcePath(bucket, undefined, 'uploads');

  // Objects and parts: to a temporary file, flushed and closed, then renamed into place.
  store.putObject = async function putObject(object) {
    const target = store.getResourcePath(object.bucket, object.key, 'object');
    const { temp, size, md5 } = await writeTemp(target, object.content);
    // The metadata first: until the rename a reader finds no object (new key) or the old one whole.
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    await fs.rename(temp, target);
    return { size, md5 };
  };
  store.putPart = async function putPart(bucket, uploadId, partNumber, content) {
    const target = path.join(uploadsOf(bucket), uploadId, String(partNumber));
    const { temp, size, md5 } = await writeTemp(target, content);
    await fs.writeFile(`${target}.md5`, md5);
    await fs.rename(temp, target);
    return { size, md5 };
  };

  // s3rver reads `Range: bytes=0-0` as the whole object (an end of 0 counts as none) while announcing one byte.
  const getObject = store.getObject.bind(store);
  store.getObject = async function getFirstByte(bucket, key, options) {
    if (options?.end !== 0 || options.start !== 0) return getObject(bucket, key, options);
    const object = await getObject(bucket, key, { start: 0 });
    if (object?.content) {
      object.content.destroy();
      object.content = createReadStream(store.getResourcePath(bucket, key, 'object'), { start: 0, end: 0 });
      object.range = { start: 0, end: 0 };
    }
    return object;
  };

  server.middleware.unshift(async (ctx, next) => {
    const [bucket, ...rest] = ctx.path.split('/').slice(1).map(decodeURIComponent);
    if (bucket === undefined || bucket === '') return next();
    const key = rest.join('/');
    if (ctx.method === 'GET' && key === '' && 'uploads' in ctx.query && options.multipartListing !== false) {
      ctx.type = 'application/xml';
      ctx.body = await listMultipartUploads(uploadsOf(bucket), bucket, ctx.query);
      return;
    }
    const uploadId = ctx.query.uploadId;
    if (ctx.method === 'DELETE' && key !== '' && typeof uploadId === 'string') {
      const dir = path.join(uploadsOf(bucket), path.basename(uploadId));
      const owner = await fs.readFile(path.join(dir, 'key'), 'utf8').catch(() => null);
      if (owner !== key) {
        ctx.status = 404;
        ctx.type = 'application/xml';
        ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${xml(uploadId)}</UploadId></Error>`;
        return;
      }
      await fs.rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    return next();
  });
}

async function writeTemp(target: string, content: Buffer | Readable): Promise<{ temp: string; size: number; md5: string }> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${randomUUID()}.partial`;
  const hash = createHash('md5');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Buffer.isBuffer(content) ? Readable.from([content]) : content, count, createWriteStream(temp));
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return { temp, size, md5: hash.digest('hex') };
}

/** ListMultipartUploads over s3rver's folder of uploads under way: prefix, markers and max-uploads, in key then upload id order. */
async function listMultipartUploads(folder: string, bucket: string, query: KoaContext['query']): Promise<string> {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
  const prefix = text('prefix');
  const keyMarker = text('key-marker');
  const uploadIdMarker = text('upload-id-marker');
  const maxUploads = Math.min(1000, Number(text('max-uploads') || 1000));
  const uploads: { key: string; uploadId: string; initiated: Date }[] = [];
  for (const uploadId of await fs.readdir(folder).catch(() => [] as string[])) {
    const keyFile = path.join(folder, uploadId, 'key');
    const [key, stat] = await Promise.all([fs.readFile(keyFile, 'utf8').catch(() => null), fs.stat(keyFile).catch(() => null)]);
    if (key === null || stat === null || !key.startsWith(prefix)) continue;
    if (keyMarker !== '' && (key < keyMarker || (key === keyMarker && (uploadIdMarker === '' || uploadId <= uploadIdMarker)))) continue;
    uploads.push({ key, uploadId, initiated: stat.mtime });
  }
  uploads.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.uploadId < b.uploadId ? -1 : 1));
  const page = uploads.slice(0, maxUploads);
  const truncated = uploads.length > page.length;
  const last = page.at(-1);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Bucket>${xml(bucket)}</Bucket><KeyMarker>${xml(keyMarker)}</KeyMarker><UploadIdMarker>${xml(uploadIdMarker)}</UploadIdMarker>`,
    truncated && last ? `<NextKeyMarker>${xml(last.key)}</NextKeyMarker><NextUploadIdMarker>${xml(last.uploadId)}</NextUploadIdMarker>` : '',
    `<Prefix>${xml(prefix)}</Prefix><MaxUploads>${maxUploads}</MaxUploads><IsTruncated>${truncated}</IsTruncated>`,
    ...page.map(
      (u) =>
        `<Upload><Key>${xml(u.key)}</Key><UploadId>${u.uploadId}</UploadId><StorageClass>STANDARD</StorageClass><Initiated>${u.initiated.toISOString()}</Initiated></Upload>`,
    ),
    '</ListMultipartUploadsResult>',
  ].join('');
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
