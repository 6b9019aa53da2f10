/** autocannon, run in this process against one URL: requests/s and latency percentiles. */
import autocannon from 'autocannon';

export interface CannonResult {
  readonly requestsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Answers that were not 2xx, plus connection errors and timeouts: any of them makes the figure void. */
  readonly bad: number;
}

export async function cannon(options: { url: string; headers?: Record<string, string>; connections: number; seconds: number }): Promise<CannonResult> {
  const result = await autocannon({ url: options.url, headers: options.headers, connections: options.connections, duration: options.seconds });
  return {
    requestsPerSecond: result.requests.average,
    bytesPerSecond: result.throughput.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

/** Merges alternating rounds of one target: total requests over total time; the worst p99 and the median p50. */
export function mergeCannon(rounds: readonly CannonResult[], seconds: number): CannonResult {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const p50s = rounds.map((r) => r.p50).sort((a, b) => a - b);
  return {
    requestsPerSecond: requests / Math.max(0.001, seconds * rounds.length),
    bytesPerSecond: rounds.reduce((sum, r) => sum + r.bytesPerSecond, 0) / Math.max(1, rounds.length),
    p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99: Math.max(0, ...rounds.map((r) => r.p99)),
    requests,
    bad: rounds.reduce((sum, r) => sum + r.bad, 0),
  };
}
