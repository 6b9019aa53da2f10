import type { AttemptReport, CallbackDelivery } from '../services/callback-delivery.js';
import type { Wakeups } from '../services/wakeups.js';

/** What workers log through: pino's logger, or Fastify's. */
export interface WorkerLog {
  info(bindings: object, message: string): void;
  warn(bindings: object, message: string): void;
  error(bindings: object, message: string): void;
  child(bindings: Record<string, unknown>): WorkerLog;
}

/**
 * Runs callback delivery rounds: at once when this process records an event
 * (a wake-up), otherwise every `pollMs`, which is how events recorded by
 * other processes are found. Several workers may run against PostgreSQL;
 * leases keep them apart.
 */
export class CallbackWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private woken = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly delivery: CallbackDelivery,
    private readonly options: { readonly pollMs: number; readonly wakeups: Wakeups; readonly log: WorkerLog },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.wakeups.on('callbacks', () => this.nudge());
    this.loop = this.run();
  }

  /** Stops after the round in progress; attempts under way finish and are recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.nudge();
    await this.loop;
    this.loop = null;
  }

  private nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let attempts = 0;
      try {
        attempts = await this.delivery.deliverDue((report) => this.logAttempt(report));
      } catch (error) {
        this.options.log.error({ err: error }, 'callback delivery round failed');
      }
      // A full batch may mean more is due: go again at once.
      if (attempts > 0 || this.woken || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private logAttempt(report: AttemptReport): void {
    const level = report.state === 'delivered' ? 'info' : 'warn';
    this.options.log[level](
      {
        delivery: report.deliveryId,
        case: report.caseId,
        event: report.event,
        status: report.statusCode,
        ms: report.durationMs,
        state: report.state,
        ...(report.error ? { error: report.error } : {}),
        ...(report.leaseHeld ? {} : { leaseLost: true }),
      },
      'callback attempt',
    );
  }
}
