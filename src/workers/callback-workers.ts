import type { Platform } from '../platform.js';
import { CallbackWorker, type WorkerLog } from './callback.worker.js';

/** The callback worker of a process, running until the returned function is awaited. */
export function startCallbackWorker(platform: Platform, log: WorkerLog): () => Promise<void> {
  const worker = new CallbackWorker(platform.services.callbackDelivery, {
    pollMs: platform.config.callbacks.pollMs,
    wakeups: platform.wakeups,
    log: log.child({ worker: 'callbacks' }),
  });
  worker.start();
  return () => worker.stop();
}
