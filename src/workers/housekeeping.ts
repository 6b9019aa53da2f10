import type { Kysely } from 'kysely';
import { imageOfVariantBlobKey } from '../services/preview.service.js';
import { ReportService } from '../services/report.service.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { Repositories } from '../storage/repositories.js';
import type { Database } from '../storage/schema.js';
import type { WorkerLog } from './job-loop.js';

const EVERY_MS = 10 * 60 * 1000;
/**
 * Blobs and temporary files older than this belong to no running upload: a
 * request's files are committed (or removed) within its request timeout.
 */
const ORPHAN_AGE_MS = 60 * 60 * 1000;
const ORPHAN_BATCH = 500;

/** The steps of a run, each run even when an earlier one failed (the label of `openretina_housekeeping_failures_total`). */
export const HOUSEKEEPING_STEPS = [
  'tokens',
  'idempotency_keys',
  'auth_throttles',
  'rate_limit_windows',
  'unfinished_writes',
  'orphan_images',
  'orphan_previews',
  'orphan_reports',
  'orphan_dicom_inbox',
] as const;
export type HousekeepingStep = (typeof HOUSEKEEPING_STEPS)[number];

export type HousekeepingLog = Pick<WorkerLog, 'warn'>;
/** Until `start` gives it the process's log, a failure is only counted. */
const SILENT: HousekeepingLog = { warn: () => {} };
/** A run under way: the steps that failed so far, and where to say so. */
interface StepRun {
  readonly failedSteps: HousekeepingStep[];
  readonly log: HousekeepingLog;
}

/** What a sweep of the blob store removed. */
export interface LeftoverSweep {
  readonly tempFiles: number;
  readonly orphanBlobs: number;
}

export interface HousekeepingResult {
  readonly tokens: number;
  readonly idempotencyKeys: number;
  /** Failed-authentication counts and lockouts past their window. */
  readonly authThrottles: number;
  /** Request-rate-limit windows that have ended. */
  readonly rateLimitWindows: number;
  readonly tempFiles: number;
  readonly orphanBlobs: number;
  /** The steps that failed this run (each logged once); their figures above count 0. */
  readonly failedSteps: readonly HousekeepingStep[];
}

/**
 * Periodic clean-up: expired tokens, old idempotency answers, failed-
 * authentication counts past their window, ended rate-limit windows, and files a crash left behind —
 * temporary files, and images stored just before a crash that came between
 * the file's rename and its row's commit — and the preview files of images
 * that are gone, and the report PDFs of cases that are gone (erased), and
 * DICOM inbox files no inbox row names.
 */
export class Housekeeping {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Runs under way, which `stop()` lets finish before the database closes. */
  private readonly running = new Set<Promise<unknown>>();
  private log: HousekeepingLog = SILENT;
  /** Failed steps since this process started. */
  private readonly failures = new Map<HousekeepingStep, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: Repositories,
    private readonly blobs: BlobStore,
    private readonly settings: { readonly idempotencyKeyTtlHours: number },
  ) {}

  start(log: HousekeepingLog): void {
    this.log = log;
    this.stopped = false;
    void this.track(this.runOnce()).catch(() => {});
    this.timer = setInterval(() => void this.track(this.runOnce()).catch(() => {}), EVERY_MS);
    this.timer.unref();
  }

  /** Stops the periodic runs; a sweep under way ends at its next file, and this resolves once it has. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
    await Promise.allSettled([...this.running]);
  }

  /** How many times each step has failed since this process started (steps that never failed: 0). */
  failureCounts(): ReadonlyMap<HousekeepingStep, number> {
    return new Map(HOUSEKEEPING_STEPS.map((step) => [step, this.failures.get(step) ?? 0]));
  }

  /**
   * One run. The steps are independent: one that fails (a database error,
   * an S3-compatible store without multipart listing) is logged and counted,
   * and the next ones still run, so the orphan sweep that finishes erasures
   * is never held up by an earlier step.
   */
  async runOnce(now = new Date(), log: HousekeepingLog = this.log): Promise<HousekeepingResult> {
    const { db } = this;
    const failedSteps: HousekeepingStep[] = [];
    const step = (name: HousekeepingStep, run: () => Promise<number>) => this.step(name, { failedSteps, log }, run);
    const tokens = await step(
      'tokens',
      async () => (await this.repos.apiClients.deleteExpiredTokens(db, now.toISOString())) + (await this.repos.users.deleteExpiredSessions(db, now.toISOString())),
    );
    const cutoff = new Date(now.getTime() - this.settings.idempotencyKeyTtlHours * 3600_000).toISOString();
    const idempotencyKeys = await step('idempotency_keys', () => this.repos.idempotency.deleteOlderThan(db, cutoff));
    const authThrottles = await step('auth_throttles', () => this.repos.authThrottles.deleteExpired(db, now.toISOString()));
    const rateLimitWindows = await step('rate_limit_windows', () => this.repos.rateLimits.deleteEnded(db, now.getTime()));
    const { tempFiles, orphanBlobs } = await this.sweepFilesModifiedBefore(new Date(now.getTime() - ORPHAN_AGE_MS), { failedSteps, log });
    return { tokens, idempotencyKeys, authThrottles, rateLimitWindows, tempFiles, orphanBlobs, failedSteps };
  }

  /**
   * The start-up sweep (`OPENRETINA_STARTUP_SWEEP`): every temporary file,
   * and every image or preview blob no row names, last modified before
   * `startedAt`, the start of this process. Nothing this process writes is
   * that old, so when it is the only one writing to the blob store (the
   * embedded default) all of that is what a crash left behind, and it goes
   * now rather than an hour later. Where other processes write to the same
   * store, their uploads in flight are that old too: they must not run it,
   * and rely on the hourly sweep of `runOnce`.
   */
  sweepLeftovers(startedAt: Date, log: HousekeepingLog = this.log): Promise<LeftoverSweep> {
    return this.track(this.sweepFilesModifiedBefore(startedAt, { failedSteps: [], log }));
  }

  private async sweepFilesModifiedBefore(before: Date, run: StepRun): Promise<LeftoverSweep> {
    const { db } = this;
    const step = (name: HousekeepingStep, work: () => Promise<number>) => this.step(name, run, work);
    const tempFiles = await step('unfinished_writes', () => this.blobs.sweepUnfinishedWrites(0, before.getTime()));
    const orphanBlobs =
      (await step('orphan_images', () => this.sweepOrphans('images', before, (keys) => this.repos.cases.referencedBlobKeys(db, keys)))) +
      (await step('orphan_previews', () => this.sweepOrphans('previews', before, (keys) => this.keptPreviews(keys)))) +
      (await step('orphan_reports', () => this.sweepOrphans('reports', before, (keys) => this.keptReports(keys)))) +
      // A received DICOM file whose row never committed (a crash), or whose study became a case before it was removed.
      (await step('orphan_dicom_inbox', () => this.sweepOrphans('dicom-inbox', before, (keys) => this.repos.dicomInbox.referencedBlobKeys(db, keys))));
    return { tempFiles, orphanBlobs };
  }

  /**
   * Runs one step: its figure, or 0 when it failed, which is counted and
   * logged once (the error's name, code and message only: an error's other
   * fields, a database driver's `detail`, may quote values of a row).
   */
  private async step(name: HousekeepingStep, run: StepRun, work: () => Promise<number>): Promise<number> {
    try {
      return await work();
    } catch (error) {
      run.failedSteps.push(name);
      this.failures.set(name, (this.failures.get(name) ?? 0) + 1);
      run.log.warn({ step: name, error: errorSummary(error) }, 'housekeeping step failed; the next steps still run');
      return 0;
    }
  }

  /**
   * Of `keys`, the report PDFs to keep: those of cases that exist. A case's
   * PDFs have no row of their own; once the case is gone (erased), a PDF
   * whose deletion failed, or one a rendering running during the erasure
   * wrote after it, names a case that will never exist again (ids are not
   * reused), and goes.
   */
  private async keptReports(keys: readonly string[]): Promise<Set<string>> {
    const existing = await this.repos.erasure.existingCaseIds(
      this.db,
      keys.map(ReportService.caseOfKey).filter((id): id is number => id !== null),
    );
    return new Set(keys.filter((key) => existing.has(ReportService.caseOfKey(key) ?? -1) || ReportService.caseOfKey(key) === null));
  }

  /**
   * Of `keys`, the preview files to keep: those a variant row names, and
   * those of an image whose job is still to run. A job writes the same keys
   * each time (`variantBlobKey`), so what a crashed attempt left will be
   * replaced, and a job running now may be replacing it under our eyes: its
   * fresh file must not go before the job commits the rows naming it. Jobs
   * are asked first, so one that settles in between has its rows found.
   */
  private async keptPreviews(keys: readonly string[]): Promise<Set<string>> {
    const images = keys.map(imageOfVariantBlobKey).filter((id): id is number => id !== null);
    const pending = await this.repos.previews.pendingImageIds(this.db, images);
    const named = await this.repos.previews.referencedBlobKeys(this.db, keys);
    return new Set(keys.filter((key) => named.has(key) || pending.has(imageOfVariantBlobKey(key) ?? -1)));
  }

  /**
   * Removes the blobs under `prefix` that no row names and that were last
   * modified before `before`: old enough to belong to no upload (images) or
   * no running preview job (previews: their rows go with their image).
   */
  private async sweepOrphans(prefix: string, before: Date, referenced: (keys: readonly string[]) => Promise<Set<string>>): Promise<number> {
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
      if (this.stopped) return removed;
      if (blob.modifiedAt.getTime() >= before.getTime()) continue;
      batch.push(blob.key);
      if (batch.length >= ORPHAN_BATCH) await flush();
    }
    if (batch.length > 0 && !this.stopped) await flush();
    return removed;
  }

  private track<T>(run: Promise<T>): Promise<T> {
    this.running.add(run);
    void run.finally(() => this.running.delete(run)).catch(() => {});
    return run;
  }
}

function errorSummary(error: unknown): { name: string; code?: string; message: string } {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error).slice(0, 200) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message.slice(0, 500) };
}
