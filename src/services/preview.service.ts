import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { type StoredImageChecks, judgeImage } from '../domain/image-checks.js';
import { IMAGE_VARIANTS, type ImageVariant, type JobOutcome, PREVIEW_MAX_ATTEMPTS, outcomeAfterFailure } from '../domain/preview.js';
import { measureFundus } from '../media/fundus-analysis.js';
import { UndecodableImageError, renderImage } from '../media/preview-renderer.js';
import type { NewVariant } from '../storage/repositories/preview.repository.js';
import type { Lease } from '../storage/lease.js';
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
  /** The image could not be decoded (or, after the last attempt, read): the clinic is told. */
  readonly unreadable: boolean;
  /** Why the automatic checks could not be made although the image decoded (a fault of ours; the previews are made). */
  readonly checksError: string | null;
}

/** Where a variant's bytes live: generated, never from a client. */
export function variantBlobKey(imageId: number, variant: ImageVariant): string {
  return `${variantPrefixOf(imageId)}${variant}.jpg`;
}

/** The folder of an image's variants (erasure lists it). */
export function variantPrefixOf(imageId: number): string {
  return `previews/${imageId}/`;
}

/** The image whose variant a blob key of `variantBlobKey` holds; null for any other key. */
export function imageOfVariantBlobKey(key: string): number | null {
  const match = /^previews\/(\d+)\//.exec(key);
  return match ? Number(match[1]) : null;
}

/**
 * Making the reading variants of stored images, one job at a time, and the
 * automatic checks from the same decode (src/domain/image-checks.ts).
 */
export class PreviewService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Claims one due job and runs it to an outcome: `ready`, `pending` again
   * (to retry after a backoff) or `failed`. Null when no job was due. Safe to
   * run again after a crash: blob keys are fixed per image and variant, and
   * the rows are upserted. A decoded image is `ok` with its checks, and gets
   * the detected eye where nobody had said one; an image the decoder refuses
   * is `unreadable` at once (the same bytes fail every time: they were
   * checked against what was received), and so is one that could not be read
   * at the last attempt: its job fails and, in the same transaction, the
   * case's callback `case.image_unreadable` is recorded.
   */
  async runNext(): Promise<PreviewRun | null> {
    const { db, repos } = this.ctx;
    const [lease] = await repos.previews.claimNext(db, this.ctx.now(), LEASE_MS);
    if (!lease) return null;
    const started = performance.now();
    let outcome: JobOutcome;
    let error: string | null = null;
    let unreadable: string | null = null;
    let checksError: string | null = null;
    if (lease.attempts > PREVIEW_MAX_ATTEMPTS) {
      // Earlier attempts never settled: the worker died on this image each time.
      outcome = { state: 'failed' };
      error = 'gave up: earlier attempts did not finish';
      unreadable = 'decoding it never finished';
    } else {
      try {
        const { variants, checks, checksFailure } = await this.render(lease.id);
        checksError = checksFailure;
        const now = this.ctx.now().toISOString();
        outcome = { state: 'ready' };
        await db.transaction().execute(async (trx) => {
          await repos.previews.lockCaseOfImage(trx, lease.id);
          await repos.previews.saveVariants(trx, lease.id, variants, now);
          await repos.previews.settle(trx, lease, outcome, now, null);
          await repos.previews.recordChecked(trx, lease.id, checks, now);
          if (checks?.laterality.eye) await repos.previews.fillDetectedEye(trx, lease.id, checks.laterality.eye);
        });
      } catch (failure) {
        error = (failure instanceof Error ? failure.message : String(failure)).slice(0, 500);
        if (failure instanceof UndecodableImageError) {
          outcome = { state: 'failed' };
          unreadable = `could not be decoded: ${error.replace(/\s+/g, ' ').trim()}`.slice(0, 300);
        } else {
          outcome = outcomeAfterFailure(lease.attempts, this.ctx.now());
          if (outcome.state === 'failed') unreadable = failure instanceof StoredFileError ? failure.message : 'the stored file could not be read';
        }
      }
    }
    if (unreadable !== null) await this.recordUnreadable(lease, outcome, error, unreadable);
    else if (outcome.state !== 'ready') await repos.previews.settle(db, lease, outcome, this.ctx.now().toISOString(), error);
    if (outcome.state !== 'pending') this.ctx.wakeups.notify('checks');
    return {
      imageId: lease.id,
      outcome: outcome.state,
      attempts: lease.attempts,
      ms: Math.round(performance.now() - started),
      error,
      unreadable: unreadable !== null,
      checksError,
    };
  }

  /** The job fails, the image is unreadable and the clinic's callback recorded, in one transaction (none of it when the lease was lost). */
  private async recordUnreadable(lease: Lease, outcome: JobOutcome, error: string | null, reason: string): Promise<void> {
    const { db, repos } = this.ctx;
    const now = this.ctx.now().toISOString();
    const source = await repos.previews.sourceOf(db, lease.id);
    const recorded = await db.transaction().execute(async (trx) => {
      await repos.previews.lockCaseOfImage(trx, lease.id);
      if (!(await repos.previews.settle(trx, lease, outcome, now, error))) return false;
      await repos.previews.recordUnreadable(trx, lease.id, reason, now);
      if (source) {
        await repos.callbacks.recordEvent(trx, {
          event: 'case.image_unreadable',
          caseId: source.caseId,
          derivation: null,
          reportVersion: null,
          occurredAt: now,
          unreadableImage: { id: lease.id, reason },
        });
      }
      return true;
    });
    if (recorded) this.ctx.wakeups.notify('callbacks');
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
      throw new StoredFileError(`the stored file does not match what was received (size or SHA-256): image ${imageId}`);
    }
    if (source.sha256 === null) await this.ctx.repos.previews.recordDigest(this.ctx.db, imageId, sha256);
  }

  /**
   * Renders and stores the variants of one image and makes its checks, from
   * one decode; the rows are the caller's. A fault in the checks does not
   * hold up the previews: they are made, the checks left out and the fault
   * reported.
   */
  private async render(imageId: number): Promise<{ variants: NewVariant[]; checks: StoredImageChecks | null; checksFailure: string | null }> {
    const { db, repos, blobs, config } = this.ctx;
    const source = await repos.previews.sourceOf(db, imageId);
    if (!source) throw new Error(`image ${imageId} has no stored original`);
    const original = await buffer(await blobs.get(source.original.blobKey, source.original.range));
    await this.checkDigest(imageId, source, original);
    const rendered = await renderImage(original, config.intake.maxImagePixels);
    let checks: StoredImageChecks | null = null;
    let checksFailure: string | null = null;
    try {
      checks = judgeImage(await measureFundus(rendered.pixels, rendered.original), config.checks);
    } catch (failure) {
      checksFailure = (failure instanceof Error ? failure.message : String(failure)).slice(0, 500);
    }
    const stored: NewVariant[] = [];
    for (const variant of IMAGE_VARIANTS) {
      const { bytes, width, height, contentType } = rendered.variants[variant];
      const blobKey = variantBlobKey(imageId, variant);
      const blob = await blobs.put(blobKey, [bytes]);
      stored.push({ variant, blobKey, contentType, width, height, size: blob.size, sha256: digestOf(blob) });
    }
    return { variants: stored, checks, checksFailure };
  }
}

/** The stored original is not what was received: said to the clinic as it is (no path, no key). */
class StoredFileError extends Error {}
