import type { AttemptReport, CallbackDelivery } from '../services/callback-delivery.js';
import type { Wakeups } from './wakeups.js';
import { JobLoop, type WorkerLog } from './job-loop.js';

/**
 * Runs callback delivery rounds: at once when this process records an event
 * (a wake-up), otherwise every `pollMs`, which is how retries and events
 * recorded by other processes are found. Several workers may run against
 * PostgreSQL; leases keep them apart.
 */
export class CallbackWorker {
  private readonly loop: JobLoop;
  private stopping = false;

  constructor(
    delivery: CallbackDelivery,
    private readonly options: { readonly pollMs: number; readonly wakeups: Wakeups; readonly log: WorkerLog },
  ) {
    this.loop = new JobLoop({
      topic: 'callbacks',
      wakeups: options.wakeups,
      pollMs: options.pollMs,
      // A round delivers until nothing is due; another follows at once, for what came meanwhile.
      round: async () => (await delivery.deliverDue((report) => this.logAttempt(report), () => this.stopping)) > 0,
      onError: (error) => options.log.error({ worker: 'callbacks', err: error }, 'callback delivery round failed'),
    });
  }

  start(): void {
    this.stopping = false;
    this.loop.start();
  }

  /** Leases nothing more; what is leased is sent and recorded, then the loop stops. */
  stop(): Promise<void> {
    this.stopping = true;
    return this.loop.stop();
  }

  private logAttempt(report: AttemptReport): void {
    if (report.recording === 'delivery_gone') {
      // Not a fault: the case was erased while its callback was on the way, and the erasure took the delivery with it.
      this.options.log.debug({ worker: 'callbacks', delivery: report.deliveryId, event: report.event, state: report.state }, 'callback attempt not recorded: its delivery was erased meanwhile');
      return;
    }
    const level = report.state === 'delivered' ? 'info' : 'warn';
    this.options.log[level](
      {
        worker: 'callbacks',
        delivery: report.deliveryId,
        case: report.caseId,
        event: report.event,
        status: report.statusCode,
        ms: report.durationMs,
        state: report.state,
        ...(report.error ? { error: report.error } : {}),
        ...(report.recording === 'lease_lost' ? { leaseLost: true } : {}),
      },
      'callback attempt',
    );
  }
}
