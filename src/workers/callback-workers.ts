import type { Platform } from '../platform.js';
import { CallbackWorker } from './callback.worker.js';
import type { WorkerLog } from './job-loop.js';

/** The callback worker of a process, running until the returned function is awaited. */
export function startCallbackWorker(platform: Platform, log: WorkerLog): () => Promise<void> {
  const worker = new CallbackWorker(platform.services.callbackDelivery, {
    pollMs: platform.config.callbacks.pollMs,
    wakeups: platform.wakeups,
    log,
  });
  worker.start();
  return () => worker.stop();
}
