import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * SHA-256 of files, computed by worker threads that read the file themselves
 * (from the page cache, just written). Hashing on the event loop cost about
 * 3 ms of its 10 ms per intake request (`npm run bench:intake`); here the
 * event loop only sends a path, and the second core does the work.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
// Synchronous reads into one reused buffer: this thread has nothing else to
// do, and a fresh buffer per chunk only feeds the garbage collector.
const buffer = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, path }) => {
  let fd;
  try {
    fd = fs.openSync(path, 'r');
    const hash = createHash('sha256');
    let size = 0;
    let n;
    while ((n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) {
      hash.update(buffer.subarray(0, n));
      size += n;
    }
    parentPort.postMessage({ id, sha256: hash.digest('hex'), size });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
});
`;

interface Pending {
  resolve(value: { sha256: string; size: number }): void;
  reject(error: Error): void;
}

export class FileDigester {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private next = 0;

  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism() - 1))) {}

  private worker(): Worker {
    if (this.workers.length < this.size) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      worker.on('message', (message: { id: number; sha256?: string; size?: number; error?: string }) => {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.sha256 !== undefined && message.size !== undefined) waiting.resolve({ sha256: message.sha256, size: message.size });
        else waiting.reject(new Error(`hashing failed: ${message.error ?? 'unknown error'}`));
      });
      worker.on('error', (error) => {
        for (const [id, waiting] of this.pending) {
          this.pending.delete(id);
          waiting.reject(error);
        }
        this.workers.splice(this.workers.indexOf(worker), 1);
      });
      this.workers.push(worker);
      return worker;
    }
    this.next = (this.next + 1) % this.workers.length;
    return this.workers[this.next]!;
  }

  digest(path: string): Promise<{ sha256: string; size: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker().postMessage({ id, path });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}
