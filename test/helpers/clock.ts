/**
 * The platform's clock in tests that wait for retries: real time plus what
 * the test skipped. Moving it to a retry's due time makes the retry due
 * without waiting for it; everything else keeps its real pace.
 */
export interface TestClock {
  now(): Date;
  /** Skips `ms` of time. */
  advance(ms: number): void;
  /** Skips to `at`, unless that is already past. */
  advanceTo(at: Date | string): void;
}

export function testClock(): TestClock {
  let skippedMs = 0;
  const now = () => new Date(Date.now() + skippedMs);
  return {
    now,
    advance(ms) {
      skippedMs += ms;
    },
    advanceTo(at) {
      skippedMs += Math.max(0, new Date(at).getTime() - now().getTime());
    },
  };
}
