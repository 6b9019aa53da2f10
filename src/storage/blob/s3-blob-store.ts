import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type BlobSource, type BlobStore, BlobNotFoundError, type ByteRange, type PutOptions, type StoredBlob, assertValidKey, assertValidRange, isValidKey } from './blob-store.js';
import type { S3BlobSettings } from './s3-settings.js';

/** How long a readiness probe (`checkWritable`) may take before the store counts as not ready. */
const PROBE_TIMEOUT_MS = 10_000;
/**
 * The object `checkWritable` writes and removes. Not a valid blob key (it
 * starts with a dot), so `list` never shows it, nor does housekeeping touch it.
 */
const PROBE_KEY = '.openretina-writable';

/** What uploads into one store hold in memory: bytes taken from their sources that the service has not yet acknowledged. */
export interface UploadMemory {
  /** Held now, by every upload under way together. */
  readonly held: number;
  /** The most held at once since the store was made (or `resetPeak`). */
  readonly peak: number;
}

/**
 * Blobs as objects of one bucket, under one key prefix, on AWS S3 or any
 * S3-compatible service (AWS SDK v3).
 *
 * - `put` streams: the source goes to `@aws-sdk/lib-storage`'s `Upload`, which
 *   gathers one part (`partSize`, 5 MiB by default) at a time and sends it;
 *   `queueSize` parts go at once. So an upload holds about `partSize ×
 *   queueSize` bytes whatever the image's size (a blob smaller than a part
 *   goes as one PutObject of that part). The SHA-256 and size are computed as
 *   the chunks pass. `memory` counts what uploads hold.
 * - Atomic for readers: S3 publishes an object whole, at the end of its
 *   PutObject or CompleteMultipartUpload, or not at all. A source that fails
 *   makes `Upload` abort its multipart upload; one a crash interrupted stays
 *   invisible until `sweepUnfinishedWrites` aborts it (or a bucket lifecycle
 *   rule, `AbortIncompleteMultipartUpload`, does).
 * - Checksums are sent only where S3 requires them (`WHEN_REQUIRED`): many
 *   S3-compatible services refuse the SDK's newer default (aws-chunked bodies
 *   with trailing CRC32). Each request's payload is still signed with its
 *   SHA-256 (SigV4), which the service checks.
 */
export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  private held = 0;
  private peak = 0;

  constructor(
    readonly settings: S3BlobSettings,
    client?: S3Client,
  ) {
    this.client =
      client ??
      new S3Client({
        ...(settings.region !== null ? { region: settings.region } : {}),
        ...(settings.endpoint !== null ? { endpoint: settings.endpoint } : {}),
        forcePathStyle: settings.forcePathStyle,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        // No limit on a request as a whole (a download to a slow client takes its time), but on silence:
        // a connection that sends nothing either way for two minutes is dead.
        requestHandler: {
          connectionTimeout: 10_000,
          requestTimeout: 120_000,
          httpAgent: { keepAlive: true, maxSockets: 128 },
          httpsAgent: { keepAlive: true, maxSockets: 128 },
        },
      });
  }

  get memory(): UploadMemory {
    return { held: this.held, peak: this.peak };
  }

  /** Starts counting `memory.peak` afresh (tests, benchmarks). */
  resetPeak(): void {
    this.peak = this.held;
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.settings.prefix + key;
  }

  private take(bytes: number): void {
    this.held += bytes;
    if (this.held > this.peak) this.peak = this.held;
  }

  async put(key: string, source: BlobSource, options: PutOptions = {}): Promise<StoredBlob> {
    const Key = this.objectKey(key);
    const hash = (options.digest ?? true) ? createHash('sha256') : null;
    let size = 0;
    // This upload's share of `held`: taken from the source, then given back as the service acknowledges it.
    let taken = 0;
    let given = 0;
    const give = (upTo: number) => {
      if (upTo > given) {
        this.held -= upTo - given;
        given = upTo;
      }
    };
    const take = (bytes: number) => {
      taken += bytes;
      this.take(bytes);
    };
    // The source's own error (a client gone, a refused image) is what the caller must see, even if aborting the upload failed too.
    let sourceError: { error: unknown } | null = null;
    async function* metered(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of source) {
          hash?.update(chunk);
          size += chunk.length;
          take(chunk.length);
          yield chunk;
        }
      } catch (error) {
        // Only the source throws here: the stream above ends this generator with return(), never throw().
        sourceError = { error };
        throw error;
      }
    }
    // One chunk read ahead at most: the parts being gathered and sent are what the upload holds.
    const body = Readable.from(metered(), { highWaterMark: 1 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key, Body: body },
      partSize: this.settings.partSize,
      queueSize: this.settings.queueSize,
    });
    // `loaded`: bytes of the parts the service has acknowledged.
    upload.on('httpUploadProgress', ({ loaded }) => {
      if (loaded !== undefined) give(Math.min(loaded, taken));
    });
    try {
      await upload.done();
    } catch (error) {
      throw sourceError ? (sourceError as { error: unknown }).error : error;
    } finally {
      give(taken);
      body.destroy();
    }
    return { size, sha256: hash ? hash.digest('hex') : null };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const Key = this.objectKey(key);
    if (range) assertValidRange(range);
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key, ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}) }),
      );
      if (!(out.Body instanceof Readable)) throw new Error(`GetObject of ${Key} gave no stream`);
      return out.Body;
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key);
      // The object exists (absent would be a 404) and the range starts past its end.
      if (range && statusOf(error) === 416) return Readable.from([]);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Every key under `prefix` (a folder: `images` lists `images/…`, never `images2/…`), page by page. */
  async *list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }> {
    const folder = prefix.replace(/\/$/, '');
    if (folder !== '') assertValidKey(folder);
    const Prefix = this.settings.prefix + (folder === '' ? '' : `${folder}/`);
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.settings.bucket, Prefix })) {
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || !object.Key.startsWith(this.settings.prefix)) continue;
        const key = object.Key.slice(this.settings.prefix.length);
        // Not ours: the readiness probe, or what someone else put under the prefix.
        if (!isValidKey(key)) continue;
        yield { key, modifiedAt: object.LastModified ?? new Date(0) };
      }
    }
  }

  /** Aborts the multipart uploads under the prefix that were started more than `olderThanMs` before `now` and never completed. */
  async sweepUnfinishedWrites(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.settings.bucket,
          ...(this.settings.prefix !== '' ? { Prefix: this.settings.prefix } : {}),
          ...(KeyMarker !== undefined ? { KeyMarker } : {}),
          ...(UploadIdMarker !== undefined ? { UploadIdMarker } : {}),
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key === undefined || upload.UploadId === undefined || upload.Initiated === undefined) continue;
        if (now - upload.Initiated.getTime() <= olderThanMs) continue;
        try {
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.settings.bucket, Key: upload.Key, UploadId: upload.UploadId }));
          removed++;
        } catch (error) {
          // Completed or aborted since it was listed.
          if (!isNotFound(error)) throw error;
        }
      }
      if (!page.IsTruncated || (page.NextKeyMarker === undefined && page.NextUploadIdMarker === undefined)) return removed;
      KeyMarker = page.NextKeyMarker;
      UploadIdMarker = page.NextUploadIdMarker;
    }
  }

  /** Writes and removes a small object: the credentials may write to the bucket, and the service answers, now. */
  async checkWritable(): Promise<void> {
    const Key = this.settings.prefix + PROBE_KEY;
    const abortSignal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key, Body: new Uint8Array(0), ContentLength: 0 }), { abortSignal });
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key }), { abortSignal });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`cannot write to s3://${this.settings.bucket}/${this.settings.prefix}: ${reason}`);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/** The key or upload is absent (a missing bucket is an error of its own, never "not found"). */
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchUpload' || statusOf(error) === 404;
}
