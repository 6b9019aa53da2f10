import { isIP } from 'node:net';
import path from 'node:path';
import { type CallbackAllowList, parseAllowList } from './domain/callback-target.js';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from './domain/callback-retry.js';
import { canonicalTimezone } from './domain/center.js';
import { type CheckThresholds, DEFAULT_CHECK_THRESHOLDS, type GradeThresholds } from './domain/image-checks.js';
import { DEFAULT_PASSWORD_HASH_COST, MAX_PASSWORD_HASH_COST, MIN_PASSWORD_HASH_COST } from './security/secrets.js';
import { type S3BlobSettings, parseS3BlobUrl } from './storage/blob/s3-settings.js';
import { PACKAGE_ROOT } from './package-root.js';

/**
 * Every setting of the platform, read and validated once. Nothing else in the
 * code base reads `process.env`: pass a `Config` down instead.
 */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `sqlite:<file>` or `postgres://…`. */
  readonly databaseUrl: string;
  readonly blobDir: string;
  /** The S3 (or S3-compatible) bucket that holds the blobs, from `OPENRETINA_BLOB_URL`; null: the disk store under `blobDir`. */
  readonly s3Blobs: S3BlobSettings | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly tokenTtlSeconds: number;
  /**
   * How long a token's owner, once looked up, may answer reads without the database
   * (services/token-cache.ts): the longest a change made by another process goes unseen by reads here. 0: never.
   */
  readonly tokenCacheSeconds: number;
  /** Bytes of rendered report PDFs (and their base64 answers) kept in memory for downloads; 0: none. */
  readonly reportCacheBytes: number;
  /** After this long without a request, `serve` returns the memory its last burst used to the system once (cli/idle-memory.ts); 0: never. */
  readonly idleMemorySeconds: number;
  /** Lifetime of a person's login session. */
  readonly sessionTtlSeconds: number;
  /** log2 of scrypt's N for new password hashes; each stored hash keeps its own, so changing it never locks anyone out. */
  readonly passwordHashCost: number;
  /** Password hashes (scrypt) computed at once, each on its own worker thread, never on libuv's pool that file I/O uses. */
  readonly passwordHashConcurrency: number;
  readonly reading: { readonly turnaroundHours: number; readonly claimMinutes: number };
  readonly previews: PreviewSettings;
  readonly checks: CheckSettings;
  readonly intake: IntakeLimits;
  readonly auth: AuthLimits;
  readonly rateLimitPerMinute: number;
  /** Accept `access_token` in the query string and form bodies (the OPTretina SDK does). */
  readonly legacyTokenTransport: boolean;
  /**
   * Whose `X-Forwarded-*` to believe: nobody (false), the nearest N hops
   * whatever their addresses, or only proxies at these addresses, CIDRs or
   * named ranges (`loopback`, `linklocal`, `uniquelocal`).
   */
  readonly trustProxy: false | number | readonly string[];
  /** `/metrics` needs `Authorization: Bearer <this>`; null: it answers only to this machine (loopback). */
  readonly metricsToken: string | null;
  /** On SIGTERM, how long requests and jobs under way may take to finish before the process ends anyway. */
  readonly shutdownTimeoutMs: number;
  /** Mark the web app's session cookie Secure even when the request arrived as plain http (TLS ends at a proxy). */
  readonly secureCookies: boolean;
  /** The built web app (`npm run build:web`), served at /app/. */
  readonly webDir: string;
  /** A request's headers must all arrive within this (Node's `server.headersTimeout`). */
  readonly headersTimeoutMs: number;
  /** A whole request, body included, must arrive within this (Node's `server.requestTimeout`). */
  readonly requestTimeoutMs: number;
  /** No byte received or sent for this long during a request ends its connection (Node's `server.timeout`). */
  readonly idleTimeoutMs: number;
  readonly idempotencyKeyTtlHours: number;
  /** IANA time zone of centers that have none of their own: the dates and times of their reports. */
  readonly defaultTimezone: string;
  /** Print the demo organisation's credentials when the database is empty. */
  readonly seedDemo: boolean;
  readonly callbacks: CallbackSettings;
  /** Base64 or hex of 32 bytes sealing stored signing secrets; null: `<data dir>/secret.key`. */
  readonly secretKey: string | null;
  /** `serve` also runs the background workers (callback delivery, image previews). */
  readonly runWorkers: boolean;
  /**
   * At start-up, `serve` and `worker` remove the temporary files and unreferenced image and preview
   * blobs last modified before the process started. Only right when no other process writes to the blob store.
   */
  readonly startupSweep: boolean;
  readonly dicom: DicomSettings;
}

/** The DICOM network intake (C-STORE receiver), off unless a port is set. */
export interface DicomSettings {
  /** TCP port of the C-STORE receiver `serve` runs; null: no receiver. */
  readonly port: number | null;
  readonly host: string;
  /** A study becomes a case once nothing of it has arrived for this long (Orthanc's StableAge). */
  readonly stableSeconds: number;
  /** How often an idle study worker looks for quiet studies. */
  readonly pollMs: number;
}

export interface CallbackSettings {
  /** Hosts and networks callbacks may reach although they are not public (on-premise receivers, tests). */
  readonly allow: CallbackAllowList;
  readonly timeoutMs: number;
  /** Delay before each retry; the length is the number of retries. */
  readonly retryScheduleSeconds: readonly number[];
  /** How long a worker owns a claimed delivery before another may take it. */
  readonly leaseSeconds: number;
  /** Deliveries a worker sends at once. */
  readonly concurrency: number;
  /** How often an idle worker looks for due deliveries (it is also woken when events are recorded). */
  readonly pollMs: number;
  /** After a rotation, the old signing secret keeps signing this long. */
  readonly rotationGraceHours: number;
}

export interface IntakeLimits {
  readonly maxImageBytes: number;
  readonly maxImagesPerCase: number;
  readonly maxCaseBytes: number;
  /** Decompression-bomb guard: width × height above this is refused before decoding. */
  readonly maxImagePixels: number;
  readonly maxFieldBytes: number;
  readonly maxFields: number;
}

export interface PreviewSettings {
  /** How often an idle preview worker looks for due jobs (it is also woken when images are stored). */
  readonly pollMs: number;
  /** libvips threads for image work in this process: previews and PDF thumbnails. */
  readonly threads: number;
}

/** The automatic image checks (src/domain/image-checks.ts): their thresholds, and how long an upload may wait for them. */
export interface CheckSettings extends CheckThresholds {
  /** The longest `wait_for_checks` a `POST /cases` may ask for; a longer wait is cut to this. */
  readonly maxWaitMs: number;
}

/**
 * Failed `/authorize` and `/auth/login` attempts, counted in the database
 * (services/auth-throttle.ts): per account (client id, e-mail) and address
 * together, and per address alone with a higher ceiling.
 */
export interface AuthLimits {
  /** Attempts one account may fail from one address before it is locked out there. */
  readonly maxFailures: number;
  /** Attempts one address may fail, whatever the accounts, before it is locked out (spraying). */
  readonly maxAddressFailures: number;
  /** How long failures and lockouts are remembered after the last attempt or the end of the last lockout. */
  readonly failureWindowSeconds: number;
  /** The first lockout; each further one doubles it, up to `maxLockoutSeconds`. */
  readonly lockoutSeconds: number;
  readonly maxLockoutSeconds: number;
}

/** Documented settings: environment name, default and meaning (rendered into the README). */
export const SETTINGS = {
  OPENRETINA_HOST: ['127.0.0.1', 'interface to listen on'],
  OPENRETINA_PORT: ['8080', 'TCP port'],
  OPENRETINA_DATA_DIR: ['./data', 'where the embedded database and blobs live'],
  OPENRETINA_DATABASE_URL: ['sqlite:<data dir>/openretina.sqlite', 'sqlite:<path> or postgres://user@host/db'],
  OPENRETINA_BLOB_DIR: ['<data dir>/blobs', 'root of the disk blob store'],
  OPENRETINA_BLOB_URL: ['', 's3://bucket/prefix?endpoint=…&region=…&force_path_style=true: keep blobs in an S3 or S3-compatible bucket instead of on disk (credentials: the AWS SDK chain)'],
  OPENRETINA_LOG_LEVEL: ['info', 'pino level, or silent'],
  OPENRETINA_TOKEN_TTL_SECONDS: ['3600', 'lifetime of access tokens'],
  OPENRETINA_TOKEN_CACHE_SECONDS: [
    '5',
    "how long (0–5 s) a GET may rest on a token's owner looked up that long ago instead of asking the database; a token revoked or a center changed by another process sharing the database (another API process, the CLI) is seen by its reads this late at most, by its writes at once; 0 turns it off",
  ],
  OPENRETINA_REPORT_CACHE_BYTES: ['33554432', 'memory for recently downloaded report PDFs and their base64 answers (32 MiB), least recently used dropped first; 0 turns it off'],
  OPENRETINA_IDLE_MEMORY_SECONDS: ['5', 'after this many seconds without a request, one garbage collection returns to the system the memory the last requests used (about 30 MB after uploads); 0 turns it off'],
  OPENRETINA_SESSION_TTL_SECONDS: ['28800', "lifetime of a person's login session (8 h)"],
  OPENRETINA_PASSWORD_HASH_COST: [String(DEFAULT_PASSWORD_HASH_COST), "log2 of scrypt's N for new password hashes (17: OWASP's minimum, 128 MiB and about 0.4 s of CPU per hash on a small server)"],
  OPENRETINA_PASSWORD_HASH_CONCURRENCY: ['1', 'password hashes computed at once, each on its own worker thread (others wait in a queue); never on the thread pool file I/O uses'],
  OPENRETINA_READING_TURNAROUND_HOURS: ['48', 'a case is due this long after submission'],
  OPENRETINA_CLAIM_MINUTES: ['30', "how long a reader's claim on a case lasts unless renewed"],
  OPENRETINA_PREVIEW_POLL_MS: ['5000', 'how often an idle preview worker looks for due jobs (it is woken at once by uploads to its own process)'],
  OPENRETINA_PREVIEW_THREADS: ['1', 'libvips threads for making previews (one keeps a core free for the API)'],
  OPENRETINA_CHECK_MAX_WAIT_MS: ['10000', 'the longest wait_for_checks (query) or Wait-For-Checks (header) a POST /cases may ask for; longer waits are cut to it'],
  OPENRETINA_CHECK_FUNDUS_MIN_CIRCLE_FIT: [String(DEFAULT_CHECK_THRESHOLDS.fundusMinCircleFit), "fundus or not: share of the lit area's edge that lies on one circle, at least (a camera's round field of view)"],
  OPENRETINA_CHECK_FUNDUS_MIN_DARK_SURROUND: [String(DEFAULT_CHECK_THRESHOLDS.fundusMinDarkSurround), 'fundus or not: share of the picture outside that circle that is dark, at least'],
  OPENRETINA_CHECK_FUNDUS_MIN_LIT_SHARE: [String(DEFAULT_CHECK_THRESHOLDS.fundusMinLitShare), 'fundus or not: share of that circle (inside the picture) that is lit, at least (a field, not a ring or an arc)'],
  OPENRETINA_CHECK_COVERAGE: [pair(DEFAULT_CHECK_THRESHOLDS.coverage), 'quality, good,usable: share of the round field inside the picture, at least'],
  OPENRETINA_CHECK_UNDEREXPOSED: [pair(DEFAULT_CHECK_THRESHOLDS.underexposed), 'quality, good,usable: share of the field too dark to show detail (luminance under 10 %), at most'],
  OPENRETINA_CHECK_OVEREXPOSED: [pair(DEFAULT_CHECK_THRESHOLDS.overexposed), 'quality, good,usable: share of the field burnt out (luminance at 95 % or more), at most'],
  OPENRETINA_CHECK_SHARPNESS: [pair(DEFAULT_CHECK_THRESHOLDS.sharpness), "quality, good,usable: fine detail inside the field (the green channel's mean difference from its blur, per cent of its mean, with the field 512 px across, discounted for defocus), at least"],
  OPENRETINA_CHECK_RESOLUTION_PX: [pair(DEFAULT_CHECK_THRESHOLDS.resolutionPx), "quality, good,usable: the field's diameter in the original's pixels, at least"],
  OPENRETINA_CHECK_DISC_MIN_PROMINENCE: [String(DEFAULT_CHECK_THRESHOLDS.discMinProminence), "laterality: how far the optic disc must stand out from its ring (standard deviations of the field's brightness) to name an eye"],
  OPENRETINA_CHECK_DISC_MIN_MARGIN: [String(DEFAULT_CHECK_THRESHOLDS.discMinMargin), 'laterality: and how far above the brightest spot on the other half'],
  OPENRETINA_MAX_IMAGE_BYTES: ['41943040', 'largest accepted image file (40 MiB)'],
  OPENRETINA_MAX_IMAGES_PER_CASE: ['20', 'images a case may hold'],
  OPENRETINA_MAX_CASE_BYTES: ['209715200', 'total image bytes a case may hold (200 MiB), as stored: a DICOM file counts with the photograph taken from it'],
  OPENRETINA_MAX_IMAGE_PIXELS: ['100000000', 'largest width×height accepted'],
  OPENRETINA_MAX_FIELD_BYTES: ['65536', 'largest single form field'],
  OPENRETINA_AUTH_MAX_FAILURES: ['10', 'failed /authorize or /auth/login attempts per account (client id, e-mail) and address before that pair is locked out (429)'],
  OPENRETINA_AUTH_MAX_ADDRESS_FAILURES: ['100', 'failed attempts per address, whatever the accounts, before the address is locked out (spraying)'],
  OPENRETINA_AUTH_FAILURE_WINDOW_SECONDS: ['900', 'failures and lockouts are forgotten this long after the last attempt or lockout'],
  OPENRETINA_AUTH_LOCKOUT_SECONDS: ['60', 'the first lockout; each further one doubles'],
  OPENRETINA_AUTH_MAX_LOCKOUT_SECONDS: ['3600', 'the longest lockout'],
  OPENRETINA_RATE_LIMIT_PER_MINUTE: ['1200', 'requests per minute per token or IP'],
  OPENRETINA_LEGACY_TOKEN_TRANSPORT: ['true', 'accept access_token in query and form (OPTretina SDK)'],
  OPENRETINA_TRUST_PROXY: [
    'false',
    'behind a reverse proxy, whose X-Forwarded-* to believe: a comma list of the proxies\' addresses or CIDRs (or loopback, linklocal, uniquelocal), safest; or a hop count N (the N nearest hops, whatever their addresses: only when nothing but the proxy reaches the process); true means 1 (it trusted every hop before, which let a client forge its address)',
  ],
  OPENRETINA_SECURE_COOKIES: ['false', "always mark the web app's session cookie Secure (it is whenever the request is https)"],
  OPENRETINA_METRICS_TOKEN: ['', 'bearer token that /metrics (Prometheus) asks for; empty: /metrics answers only to this machine (loopback)'],
  OPENRETINA_SHUTDOWN_TIMEOUT_MS: ['30000', 'on SIGTERM: no new connections; requests (uploads) and background jobs under way get this long to finish'],
  OPENRETINA_WEB_DIR: ['<package>/dist/web', 'the built web app, served at /app/'],
  OPENRETINA_HEADERS_TIMEOUT_MS: ['20000', 'a request whose headers have not all arrived this long after it began is answered 408 and closed'],
  OPENRETINA_REQUEST_TIMEOUT_MS: ['300000', 'a request (body included: uploads) not all received this long after it began is answered 408 and closed'],
  OPENRETINA_IDLE_TIMEOUT_MS: ['30000', 'no byte received or sent for this long during a request closes the connection (408 when no answer has begun)'],
  OPENRETINA_IDEMPOTENCY_KEY_TTL_HOURS: ['24', 'how long Idempotency-Key answers are replayed'],
  OPENRETINA_DEFAULT_TIMEZONE: ['UTC', "IANA time zone (e.g. Europe/Madrid) of centers created without one: their reports' signing times and dates"],
  OPENRETINA_SEED_DEMO: ['true', 'create the demo organisation on an empty database'],
  OPENRETINA_WORKERS: ['true', '`serve` also runs the background workers (callback delivery, image previews)'],
  OPENRETINA_STARTUP_SWEEP: ['true', 'at start-up, remove temporary files and unreferenced image and preview blobs from before the process started; turn it off when several processes share the blob store (they keep the hourly sweep)'],
  OPENRETINA_SECRET_KEY: ['', 'base64/hex 32-byte key sealing webhook signing secrets; empty: <data dir>/secret.key (share it between machines)'],
  OPENRETINA_CALLBACK_ALLOW: ['', 'comma list of hosts, IPs or CIDRs callbacks may reach although private (e.g. 10.0.0.0/8)'],
  OPENRETINA_CALLBACK_TIMEOUT_MS: ['10000', 'time limit of one callback attempt'],
  OPENRETINA_CALLBACK_RETRY_SCHEDULE: [DEFAULT_RETRY_SCHEDULE_SECONDS.join(','), 'seconds before each retry (±20 % jitter); about three days'],
  OPENRETINA_CALLBACK_LEASE_SECONDS: ['90', 'how long a worker owns a claimed delivery (never less than nine time limits: it claims four times its concurrency at once, behind as many handed to its sender)'],
  OPENRETINA_CALLBACK_CONCURRENCY: ['8', 'deliveries a worker sends at once'],
  OPENRETINA_CALLBACK_POLL_MS: ['1000', 'how often an idle worker looks for due deliveries'],
  OPENRETINA_WEBHOOK_ROTATION_GRACE_HOURS: ['24', 'how long an old signing secret keeps signing after a rotation'],
  OPENRETINA_DICOM_PORT: ['', 'TCP port of the DICOM C-STORE receiver that serve runs (cameras and archives push images to a center\'s AE title); empty: no receiver'],
  OPENRETINA_DICOM_HOST: ['127.0.0.1', 'interface the DICOM receiver listens on; 0.0.0.0 for cameras on the network (DICOM travels unencrypted: keep it to a trusted network or a VPN)'],
  OPENRETINA_DICOM_STABLE_SECONDS: ['60', 'a study received over DICOM becomes one case once nothing of it has arrived for this long (Orthanc\'s StableAge)'],
  OPENRETINA_DICOM_POLL_MS: ['1000', 'how often an idle worker looks for quiet DICOM studies'],
} as const satisfies Record<string, readonly [string, string]>;

type SettingName = keyof typeof SETTINGS;

/** More hops than any real chain of proxies: a larger number is a mistake, not a deployment. */
const MAX_TRUSTED_HOPS = 16;
/** The named ranges Fastify's proxy-addr knows besides addresses and CIDRs. */
const NAMED_PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR (`10.0.0.0/8`, `fd00::/8`) or a named range, as Fastify's `trustProxy` list takes them. */
function isProxyAddress(entry: string): boolean {
  if (NAMED_PROXY_RANGES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A threshold pair as a setting: `good,usable`. */
function pair(t: GradeThresholds): string {
  return `${t.good},${t.usable}`;
}

export class ConfigError extends Error {}

export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Partial<Config> = {},
): Config {
  const problems: string[] = [];
  const raw = (name: SettingName): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const int = (name: SettingName, min: number, max: number): number => {
    const text = raw(name) ?? SETTINGS[name][0];
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
      return min;
    }
    return value;
  };
  const bool = (name: SettingName): boolean => {
    const text = (raw(name) ?? SETTINGS[name][0]).toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(text)) return true;
    if (['0', 'false', 'no', 'off'].includes(text)) return false;
    problems.push(`${name} must be true or false, got "${text}"`);
    return false;
  };

  const decimal = (name: SettingName, min: number, max: number): number => {
    const text = raw(name) ?? SETTINGS[name][0];
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || value < min || value > max) {
      problems.push(`${name} must be a number from ${min} to ${max}, got "${text}"`);
      return min;
    }
    return value;
  };
  /** `good,usable`; for a measure where lower is better, good is at most usable. */
  const grades = (name: SettingName, max: number, higherIsBetter: boolean): GradeThresholds => {
    const text = raw(name) ?? SETTINGS[name][0];
    const [good, usable, ...rest] = text.split(',').map((v) => v.trim());
    const values = [good, usable].map(Number);
    if (rest.length > 0 || ![good, usable].every((v) => v !== undefined && /^\d+(\.\d+)?$/.test(v)) || values.some((v) => v > max)) {
      problems.push(`${name} must be two numbers from 0 to ${max}, good then usable (e.g. "${SETTINGS[name][0]}"), got "${text}"`);
      return { good: 0, usable: 0 };
    }
    const [g, u] = values as [number, number];
    if (higherIsBetter ? g < u : g > u) problems.push(`${name}: the good threshold must be ${higherIsBetter ? 'at least' : 'at most'} the usable one, got "${text}"`);
    return { good: g, usable: u };
  };
  const timezone = (name: SettingName): string => {
    const text = raw(name) ?? SETTINGS[name][0];
    const zone = canonicalTimezone(text);
    if (zone === null) problems.push(`${name} must be an IANA time zone name such as Europe/Madrid or UTC, got "${text}"`);
    return zone ?? 'UTC';
  };
  const allowList = (): CallbackAllowList => {
    const parsed = parseAllowList((raw('OPENRETINA_CALLBACK_ALLOW') ?? '').split(','));
    if (parsed.invalid.length > 0) problems.push(`OPENRETINA_CALLBACK_ALLOW has entries that are not hosts, IPs or CIDRs: ${parsed.invalid.join(', ')}`);
    return parsed.allow;
  };
  const retrySchedule = (): readonly number[] => {
    const text = raw('OPENRETINA_CALLBACK_RETRY_SCHEDULE');
    if (text === undefined) return DEFAULT_RETRY_SCHEDULE_SECONDS;
    const delays = text.split(',').map((d) => Number(d.trim()));
    if (delays.some((d) => !Number.isFinite(d) || d < 0 || d > 7 * 24 * 3600) || delays.length > 50) {
      problems.push('OPENRETINA_CALLBACK_RETRY_SCHEDULE must be up to 50 comma-separated delays in seconds (0 to 7 days)');
      return DEFAULT_RETRY_SCHEDULE_SECONDS;
    }
    return delays;
  };

  const authLimits = (): AuthLimits => {
    const limits: AuthLimits = {
      maxFailures: int('OPENRETINA_AUTH_MAX_FAILURES', 1, 1_000_000),
      maxAddressFailures: int('OPENRETINA_AUTH_MAX_ADDRESS_FAILURES', 1, 1_000_000),
      failureWindowSeconds: int('OPENRETINA_AUTH_FAILURE_WINDOW_SECONDS', 1, 7 * 24 * 3600),
      lockoutSeconds: int('OPENRETINA_AUTH_LOCKOUT_SECONDS', 1, 24 * 3600),
      maxLockoutSeconds: int('OPENRETINA_AUTH_MAX_LOCKOUT_SECONDS', 1, 30 * 24 * 3600),
    };
    if (limits.maxAddressFailures < limits.maxFailures) {
      problems.push('OPENRETINA_AUTH_MAX_ADDRESS_FAILURES must be at least OPENRETINA_AUTH_MAX_FAILURES: it is the higher ceiling');
    }
    if (limits.maxLockoutSeconds < limits.lockoutSeconds) problems.push('OPENRETINA_AUTH_MAX_LOCKOUT_SECONDS must be at least OPENRETINA_AUTH_LOCKOUT_SECONDS');
    return limits;
  };

  const trustProxy = (): Config['trustProxy'] => {
    const name = 'OPENRETINA_TRUST_PROXY';
    const text = raw(name) ?? SETTINGS[name][0];
    const lower = text.toLowerCase();
    if (['0', 'false', 'no', 'off'].includes(lower)) return false;
    // `true` once meant every hop: a client behind a proxy that appends to X-Forwarded-For could then name any address (127.0.0.1 reached /metrics).
    if (['true', 'yes', 'on'].includes(lower)) return 1;
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops === 0) return false;
      if (hops <= MAX_TRUSTED_HOPS) return hops;
      problems.push(`${name} must be a hop count from 1 to ${MAX_TRUSTED_HOPS}, got "${text}"`);
      return false;
    }
    const entries = text.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !isProxyAddress(e));
    if (bad.length > 0) {
      problems.push(`${name} must be false, true, a hop count or a comma list of proxy addresses, CIDRs, loopback, linklocal or uniquelocal; not ${bad.map((b) => `"${b}"`).join(', ')}`);
      return false;
    }
    return Object.freeze(entries);
  };

  const dicomHost = (): string => {
    const host = raw('OPENRETINA_DICOM_HOST') ?? SETTINGS.OPENRETINA_DICOM_HOST[0];
    if (isIP(host) === 0) problems.push(`OPENRETINA_DICOM_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0, got "${host}"`);
    return host;
  };

  const dataDir = path.resolve(raw('OPENRETINA_DATA_DIR') ?? './data');
  const databaseUrl = raw('OPENRETINA_DATABASE_URL') ?? `sqlite:${path.join(dataDir, 'openretina.sqlite')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push('OPENRETINA_DATABASE_URL must start with sqlite: or postgres://');
  }
  const s3Blobs = (): S3BlobSettings | null => {
    const url = raw('OPENRETINA_BLOB_URL');
    if (url === undefined) return null;
    if (raw('OPENRETINA_BLOB_DIR') !== undefined) problems.push('OPENRETINA_BLOB_URL and OPENRETINA_BLOB_DIR name two blob stores: set one');
    const parsed = parseS3BlobUrl(url);
    if ('problems' in parsed) {
      problems.push(...parsed.problems);
      return null;
    }
    return parsed;
  };
  const logLevel = raw('OPENRETINA_LOG_LEVEL') ?? 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const isLevel = (v: string): v is Config['logLevel'] => (levels as readonly string[]).includes(v);
  if (!isLevel(logLevel)) problems.push(`OPENRETINA_LOG_LEVEL must be one of ${levels.join(', ')}`);

  const config: Config = {
    host: raw('OPENRETINA_HOST') ?? '127.0.0.1',
    port: int('OPENRETINA_PORT', 0, 65535),
    dataDir,
    databaseUrl,
    blobDir: path.resolve(raw('OPENRETINA_BLOB_DIR') ?? path.join(dataDir, 'blobs')),
    s3Blobs: s3Blobs(),
    logLevel: isLevel(logLevel) ? logLevel : 'info',
    tokenTtlSeconds: int('OPENRETINA_TOKEN_TTL_SECONDS', 60, 30 * 24 * 3600),
    sessionTtlSeconds: int('OPENRETINA_SESSION_TTL_SECONDS', 60, 30 * 24 * 3600),
    tokenCacheSeconds: int('OPENRETINA_TOKEN_CACHE_SECONDS', 0, 5),
    reportCacheBytes: int('OPENRETINA_REPORT_CACHE_BYTES', 0, 2 ** 34),
    idleMemorySeconds: int('OPENRETINA_IDLE_MEMORY_SECONDS', 0, 3600),
    passwordHashCost: int('OPENRETINA_PASSWORD_HASH_COST', MIN_PASSWORD_HASH_COST, MAX_PASSWORD_HASH_COST),
    passwordHashConcurrency: int('OPENRETINA_PASSWORD_HASH_CONCURRENCY', 1, 64),
    reading: {
      turnaroundHours: int('OPENRETINA_READING_TURNAROUND_HOURS', 1, 24 * 30),
      claimMinutes: int('OPENRETINA_CLAIM_MINUTES', 1, 24 * 60),
    },
    previews: Object.freeze({
      pollMs: int('OPENRETINA_PREVIEW_POLL_MS', 10, 3_600_000),
      threads: int('OPENRETINA_PREVIEW_THREADS', 1, 64),
    }),
    checks: Object.freeze({
      maxWaitMs: int('OPENRETINA_CHECK_MAX_WAIT_MS', 0, 60_000),
      fundusMinCircleFit: decimal('OPENRETINA_CHECK_FUNDUS_MIN_CIRCLE_FIT', 0, 1),
      fundusMinDarkSurround: decimal('OPENRETINA_CHECK_FUNDUS_MIN_DARK_SURROUND', 0, 1),
      fundusMinLitShare: decimal('OPENRETINA_CHECK_FUNDUS_MIN_LIT_SHARE', 0, 1),
      coverage: grades('OPENRETINA_CHECK_COVERAGE', 1, true),
      underexposed: grades('OPENRETINA_CHECK_UNDEREXPOSED', 1, false),
      overexposed: grades('OPENRETINA_CHECK_OVEREXPOSED', 1, false),
      sharpness: grades('OPENRETINA_CHECK_SHARPNESS', 1000, true),
      resolutionPx: grades('OPENRETINA_CHECK_RESOLUTION_PX', 100_000, true),
      discMinProminence: decimal('OPENRETINA_CHECK_DISC_MIN_PROMINENCE', 0, 100),
      discMinMargin: decimal('OPENRETINA_CHECK_DISC_MIN_MARGIN', 0, 100),
    }),
    intake: {
      maxImageBytes: int('OPENRETINA_MAX_IMAGE_BYTES', 1024, 2 ** 32),
      maxImagesPerCase: int('OPENRETINA_MAX_IMAGES_PER_CASE', 1, 200),
      maxCaseBytes: int('OPENRETINA_MAX_CASE_BYTES', 1024, 2 ** 40),
      maxImagePixels: int('OPENRETINA_MAX_IMAGE_PIXELS', 1, 2 ** 31),
      maxFieldBytes: int('OPENRETINA_MAX_FIELD_BYTES', 1024, 16 * 1024 * 1024),
      maxFields: 200,
    },
    auth: authLimits(),
    rateLimitPerMinute: int('OPENRETINA_RATE_LIMIT_PER_MINUTE', 1, 10_000_000),
    legacyTokenTransport: bool('OPENRETINA_LEGACY_TOKEN_TRANSPORT'),
    trustProxy: trustProxy(),
    secureCookies: bool('OPENRETINA_SECURE_COOKIES'),
    metricsToken: raw('OPENRETINA_METRICS_TOKEN') ?? null,
    shutdownTimeoutMs: int('OPENRETINA_SHUTDOWN_TIMEOUT_MS', 0, 3_600_000),
    webDir: path.resolve(raw('OPENRETINA_WEB_DIR') ?? path.join(PACKAGE_ROOT, 'dist/web')),
    headersTimeoutMs: int('OPENRETINA_HEADERS_TIMEOUT_MS', 1000, 600_000),
    requestTimeoutMs: int('OPENRETINA_REQUEST_TIMEOUT_MS', 1000, 3_600_000),
    idleTimeoutMs: int('OPENRETINA_IDLE_TIMEOUT_MS', 1000, 3_600_000),
    idempotencyKeyTtlHours: int('OPENRETINA_IDEMPOTENCY_KEY_TTL_HOURS', 1, 24 * 30),
    defaultTimezone: timezone('OPENRETINA_DEFAULT_TIMEZONE'),
    seedDemo: bool('OPENRETINA_SEED_DEMO'),
    runWorkers: bool('OPENRETINA_WORKERS'),
    startupSweep: bool('OPENRETINA_STARTUP_SWEEP'),
    secretKey: raw('OPENRETINA_SECRET_KEY') ?? null,
    dicom: Object.freeze({
      port: raw('OPENRETINA_DICOM_PORT') === undefined ? null : int('OPENRETINA_DICOM_PORT', 0, 65535),
      host: dicomHost(),
      stableSeconds: decimal('OPENRETINA_DICOM_STABLE_SECONDS', 0, 7 * 24 * 3600),
      pollMs: int('OPENRETINA_DICOM_POLL_MS', 10, 3_600_000),
    }),
    callbacks: {
      allow: allowList(),
      timeoutMs: int('OPENRETINA_CALLBACK_TIMEOUT_MS', 100, 120_000),
      retryScheduleSeconds: retrySchedule(),
      leaseSeconds: int('OPENRETINA_CALLBACK_LEASE_SECONDS', 1, 3600),
      concurrency: int('OPENRETINA_CALLBACK_CONCURRENCY', 1, 256),
      pollMs: int('OPENRETINA_CALLBACK_POLL_MS', 10, 3_600_000),
      rotationGraceHours: int('OPENRETINA_WEBHOOK_ROTATION_GRACE_HOURS', 0, 24 * 30),
    },
    ...overrides,
  };
  // Node refuses a server whose headers may take longer than the whole request.
  if (config.headersTimeoutMs > config.requestTimeoutMs) problems.push('OPENRETINA_HEADERS_TIMEOUT_MS must not exceed OPENRETINA_REQUEST_TIMEOUT_MS');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({ ...config, intake: Object.freeze(config.intake), auth: Object.freeze(config.auth), reading: Object.freeze(config.reading), callbacks: Object.freeze(config.callbacks) });
}
