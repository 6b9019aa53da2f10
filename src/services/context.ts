import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { SecretBox } from '../security/secret-box.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { Repositories } from '../storage/repositories.js';
import type { Database } from '../storage/schema.js';
import type { ActivityGauge } from '../workers/activity-gauge.js';
import type { Wakeups } from '../workers/wakeups.js';
import type { Access } from './access.js';

/** What every service needs: the database, the blob store, settings and a clock. */
export interface ServiceContext {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly config: Config;
  readonly now: () => Date;
  readonly repos: Repositories;
  /** What each caller may see: every service asks it (services/access.ts). */
  readonly access: Access;
  /** Seals secrets that must be read back (webhook signing secrets). */
  readonly secrets: SecretBox;
  readonly wakeups: Wakeups;
  /** Uploads streaming in right now; background work steps aside for them. */
  readonly uploads: ActivityGauge;
}
