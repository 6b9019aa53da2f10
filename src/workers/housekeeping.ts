import type { Kysely } from 'kysely';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { Repositories } from '../storage/repositories.js';
import type { Database } from '../storage/schema.js';

const EVERY_MS = 10 * 60 * 1000;
/**
 * Blobs and temporary files older than this belong to no running upload: a
 * request's files are committed (or removed) within its request timeout.
 */
const ORPHAN_AGE_MS = 60 * 60 * 1000;
const ORPHAN_BATCH = 500;

export interface HousekeepingResult {
  readonly tokens: number;
  readonly idempotencyKeys: number;
  readonly tempFiles: number;
  readonly orphanBlobs: number;
}

/**
 * Periodic clean-up: expired tokens, old idempotency answers, and files a
 * crash left behind — temporary files, and images stored just before a crash
 * that came between the file's rename and its row's commit — and the preview
 * files of images that are gone.
 */
export class Housekeeping {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: Repositories,
    private readonly blobs: BlobStore,
    private readonly settings: { readonly idempotencyKeyTtlHours: number },
  ) {}

  start(): void {
    void this.runOnce().catch(() => {});
    this.timer = setInterval(() => void this.runOnce().catch(() => {}), EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async runOnce(now = new Date()): Promise<HousekeepingResult> {
    const { db, blobs } = this;
    const tokens =
      (await this.repos.apiClients.deleteExpiredTokens(db, now.toISOString())) +
      (await this.repos.users.deleteExpiredSessions(db, now.toISOString()));
    const cutoff = new Date(now.getTime() - this.settings.idempotencyKeyTtlHours * 3600_000).toISOString();
    const idempotencyKeys = await this.repos.idempotency.deleteOlderThan(db, cutoff);
    const tempFiles = await blobs.sweepUnfinishedWrites(ORPHAN_AGE_MS, now.getTime());
    const orphanBlobs =
      (await this.sweepOrphans('images', now, (keys) => this.repos.cases.referencedBlobKeys(db, keys))) +
      (await this.sweepOrphans('previews', now, (keys) => this.repos.previews.referencedBlobKeys(db, keys)));
    return { tokens, idempotencyKeys, tempFiles, orphanBlobs };
  }

  /**
   * Removes the blobs under `prefix` that no row names, once they are old
   * enough to belong to no upload (images) or no running preview job
   * (previews: their rows go with their image).
   */
  private async sweepOrphans(prefix: string, now: Date, referenced: (keys: readonly string[]) => Promise<Set<string>>): Promise<number> {
    const { blobs } = this;
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      const named = await referenced(batch);
      for (const key of batch) {
        if (!named.has(key)) {
          await blobs.delete(key);
          removed++;
        }
      }
      batch = [];
    };
    for await (const blob of blobs.list(prefix)) {
      if (now.getTime() - blob.modifiedAt.getTime() < ORPHAN_AGE_MS) continue;
      batch.push(blob.key);
      if (batch.length >= ORPHAN_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    return removed;
  }
}
