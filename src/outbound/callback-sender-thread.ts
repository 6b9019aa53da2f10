import type { Worker } from 'node:worker_threads';
import { allowListEntries, type CallbackAllowList } from '../domain/callback-target.js';
import { startSiblingThread } from '../sibling-module.js';
import { notSent, type SendResult } from './callback-sender.js';

/** What the thread is started with. */
export interface SenderThreadData {
  /** The allow list as `parseAllowList` reads it. */
  readonly allow: readonly string[];
  /** Callbacks in flight at most (and connections per destination). */
  readonly concurrency: number;
}

/** One callback to POST: the signed form and its headers. */
export interface SendRequest {
  readonly id: number;
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** A request's id and what came of it. */
export type SendReply = readonly [id: number, result: SendResult];

export interface CallbackSenderThreadOptions {
  readonly allow: CallbackAllowList;
  /** Callbacks in flight at most; those handed over beyond it wait in the thread, in order, and begin as others end. */
  readonly concurrency: number;
  /** With nothing in flight this long, the thread ends (its connections with it) and gives its memory back; the next callback starts another. */
  readonly idleMs?: number;
}

/**
 * Sends callbacks from a worker thread of their own (callback-thread.ts:
 * the keep-alive pools, every new connection's address check, the time
 * limit), so that the event loop, which also runs the API and the
 * delivery's SQLite statements, spends on a callback only the hand-over.
 * On this 2-core machine the POST, its connection's writes and the answer's
 * parsing were about 60 of the loop's 160 µs per delivery
 * (`npm run bench:callbacks`, `--cpu-prof`), and the one loop was what kept
 * deliveries under half the bare loop's rate.
 *
 * The requests of one turn of the event loop cross in one message, and the
 * thread answers those that finished in one of its turns together. The
 * thread starts with the first callback and ends after `idleMs` with none
 * in flight: about 15 MB while it runs. It holds the process open only
 * while a callback is in flight. If it dies, what it had in flight is a
 * failed attempt (`could not send`), retried as any other.
 */
export class CallbackSenderThread {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, (result: SendResult) => void>();
  private outgoing: SendRequest[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly idleMs: number;
  private started = 0;

  constructor(private readonly options: CallbackSenderThreadOptions) {
    this.idleMs = options.idleMs ?? 10_000;
  }

  /** How many threads this sender has started: for tests. */
  get threadsStarted(): number {
    return this.started;
  }

  /** Whether a thread runs now: for tests. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** POSTs one callback (see `postCallback`); never rejects. */
  send(url: string, body: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<SendResult> {
    const worker = this.worker ?? this.start();
    if (this.waiting.size === 0) {
      worker.ref();
      if (this.idleTimer !== null) clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    const id = this.nextId++;
    if (this.outgoing.length === 0) setImmediate(() => this.flush());
    this.outgoing.push({ id, url, body, headers, timeoutMs });
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** Ends the thread; what was in flight is a failed attempt. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.stopped(worker, 'the callback sender was closed');
    await worker.terminate();
  }

  private start(): Worker {
    const workerData: SenderThreadData = { allow: allowListEntries(this.options.allow), concurrency: this.options.concurrency };
    const worker = startSiblingThread(import.meta.url, 'callback-thread', { name: 'openretina-callbacks', workerData });
    this.worker = worker;
    this.started++;
    worker.on('message', (replies: readonly SendReply[]) => this.settle(worker, replies));
    worker.on('error', (error) => this.stopped(worker, `callback thread failed: ${error.message}`));
    worker.on('exit', (code) => this.stopped(worker, `callback thread ended (exit code ${code})`));
    return worker;
  }

  /**
   * Posts what waits to the thread running now. What waited for a thread
   * that is gone was answered as not sent when it went (`stopped`); what is
   * here now was handed over since, for the thread that replaced it.
   */
  private flush(): void {
    if (this.worker === null || this.outgoing.length === 0) return;
    const batch = this.outgoing;
    this.outgoing = [];
    this.worker.postMessage(batch);
  }

  private settle(worker: Worker, replies: readonly SendReply[]): void {
    for (const [id, result] of replies) {
      const resolve = this.waiting.get(id);
      this.waiting.delete(id);
      resolve?.(result);
    }
    if (this.waiting.size === 0 && worker === this.worker) {
      worker.unref();
      if (this.idleTimer !== null) clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => void this.close(), this.idleMs).unref();
    }
  }

  /** The thread is gone or going: whatever it had, or had coming, is answered as not sent. */
  private stopped(worker: Worker, reason: string): void {
    if (worker !== this.worker) return;
    this.worker = null;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.outgoing = [];
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const resolve of waiting) resolve(notSent(reason));
  }
}
