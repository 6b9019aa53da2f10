import type { Kysely } from 'kysely';
import { type ImageVariant, IMAGE_VARIANTS, type JobOutcome, type ReadyVariants } from '../../domain/preview.js';
import type { Eye } from '../../domain/eyes.js';
import type { StoredImageChecks } from '../../domain/image-checks.js';
import type { DialectName } from '../database.js';
import { type Lease, type LeaseQueue, claimDue, settle } from '../lease.js';
import type { Database } from '../schema.js';
import { type StoredOriginal, storedOriginal } from './case.repository.js';

type Db = Kysely<Database>;

const PREVIEW_QUEUE: LeaseQueue = { table: 'preview_jobs', key: 'image_id' };

export interface NewVariant {
  readonly variant: ImageVariant;
  readonly blobKey: string;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly size: number;
  readonly sha256: string;
}

export interface StoredVariant {
  readonly blobKey: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

/** Preview jobs (one per image) and the variants they make. */
export class PreviewRepository {
  constructor(private readonly dialect: DialectName) {}

  /** Records a pending job per image; call in the transaction that stores the images. */
  async enqueue(db: Db, imageIds: readonly number[], now: string): Promise<void> {
    if (imageIds.length === 0) return;
    await db
      .insertInto('preview_jobs')
      .values(imageIds.map((id) => ({ image_id: id, state: 'pending' as const, next_attempt_at: now, created_at: now })))
      .execute();
  }

  claimNext(db: Db, now: Date, leaseMs: number): Promise<Lease[]> {
    return claimDue(db, this.dialect, PREVIEW_QUEUE, { now, leaseMs, limit: 1 });
  }

  /** What the worker needs of the image it renders (and checks). */
  async sourceOf(db: Db, imageId: number): Promise<{ caseId: number; original: StoredOriginal; sha256: string | null; size: number } | undefined> {
    const row = await db.selectFrom('case_images').select(['case_id', 'blob_key', 'blob_offset', 'sha256', 'size']).where('id', '=', imageId).executeTakeFirst();
    return row ? { caseId: row.case_id, original: storedOriginal(row), sha256: row.sha256, size: Number(row.size) } : undefined;
  }

  /**
   * Locks the row of the image's case until the transaction ends (PostgreSQL;
   * SQLite's one writer needs none). A change to an image advances its case's
   * revision (migration 0031), which locks the case row after the image row;
   * a reader's transaction locks the case first and then its images. Taking
   * the case first here too keeps one order, so the two cannot deadlock.
   */
  async lockCaseOfImage(db: Db, imageId: number): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await db
      .selectFrom('cases')
      .select('id')
      .where('id', '=', (eb) => eb.selectFrom('case_images').select('case_id').where('id', '=', imageId))
      .forUpdate()
      .execute();
  }

  /** The image decoded: `ok`, with its checks (null when they could not be made). */
  async recordChecked(db: Db, imageId: number, checks: StoredImageChecks | null, now: string): Promise<void> {
    await db
      .updateTable('case_images')
      .set({ check_status: 'ok', check_reason: null, checks: checks === null ? null : JSON.stringify(checks), checked_at: now })
      .where('id', '=', imageId)
      .execute();
  }

  /** The image cannot be decoded (or read), and why. */
  async recordUnreadable(db: Db, imageId: number, reason: string, now: string): Promise<void> {
    await db.updateTable('case_images').set({ check_status: 'unreadable', check_reason: reason, checks: null, checked_at: now }).where('id', '=', imageId).execute();
  }

  /**
   * Fills in the eye the check detected, only where nobody (client, file name, reader) has said one,
   * in the one statement, so a reader's word given meanwhile stands; false when someone had.
   */
  async fillDetectedEye(db: Db, imageId: number, eye: Eye): Promise<boolean> {
    const result = await db.updateTable('case_images').set({ eye, eye_source: 'detected' }).where('id', '=', imageId).where('eye', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** How many images of the case are still to be checked. */
  async uncheckedCount(db: Db, caseId: number): Promise<number> {
    const row = await db
      .selectFrom('case_images')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('case_id', '=', caseId)
      .where('check_status', '=', 'checking')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Records the SHA-256 of an original stored without one; an image that has one keeps it. */
  async recordDigest(db: Db, imageId: number, sha256: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await this.lockCaseOfImage(trx, imageId);
      await trx.updateTable('case_images').set({ sha256 }).where('id', '=', imageId).where('sha256', 'is', null).execute();
    });
  }

  /** Stores (or replaces, when a job ran again) the variants of an image. */
  async saveVariants(db: Db, imageId: number, variants: readonly NewVariant[], now: string): Promise<void> {
    for (const v of variants) {
      const values = { blob_key: v.blobKey, content_type: v.contentType, width: v.width, height: v.height, size: v.size, sha256: v.sha256, created_at: now };
      await db
        .insertInto('image_variants')
        .values({ image_id: imageId, variant: v.variant, ...values })
        .onConflict((oc) => oc.columns(['image_id', 'variant']).doUpdateSet(values))
        .execute();
    }
  }

  /** Ends the job's attempt; false when its lease was lost to another worker. */
  settle(db: Db, lease: Lease, outcome: JobOutcome, now: string, error: string | null): Promise<boolean> {
    return settle(db, PREVIEW_QUEUE, lease, {
      state: outcome.state,
      next_attempt_at: outcome.state === 'pending' ? outcome.nextAttemptAt : now,
      finished_at: outcome.state === 'pending' ? null : now,
      last_error: error,
    });
  }

  /** The ready variants of each image, for the reading view. */
  async readyVariantsOf(db: Db, imageIds: readonly number[]): Promise<Map<number, ReadyVariants>> {
    const found = new Map<number, ReadyVariants>();
    if (imageIds.length === 0) return found;
    const rows = await db
      .selectFrom('image_variants')
      .select(['image_id', 'variant', 'width', 'height', 'size', 'content_type'])
      .where('image_id', 'in', [...imageIds])
      .execute();
    for (const row of rows) {
      if (!isVariant(row.variant)) continue;
      found.set(row.image_id, {
        ...found.get(row.image_id),
        [row.variant]: { width: row.width, height: row.height, size: Number(row.size), contentType: row.content_type },
      });
    }
    return found;
  }

  async findVariant(db: Db, imageId: number, variant: ImageVariant): Promise<StoredVariant | undefined> {
    const row = await db
      .selectFrom('image_variants')
      .select(['blob_key', 'content_type', 'size', 'sha256'])
      .where('image_id', '=', imageId)
      .where('variant', '=', variant)
      .executeTakeFirst();
    return row ? { blobKey: row.blob_key, contentType: row.content_type, size: Number(row.size), sha256: row.sha256 } : undefined;
  }

  /** Of the given blob keys, those that a variant row references. */
  async referencedBlobKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db.selectFrom('image_variants').select('blob_key').where('blob_key', 'in', [...keys]).execute();
    return new Set(rows.map((r) => r.blob_key));
  }

  /** Of the given images, those whose job is still to run (or running): it will store their variants. */
  async pendingImageIds(db: Db, imageIds: readonly number[]): Promise<Set<number>> {
    if (imageIds.length === 0) return new Set();
    const rows = await db.selectFrom('preview_jobs').select('image_id').where('image_id', 'in', [...imageIds]).where('state', '=', 'pending').execute();
    return new Set(rows.map((r) => Number(r.image_id)));
  }
}

function isVariant(name: string): name is ImageVariant {
  return (IMAGE_VARIANTS as readonly string[]).includes(name);
}
