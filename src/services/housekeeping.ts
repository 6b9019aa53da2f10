import type { Platform } from '../platform.js';
import { createRepositories } from './context.js';

const EVERY_MS = 10 * 60 * 1000;
/** Temporary blob files older than this belong to no running upload. */
const TEMP_FILE_AGE_MS = 60 * 60 * 1000;

/** Periodic clean-up: expired tokens, old idempotency answers, temporary files a crash left. */
export class Housekeeping {
  private timer: NodeJS.Timeout | null = null;
  private readonly repos = createRepositories();

  constructor(private readonly platform: Platform) {}

  start(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async runOnce(now = new Date()): Promise<{ tokens: number; idempotencyKeys: number; tempFiles: number }> {
    const { db } = this.platform.database;
    try {
      const tokens = await this.repos.apiClients.deleteExpiredTokens(db, now.toISOString());
      const cutoff = new Date(now.getTime() - this.platform.config.idempotencyKeyTtlHours * 3600_000).toISOString();
      const idempotencyKeys = await this.repos.idempotency.deleteOlderThan(db, cutoff);
      const tempFiles = await this.platform.blobs.sweepTemporaryFiles(TEMP_FILE_AGE_MS, now.getTime());
      return { tokens, idempotencyKeys, tempFiles };
    } catch {
      // Housekeeping is retried on the next tick; the server keeps serving.
      return { tokens: 0, idempotencyKeys: 0, tempFiles: 0 };
    }
  }
}
