import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { SecretBox } from '../security/secret-box.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { DialectName } from '../storage/database.js';
import { ApiClientRepository } from '../storage/repositories/api-client.repository.js';
import { CallbackRepository } from '../storage/repositories/callback.repository.js';
import { CaseRepository } from '../storage/repositories/case.repository.js';
import { IdempotencyRepository } from '../storage/repositories/idempotency.repository.js';
import { PreviewRepository } from '../storage/repositories/preview.repository.js';
import { ReadingRepository } from '../storage/repositories/reading.repository.js';
import { ReportRepository } from '../storage/repositories/report.repository.js';
import { TenancyRepository } from '../storage/repositories/tenancy.repository.js';
import { UserRepository } from '../storage/repositories/user.repository.js';
import type { Database } from '../storage/schema.js';
import type { ActivityGauge } from './activity.js';
import type { Wakeups } from './wakeups.js';

/** What every service needs: the database, the blob store, settings and a clock. */
export interface ServiceContext {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly blobs: BlobStore;
  readonly config: Config;
  readonly now: () => Date;
  readonly repos: Repositories;
  /** Seals secrets that must be read back (webhook signing secrets). */
  readonly secrets: SecretBox;
  readonly wakeups: Wakeups;
  /** Uploads streaming in right now; background work steps aside for them. */
  readonly uploads: ActivityGauge;
}

export interface Repositories {
  readonly tenancy: TenancyRepository;
  readonly apiClients: ApiClientRepository;
  readonly users: UserRepository;
  readonly cases: CaseRepository;
  readonly idempotency: IdempotencyRepository;
  readonly reading: ReadingRepository;
  readonly reports: ReportRepository;
  readonly callbacks: CallbackRepository;
  readonly previews: PreviewRepository;
}

export function createRepositories(): Repositories {
  return {
    tenancy: new TenancyRepository(),
    apiClients: new ApiClientRepository(),
    users: new UserRepository(),
    cases: new CaseRepository(),
    idempotency: new IdempotencyRepository(),
    reading: new ReadingRepository(),
    reports: new ReportRepository(),
    callbacks: new CallbackRepository(),
    previews: new PreviewRepository(),
  };
}
