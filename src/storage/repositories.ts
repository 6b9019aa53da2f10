import type { DialectName } from './database.js';
import { ApiClientRepository } from './repositories/api-client.repository.js';
import { AuditRepository } from './repositories/audit.repository.js';
import { AuthThrottleRepository } from './repositories/auth-throttle.repository.js';
import { CallbackRepository } from './repositories/callback.repository.js';
import { CaseRepository } from './repositories/case.repository.js';
import { DicomInboxRepository } from './repositories/dicom-inbox.repository.js';
import { ErasureRepository } from './repositories/erasure.repository.js';
import { IdempotencyRepository } from './repositories/idempotency.repository.js';
import { PreviewRepository } from './repositories/preview.repository.js';
import { RateLimitRepository } from './repositories/rate-limit.repository.js';
import { ReadingRepository } from './repositories/reading.repository.js';
import { ReportRepository } from './repositories/report.repository.js';
import { TenancyRepository } from './repositories/tenancy.repository.js';
import { UserRepository } from './repositories/user.repository.js';

/** Every repository of one database; those whose SQL differs by dialect (row locks) are told which. */
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
  readonly authThrottles: AuthThrottleRepository;
  readonly rateLimits: RateLimitRepository;
  readonly audit: AuditRepository;
  readonly erasure: ErasureRepository;
  readonly dicomInbox: DicomInboxRepository;
}

export function createRepositories(dialect: DialectName): Repositories {
  return {
    tenancy: new TenancyRepository(),
    apiClients: new ApiClientRepository(),
    users: new UserRepository(),
    cases: new CaseRepository(dialect),
    idempotency: new IdempotencyRepository(),
    reading: new ReadingRepository(dialect),
    reports: new ReportRepository(),
    callbacks: new CallbackRepository(dialect),
    previews: new PreviewRepository(dialect),
    authThrottles: new AuthThrottleRepository(),
    rateLimits: new RateLimitRepository(),
    audit: new AuditRepository(dialect),
    erasure: new ErasureRepository(dialect),
    dicomInbox: new DicomInboxRepository(dialect),
  };
}
