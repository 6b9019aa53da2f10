import type { Worker } from 'node:worker_threads';
import { startSiblingThread } from '../sibling-module.js';

/** What one scrypt needs (Node's `scrypt` options plus its inputs). */
export interface ScryptRequest {
  readonly password: string;
  readonly salt: Uint8Array;
  readonly keylen: number;
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly maxmem: number;
}

export type ScryptReply = { readonly key: Uint8Array } | { readonly error: string };

export interface PasswordHashStats {
  /** Hashes allowed at once (threads at most). */
  readonly concurrency: number;
  readonly running: number;
  /** The most that ever ran at once in this process. */
  readonly maxRunning: number;
  readonly queued: number;
  /** Hashes finished (computed or failed) in this process. */
  readonly completed: number;
  readonly threads: number;
}

interface Job {
  readonly request: ScryptRequest;
  readonly resolve: (key: Buffer) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  job: Job | null;
  /** Ends once its current hash is done and takes no more (close()). */
  retiring: boolean;
  error: Error | null;
  readonly exited: Promise<void>;
}

/**
 * scrypt at OWASP's cost is 128 MiB and a few hundred milliseconds of CPU a
 * hash. Node's async `crypto.scrypt` runs it on libuv's thread pool (4
 * threads), the pool every file read, write and fsync waits for, so a burst
 * of logins stalled uploads for seconds. Here at most `concurrency` hashes
 * run at once, each on a worker thread of its own; the others wait in a
 * queue. Idle threads do not keep the process alive; close() ends them.
 */
export class PasswordHashPool {
  private concurrency = 1;
  private readonly threads = new Set<Thread>();
  private readonly queue: Job[] = [];
  private running = 0;
  private maxRunning = 0;
  private completed = 0;

  setConcurrency(concurrency: number): void {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`password hash concurrency must be a positive integer, got ${concurrency}`);
    this.concurrency = concurrency;
    let keep = concurrency;
    for (const thread of this.threads) {
      if (thread.retiring) continue;
      if (keep > 0) keep--;
      else this.retire(thread);
    }
    this.dispatch();
  }

  scrypt(request: ScryptRequest): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  stats(): PasswordHashStats {
    return {
      concurrency: this.concurrency,
      running: this.running,
      maxRunning: this.maxRunning,
      queued: this.queue.length,
      completed: this.completed,
      threads: this.threads.size,
    };
  }

  /**
   * Ends every thread, each once its current hash is done. Hashes queued
   * meanwhile (another platform in the same process) start new threads.
   */
  async close(): Promise<void> {
    const exits = [...this.threads].map((thread) => {
      this.retire(thread);
      return thread.exited;
    });
    await Promise.all(exits);
  }

  private retire(thread: Thread): void {
    thread.retiring = true;
    if (thread.job === null) void thread.worker.terminate();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.running < this.concurrency) {
      const thread = this.idleThread() ?? this.spawn();
      const job = this.queue.shift()!;
      thread.job = job;
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      thread.worker.ref(); // a hash being computed keeps the process alive
      thread.worker.postMessage(job.request);
    }
  }

  private idleThread(): Thread | undefined {
    for (const thread of this.threads) if (!thread.retiring && thread.job === null) return thread;
    return undefined;
  }

  private spawn(): Thread {
    const worker = startSiblingThread(import.meta.url, 'scrypt-thread', { name: 'openretina-scrypt' });
    let exited!: () => void;
    const thread: Thread = { worker, job: null, retiring: false, error: null, exited: new Promise((resolve) => (exited = resolve)) };
    this.threads.add(thread);
    worker.on('message', (reply: ScryptReply) => {
      const job = this.finish(thread);
      if (job) {
        if ('key' in reply) job.resolve(Buffer.from(reply.key.buffer, reply.key.byteOffset, reply.key.byteLength));
        else job.reject(new Error(reply.error));
      }
      if (thread.retiring) void worker.terminate();
      this.dispatch();
    });
    worker.on('error', (error) => {
      thread.error = error;
    });
    worker.on('exit', (code) => {
      this.threads.delete(thread);
      const job = this.finish(thread);
      job?.reject(thread.error ?? new Error(`the password hash thread exited with code ${code}`));
      exited();
      this.dispatch();
    });
    worker.unref();
    return thread;
  }

  /** The thread's job, now done; the thread idles (and lets the process exit). */
  private finish(thread: Thread): Job | null {
    const job = thread.job;
    if (job === null) return null;
    thread.job = null;
    this.running--;
    this.completed++;
    thread.worker.unref();
    return job;
  }
}

/** The process's one pool: every password hash and check goes through it (security/secrets.ts). */
export const passwordHashPool = new PasswordHashPool();
