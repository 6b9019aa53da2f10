import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueState } from '../storage/repositories/operations.repository.js';

/** Where the queue and callback figures come from at each scrape: the database, shared by every process. */
export interface MetricsSources {
  queues(): Promise<QueueState[]>;
  callbackFailures(): Promise<{ failedAttempts: number; failedDeliveries: number }>;
  /** Failed housekeeping steps of this process since it started, per step. */
  housekeepingFailures(): ReadonlyMap<string, number>;
  now(): Date;
}

/**
 * Prometheus metrics of one API process (prom-client), in a registry of its
 * own: request latency per route, intake bytes, and, read from the database
 * when scraped, the job queues (depth and age of the oldest job per kind) and
 * callback failures — figures every process sees alike — and this process's
 * failed housekeeping steps.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requestSeconds = new Histogram({
    name: 'openretina_http_request_duration_seconds',
    help: 'Time from a request to its answer, per route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly intakeBytes = new Counter({
    name: 'openretina_intake_bytes_total',
    help: 'Bytes of case intake requests (forms and images) answered with success',
    registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    // One database read serves both queue gauges of a scrape.
    let pending: Promise<QueueState[]> | null = null;
    const queues = () => (pending ??= sources.queues().finally(() => setTimeout(() => (pending = null), 0)));
    new Gauge({
      name: 'openretina_queue_depth',
      help: 'Background jobs not finished yet, per kind',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        for (const q of await queues()) this.set({ kind: q.kind }, q.depth);
      },
    });
    new Gauge({
      name: 'openretina_queue_oldest_age_seconds',
      help: 'Age of the oldest unfinished background job, per kind (0 when none waits)',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        const now = sources.now().getTime();
        for (const q of await queues()) this.set({ kind: q.kind }, q.oldestAt === null ? 0 : Math.max(0, (now - Date.parse(q.oldestAt)) / 1000));
      },
    });
    new Gauge({
      name: 'openretina_callback_failures',
      help: 'Callback attempts that did not deliver (kind=attempt) and deliveries given up after every retry (kind=delivery), since the beginning',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        const f = await sources.callbackFailures();
        this.set({ kind: 'attempt' }, f.failedAttempts);
        this.set({ kind: 'delivery' }, f.failedDeliveries);
      },
    });
    new Counter({
      name: 'openretina_housekeeping_failures_total',
      help: "Housekeeping steps that failed in this process, per step (the run's later steps still ran)",
      labelNames: ['step'] as const,
      registers: [this.registry],
      collect() {
        // Housekeeping keeps the counts; the counter shows them as they are at each scrape.
        this.reset();
        for (const [step, failures] of sources.housekeepingFailures()) this.inc({ step }, failures);
      },
    });
  }
}
