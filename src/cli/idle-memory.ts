import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * What one release did: resident memory before, V8's heap (committed) before
 * and after, in bytes, and how long it took. Resident memory falls a moment
 * later, as V8 unmaps the pages it gave up.
 */
export interface IdleRelease {
  readonly rssBefore: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
  readonly ms: number;
}

/** Collections tried in one quiet spell until one gives back at least a tenth of the heap. */
const ATTEMPTS_PER_QUIET_SPELL = 3;
const GIVEN_BACK = 0.9;

type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * V8 keeps the young generation it grew under load (32 MB here) and the
 * uploads' freed buffers until its next collection, which a server with no
 * requests never reaches: `serve` idled about 30 MB above what it needed
 * (`bench/README.md`, intake memory). Once the HTTP server has been quiet
 * for `quietMs` after serving something, one collection that returns memory
 * to the system runs; then none until requests come again. Idle, so its
 * pause (tens of ms) delays no one. V8 gives its young generation back only
 * when it has seen about 5 s of little allocation, hence `serve`'s default
 * of 5 s (OPENRETINA_IDLE_MEMORY_SECONDS), and a collection that gave back
 * nothing is tried again after the next quiet period, three times at most.
 */
export function releaseMemoryWhenIdle(
  server: Server,
  quietMs: number,
  onRelease: (released: IdleRelease) => void,
): { stop(): void } {
  const collect = memoryReducingCollector();
  let inFlight = 0;
  let requests = 0;
  let seen = 0;
  let attemptsLeft = 0;
  const onRequest = (_req: IncomingMessage, res: ServerResponse): void => {
    requests++;
    inFlight++;
    res.once('close', () => {
      inFlight--;
    });
  };
  server.on('request', onRequest);
  // A check every quietMs costs nothing per request; a quiet spell is seen within two periods.
  const timer = setInterval(() => {
    if (requests !== seen) {
      seen = requests;
      attemptsLeft = ATTEMPTS_PER_QUIET_SPELL;
      return;
    }
    if (attemptsLeft === 0 || inFlight > 0) return;
    attemptsLeft--;
    const rssBefore = process.memoryUsage.rss();
    const heapBefore = v8.getHeapStatistics().total_heap_size;
    const started = performance.now();
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const ms = performance.now() - started;
    const heapAfter = v8.getHeapStatistics().total_heap_size;
    // Given back: done until the next requests. Not yet (V8 still counted the last burst's allocation): the next quiet period tries again.
    if (heapAfter < heapBefore * GIVEN_BACK) attemptsLeft = 0;
    onRelease({ rssBefore, heapBefore, heapAfter, ms });
  }, quietMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      server.off('request', onRequest);
    },
  };
}

/**
 * V8's own `gc`, which Node exposes only with `--expose-gc`: the flag is set
 * for as long as it takes to make one context that carries the function, so
 * no other context (the app's `vm` uses) gets it.
 */
function memoryReducingCollector(): CollectGarbage {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as CollectGarbage;
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc') as CollectGarbage;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
