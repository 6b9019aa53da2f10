import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { IMAGE_VARIANTS, type ImageVariant, type JobOutcome, PREVIEW_MAX_ATTEMPTS, outcomeAfterFailure } from '../domain/preview.js';
import { renderVariants } from '../media/preview-renderer.js';
import type { NewVariant } from '../storage/repositories/preview.repository.js';
import { digestOf } from '../storage/blob/blob-store.js';
import type { ServiceContext } from './context.js';

/**
 * How long a worker holds a job. Rendering a 100-megapixel original takes a
 * few seconds; the lease only matters when a worker dies mid-job.
 */
const LEASE_MS = 5 * 60_000;

export interface PreviewRun {
  readonly imageId: number;
  readonly outcome: JobOutcome['state'];
  /** Attempts including this one. */
  readonly attempts: number;
  /** Time spent reading, rendering and storing. */
  readonly ms: number;
  /** Why the attempt failed (a decoder's message; never patient data). */
  readonly error: string | null;
}

/** Where a variant's bytes live: generated, never from a client. */
export function variantBlobKey(imageId: number, variant: ImageVariant): string {
  return `previews/${imageId}/${variant}.jpg`;
}

/** The image whose variant a blob key of `variantBlobKey` holds; null for any other key. */
export function imageOfVariantBlobKey(key: string): number | null {
  const match = /^previews\/(\d+)\//.exec(key);
  return match ? Number(match[1]) : null;
}

/** Making the reading variants of stored images, one job at a time. */
export class PreviewService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Claims one due job and runs it to an outcome: `ready`, `pending` again
   * (to retry after a backoff) or `failed`. Null when no job was due. Safe to
   * run again after a crash: blob keys are fixed per image and variant, and
   * the rows are upserted.
   */
  async runNext(): Promise<PreviewRun | null> {
    const { db, repos } = this.ctx;
    const [lease] = await repos.previews.claimNext(db, this.ctx.now(), LEASE_MS);
    if (!lease) return null;
    const started = performance.now();
    let outcome: JobOutcome;
    let error: string | null = null;
    if (lease.attempts > PREVIEW_MAX_ATTEMPTS) {
      // Earlier attempts never settled: the worker died on this image each time.
      outcome = { state: 'failed' };
      error = 'gave up: earlier attempts did not finish';
    } else {
      try {
        const variants = await this.render(lease.id);
        const now = this.ctx.now().toISOString();
        outcome = { state: 'ready' };
        await db.transaction().execute(async (trx) => {
          await repos.previews.saveVariants(trx, lease.id, variants, now);
          await repos.previews.settle(trx, lease, outcome, now, null);
        });
      } catch (failure) {
        outcome = outcomeAfterFailure(lease.attempts, this.ctx.now());
        error = (failure instanceof Error ? failure.message : String(failure)).slice(0, 500);
      }
    }
    if (outcome.state !== 'ready') await repos.previews.settle(db, lease, outcome, this.ctx.now().toISOString(), error);
    return { imageId: lease.id, outcome: outcome.state, attempts: lease.attempts, ms: Math.round(performance.now() - started), error };
  }

  /**
   * Resolves once no upload is streaming into this process, or after `maxMs`:
   * a worker waits for it before each job, so previews use the time between
   * uploads and a flood of uploads still sees a job every `maxMs` or so.
   */
  uploadsQuiet(maxMs: number): Promise<void> {
    return this.ctx.uploads.quiet(maxMs);
  }

  /**
   * The original's SHA-256, which the intake path leaves to this worker (it
   * reads the whole file anyway): recorded when missing, compared when the
   * intake hashed it. A mismatch means the stored file is not what was
   * received; the job fails and says so rather than render from it.
   */
  private async checkDigest(imageId: number, source: { sha256: string | null; size: number }, original: Buffer): Promise<void> {
    const sha256 = createHash('sha256').update(original).digest('hex');
    if (original.length !== source.size || (source.sha256 !== null && source.sha256 !== sha256)) {
      throw new Error(`stored original of image ${imageId} does not match what was received (size or SHA-256)`);
    }
    if (source.sha256 === null) await this.ctx.repos.previews.recordDigest(this.ctx.db, imageId, sha256);
  }

  /** Renders and stores the variants of one image; the rows are the caller's. */
  private async render(imageId: number): Promise<NewVariant[]> {
    const { db, repos, blobs, config } = this.ctx;
    const source = await repos.previews.sourceOf(db, imageId);
    if (!source) throw new Error(`image ${imageId} has no stored original`);
    const original = await buffer(await blobs.get(source.blobKey));
    await this.checkDigest(imageId, source, original);
    const rendered = await renderVariants(original, config.intake.maxImagePixels);
    const stored: NewVariant[] = [];
    for (const variant of IMAGE_VARIANTS) {
      const { bytes, width, height, contentType } = rendered[variant];
      const blobKey = variantBlobKey(imageId, variant);
      const blob = await blobs.put(blobKey, [bytes]);
      stored.push({ variant, blobKey, contentType, width, height, size: blob.size, sha256: digestOf(blob) });
    }
    return stored;
  }
}
