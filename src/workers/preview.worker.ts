import { limitImageThreads } from '../media/libraries.js';
import type { Platform } from '../platform.js';
import type { PreviewRun, PreviewService } from '../services/preview.service.js';
import type { Wakeups } from './wakeups.js';
import { OneJobWorker, type WorkerLog } from './job-loop.js';

/** The longest a job waits for uploads to pause (see `PreviewService.uploadsQuiet`). */
const MAX_DEFER_MS = 2000;

export interface PreviewWorkerOptions {
  readonly wakeups: Wakeups;
  /** How often to look for due jobs nobody nudged about (retries, other processes' uploads). */
  readonly pollMs: number;
  /** libvips threads of this process (see `limitImageThreads`). */
  readonly threads: number;
  /** Told about every finished attempt. */
  readonly onRun?: (run: PreviewRun) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Makes image previews one job at a time, and from the same decode the
 * automatic checks (fundus or not, quality, laterality), so a worker uses
 * about one core, and at background priority: its libvips threads run niced, and each job
 * waits (up to 2 s) for uploads streaming into this process to pause.
 * Woken by the `previews` nudge right after images are stored in this
 * process; polls for the rest. Several workers (one process or several, on
 * PostgreSQL) share the queue safely: jobs are claimed under a lease.
 */
export class PreviewWorker extends OneJobWorker<PreviewRun> {
  constructor(
    previews: PreviewService,
    private readonly options: PreviewWorkerOptions,
  ) {
    super({ ...options, topic: 'previews', next: () => previews.runNext(), beforeRound: () => previews.uploadsQuiet(MAX_DEFER_MS) });
  }

  override start(): void {
    limitImageThreads(this.options.threads);
    super.start();
  }
}

/** The preview worker of a process (previews and automatic checks), logging each job (image ids and timings only), until the returned function is awaited. */
export function startPreviewWorker(platform: Platform, log: WorkerLog): () => Promise<void> {
  const worker = new PreviewWorker(platform.services.previews, {
    wakeups: platform.wakeups,
    pollMs: platform.config.previews.pollMs,
    threads: platform.config.previews.threads,
    onRun: (run) =>
      log[run.outcome === 'ready' && run.checksError === null ? 'info' : 'warn'](
        {
          worker: 'previews',
          image: run.imageId,
          outcome: run.outcome,
          attempts: run.attempts,
          ms: run.ms,
          ...(run.error ? { error: run.error } : {}),
          ...(run.unreadable ? { unreadable: true } : {}),
          ...(run.checksError ? { checks_error: run.checksError } : {}),
        },
        'preview job',
      ),
    onError: (error) => log.error({ worker: 'previews', err: error }, 'preview round failed'),
  });
  worker.start();
  return () => worker.stop();
}
