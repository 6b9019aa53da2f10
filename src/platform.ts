import type { Config } from './config.js';
import { Access } from './services/access.js';
import { AdminService, type DemoCredentials } from './services/admin.service.js';
import { AuditService } from './services/audit.service.js';
import { AuthThrottle } from './services/auth-throttle.js';
import { AuthService } from './services/auth.service.js';
import { TokenCache } from './services/token-cache.js';
import { CallbackDelivery } from './services/callback-delivery.js';
import { CallbackService } from './services/callback.service.js';
import { CaseService } from './services/case.service.js';
import { CenterService } from './services/center.service.js';
import { DicomIntakeService } from './services/dicom-intake.service.js';
import { ErasureService } from './services/erasure.service.js';
import { PreviewService } from './services/preview.service.js';
import { ReadingService } from './services/reading.service.js';
import { ReportService } from './services/report.service.js';
import { RequestRateLimit } from './services/request-rate-limit.js';
import { SessionService } from './services/session.service.js';
import { Wakeups } from './workers/wakeups.js';
import { ActivityGauge } from './workers/activity-gauge.js';
import { Housekeeping } from './workers/housekeeping.js';
import { passwordHashPool } from './security/password-hash-pool.js';
import { SecretBox } from './security/secret-box.js';
import type { ServiceContext } from './services/context.js';
import { createRepositories } from './storage/repositories.js';
import type { BlobStore } from './storage/blob/blob-store.js';
import { FsBlobStore } from './storage/blob/fs-blob-store.js';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './storage/database.js';
import { withStartupLock } from './storage/startup-lock.js';

export interface Services {
  readonly auth: AuthService;
  readonly cases: CaseService;
  readonly centers: CenterService;
  readonly admin: AdminService;
  readonly sessions: SessionService;
  readonly reading: ReadingService;
  /** Used by the preview workers. */
  readonly previews: PreviewService;
  readonly callbacks: CallbackService;
  /** Used by the callback workers. */
  readonly callbackDelivery: CallbackDelivery;
  /** The audit trail: the HTTP layer's hook and the CLI append to it. */
  readonly audit: AuditService;
  /** Erasing a patient (admins over HTTP, the CLI). */
  readonly erasure: ErasureService;
  /** Requests per client per window, shared by every API process (the HTTP layer's rate limit). */
  readonly rateLimits: RequestRateLimit;
  /** The DICOM network intake: the C-STORE receiver's inbox and the worker that makes cases of quiet studies. */
  readonly dicomIntake: DicomIntakeService;
}

/**
 * Everything the HTTP app, the CLI and the tests need: storage opened,
 * migrated, services built. This is the one place that wires them: every
 * repository, service and worker collaborator is made here and passed in.
 */
export interface Platform {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly blobs: BlobStore;
  readonly services: Services;
  /** In-process nudges to this process's workers. */
  readonly wakeups: Wakeups;
  /** The periodic clean-up (`serve` starts it) and the start-up sweep of the blob store. */
  readonly housekeeping: Housekeeping;
  /** What `seedDemo` created; null when not asked or the database had an organisation already. */
  readonly demo: DemoCredentials | null;
  close(): Promise<void>;
}

export interface PlatformOptions {
  readonly now?: () => Date;
  /** Seed the demo organisation (and with `withCase`, a case) when the database has no organisation yet. */
  readonly seedDemo?: { readonly withCase?: boolean };
}

/**
 * Opens storage, migrates it, builds the services and, if asked, seeds the
 * demo: all of it under the database's start-up lock (storage/startup-lock.ts),
 * so that processes starting together on one database take turns.
 */
export async function openPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const database = openDatabase(config.databaseUrl);
  let platform: Platform | undefined;
  try {
    return await withStartupLock(database, async () => {
      await migrateToLatest(database.db);
      platform = await assemble(config, database, options.now);
      const demo = options.seedDemo ? await platform.services.admin.seedDemoIfEmpty(options.seedDemo) : null;
      return { ...platform, demo };
    });
  } catch (error) {
    // After the lock is given back: on PostgreSQL, closing the pool waits for the lock's connection.
    await (platform ? platform.close() : database.close());
    throw error;
  }
}

/** Everything on an open, migrated database; the one place that wires it. */
async function assemble(config: Config, database: DatabaseHandle, now: (() => Date) | undefined): Promise<Platform> {
  // OPENRETINA_BLOB_URL names a bucket: the S3 store; otherwise the disk store under OPENRETINA_BLOB_DIR.
  // The AWS SDK (about 6 MB resident) is loaded only by an installation that uses it.
  const blobs: BlobStore =
    config.s3Blobs !== null ? new (await import('./storage/blob/s3-blob-store.js')).S3BlobStore(config.s3Blobs) : new FsBlobStore(config.blobDir);
  let secrets: SecretBox;
  try {
    secrets = await SecretBox.open(config.secretKey, config.dataDir);
  } catch (error) {
    await blobs.close?.();
    throw error;
  }
  passwordHashPool.setConcurrency(config.passwordHashConcurrency);
  const wakeups = new Wakeups();
  const repos = createRepositories(database.dialect);
  const ctx: ServiceContext = {
    db: database.db,
    blobs,
    config,
    now: now ?? (() => new Date()),
    repos,
    access: new Access(database.db, repos),
    secrets,
    wakeups,
    uploads: new ActivityGauge(),
  };
  const reports = new ReportService(ctx);
  const cases = new CaseService(ctx, reports);
  const callbacks = new CallbackService(ctx);
  const tokens = new TokenCache(config.tokenCacheSeconds * 1000);
  const throttle = new AuthThrottle(database.db, repos.authThrottles, config.auth, ctx.now);
  const audit = new AuditService(ctx);
  const services: Services = {
    auth: new AuthService(ctx, throttle, tokens),
    cases,
    centers: new CenterService(ctx),
    admin: new AdminService(ctx, cases, tokens),
    sessions: new SessionService(ctx, throttle),
    reading: new ReadingService(ctx, reports),
    previews: new PreviewService(ctx),
    callbacks,
    callbackDelivery: new CallbackDelivery(ctx, callbacks),
    audit,
    erasure: new ErasureService(ctx),
    rateLimits: new RequestRateLimit(database.db, repos.rateLimits, ctx.now),
    dicomIntake: new DicomIntakeService(ctx, cases, audit),
  };
  const housekeeping = new Housekeeping(database.db, repos, blobs, { idempotencyKeyTtlHours: config.idempotencyKeyTtlHours });
  return {
    config,
    database,
    blobs,
    demo: null,
    services,
    wakeups,
    housekeeping,
    close: async () => {
      // A sweep under way queries the database: it stops at its next file, before the database closes.
      await housekeeping.stop();
      // Audit entries of requests already answered are still being appended.
      await services.audit.settled();
      // Callback attempts already made are still being recorded; their kept connections close.
      await services.callbackDelivery.close();
      await database.close();
      await blobs.close?.();
      // The password-hash threads, once their hashes are done, so the process can exit.
      await passwordHashPool.close();
    },
  };
}
