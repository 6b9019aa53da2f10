import type { WakeupTopic, Wakeups } from './wakeups.js';

/** What a worker logs through: pino's and Fastify's loggers both fit. */
export interface WorkerLog {
  debug(bindings: object, message: string): void;
  info(bindings: object, message: string): void;
  warn(bindings: object, message: string): void;
  error(bindings: object, message: string): void;
}

export interface JobLoopOptions {
  /** The nudge that says work was just recorded in this process. */
  readonly topic: WakeupTopic;
  readonly wakeups: Wakeups;
  /** How often to look for work nobody nudged about (retries, other processes). */
  readonly pollMs: number;
  /** One round of work; true when it did some, so another round follows at once. */
  readonly round: () => Promise<boolean>;
  /** A round threw (database or disk unwell); the loop waits for the next poll. */
  readonly onError: (error: unknown) => void;
}

/**
 * The loop of a background worker: rounds back to back while there is work,
 * then asleep until a nudge or the poll interval, whichever comes first.
 */
export class JobLoop {
  private running: Promise<void> | null = null;
  private stopping = false;
  private nudged = false;
  private wake: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: JobLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.unsubscribe = this.options.wakeups.on(this.options.topic, () => this.nudge());
    this.running = this.loop();
  }

  /** Lets the round in progress finish, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.nudge();
    await this.running;
    this.running = null;
  }

  private nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.nudged = false;
      let worked = false;
      try {
        worked = await this.options.round();
      } catch (error) {
        this.options.onError(error);
      }
      if (!worked && !this.stopping && !this.nudged) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs);
      this.wake = done;
    });
  }
}

export interface OneJobWorkerOptions<R> {
  readonly topic: WakeupTopic;
  readonly wakeups: Wakeups;
  readonly pollMs: number;
  /** Runs one due job; null when none is due. */
  readonly next: () => Promise<R | null>;
  /** Waited for before each round (the preview worker lets uploads pause first). */
  readonly beforeRound?: () => Promise<void>;
  /** Told about every finished job. */
  readonly onRun?: (run: R) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * A worker that runs one job at a time from a leased queue (previews, DICOM
 * studies): in a `JobLoop` while started, or until none is due (`drain`,
 * for tests and catching up).
 */
export class OneJobWorker<R> {
  private readonly loop: JobLoop;

  constructor(private readonly jobs: OneJobWorkerOptions<R>) {
    this.loop = new JobLoop({
      topic: jobs.topic,
      wakeups: jobs.wakeups,
      pollMs: jobs.pollMs,
      round: async () => {
        await jobs.beforeRound?.();
        return (await this.runOne()) !== null;
      },
      onError: (error) => jobs.onError?.(error),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Lets the job in progress finish, then stops. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs due jobs until none is left, without the loop. */
  async drain(): Promise<R[]> {
    const runs: R[] = [];
    for (let run = await this.runOne(); run !== null; run = await this.runOne()) runs.push(run);
    return runs;
  }

  private async runOne(): Promise<R | null> {
    const run = await this.jobs.next();
    if (run) this.jobs.onRun?.(run);
    return run;
  }
}
