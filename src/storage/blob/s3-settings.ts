/**
 * Where an S3 blob store keeps its objects, parsed from one URL
 * (`OPENRETINA_BLOB_URL`):
 *
 *     s3://<bucket>[/<prefix>][?endpoint=<http(s) URL>&region=<region>&force_path_style=true&part_size=<bytes>&queue_size=<n>]
 *
 * Credentials never travel in it: the AWS SDK finds them as it always does
 * (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and the shared
 * files, web identity, ECS or EC2 instance roles).
 */
export interface S3BlobSettings {
  readonly bucket: string;
  /** Put before every key: `''` or segments ending in `/` (`clinic-a/blobs/`). */
  readonly prefix: string;
  /** An S3-compatible service (MinIO, Ceph, Garage, R2, …); null: AWS S3 itself. */
  readonly endpoint: string | null;
  /** null: the SDK's own (AWS_REGION, the profile). */
  readonly region: string | null;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (most self-hosted services need it). */
  readonly forcePathStyle: boolean;
  /** Bytes of one multipart part: what one upload holds in memory before sending it (S3's minimum, 5 MiB, by default). */
  readonly partSize: number;
  /** Parts of one upload sent at once; each holds a part in memory. */
  readonly queueSize: number;
}

export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
const PARAMETERS = ['endpoint', 'region', 'force_path_style', 'part_size', 'queue_size'] as const;
/** S3's rule for new buckets, loosened to what older and compatible services accept (capitals, underscores). */
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9._-]+$/;

/** The settings `text` names, or the problems with it (each a sentence naming the setting). */
export function parseS3BlobUrl(text: string, name = 'OPENRETINA_BLOB_URL'): S3BlobSettings | { problems: string[] } {
  const problems: string[] = [];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problems: [`${name} must be a URL such as s3://bucket/prefix?region=eu-west-1, got "${text}"`] };
  }
  if (url.protocol !== 's3:') problems.push(`${name} must start with s3:// (the only object store there is), got "${url.protocol}"`);
  if (url.username !== '' || url.password !== '') problems.push(`${name} must not carry credentials: the AWS SDK reads them from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or an instance role`);
  if (url.hash !== '') problems.push(`${name} must not have a #fragment`);
  const bucket = url.hostname;
  if (!BUCKET.test(bucket) || url.port !== '') problems.push(`${name} must name a bucket after s3:// (letters, digits, '.', '-', '_'), got "${url.host}"`);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (segments.some((s) => !PREFIX_SEGMENT.test(s) || s === '.' || s === '..')) {
    problems.push(`${name}: the key prefix after the bucket is made of segments of letters, digits, '.', '-' and '_', got "${url.pathname}"`);
  }
  const params = url.searchParams;
  for (const key of new Set(params.keys())) {
    if (!(PARAMETERS as readonly string[]).includes(key)) problems.push(`${name} has an unknown parameter "${key}" (known: ${PARAMETERS.join(', ')})`);
    else if (params.getAll(key).length > 1) problems.push(`${name} repeats the parameter "${key}"`);
  }
  const endpoint = params.get('endpoint');
  if (endpoint !== null) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(endpoint);
    } catch {
      // reported below
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.username !== '' || parsed.password !== '') {
      problems.push(`${name}: endpoint must be an http(s) URL without credentials, such as http://127.0.0.1:9000, got "${endpoint}"`);
    }
  }
  const region = params.get('region');
  if (region !== null && !/^[a-z0-9-]{1,64}$/.test(region)) problems.push(`${name}: region must be a region name such as eu-west-1, got "${region}"`);
  const flag = params.get('force_path_style');
  let forcePathStyle = false;
  if (flag !== null) {
    if (['true', '1', 'yes', 'on'].includes(flag.toLowerCase())) forcePathStyle = true;
    else if (!['false', '0', 'no', 'off'].includes(flag.toLowerCase())) problems.push(`${name}: force_path_style must be true or false, got "${flag}"`);
  }
  const integer = (key: 'part_size' | 'queue_size', min: number, max: number, fallback: number): number => {
    const value = params.get(key);
    if (value === null) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name}: ${key} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return n;
  };
  const partSize = integer('part_size', MIN_PART_SIZE, MAX_PART_SIZE, MIN_PART_SIZE);
  const queueSize = integer('queue_size', 1, 16, 1);
  if (problems.length > 0) return { problems };
  return Object.freeze({
    bucket,
    prefix: segments.map((s) => `${s}/`).join(''),
    endpoint,
    region,
    forcePathStyle,
    partSize,
    queueSize,
  });
}
