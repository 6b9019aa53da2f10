/** Timed GETs from `clients` keep-alive connections, each waiting for its answer: every latency, not a histogram's buckets. */
import http from 'node:http';
import { percentile } from './figure.js';

export interface GetsResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Answers that were not 200. */
  readonly bad: number;
  /** Every 200's latency in ms, sorted: rounds of the same GET are pooled from these (`pooledGets`). */
  readonly latencies: readonly number[];
}

/** Rounds of the same GETs as one result: their answers and seconds added, percentiles over all their latencies. */
export function pooledGets(rounds: readonly GetsResult[]): GetsResult {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  return {
    requests: latencies.length,
    seconds,
    requestsPerSecond: latencies.length / Math.max(0.001, seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    bad: rounds.reduce((sum, r) => sum + r.bad, 0),
    latencies,
  };
}

function get(agent: http.Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(0));
    });
    request.on('error', () => resolve(0));
    request.end();
  });
}

/** `clients` loops GET `paths` in turn (round robin per client) until `count` answers or `seconds` pass, after `warmup` answers (at least two per client) from all of them at once. */
export async function timedGets(options: {
  base: string;
  paths: readonly string[];
  headers: Record<string, string>;
  clients: number;
  count: number;
  seconds: number;
  warmup: number;
}): Promise<GetsResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const urls = options.paths.map((p) => new URL(p, options.base));
  // Warmed up from every client at once, so that each has its connection before the window. Opened inside it,
  // the first requests of the 15 new connections waited 0.16–0.8 s (their accept and first read queued behind
  // the other clients' answers): no steady client's latency, yet about half of the slowest 1 % of 2,000.
  let warmed = 0;
  const warmUp = Math.max(options.warmup, 2 * options.clients);
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (warmed < warmUp) await get(agent, urls[warmed++ % urls.length]!, options.headers);
    }),
  );
  const latencies: number[] = [];
  let bad = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (latencies.length + bad < options.count && performance.now() < deadline) {
      const url = urls[next++ % urls.length]!;
      const t = performance.now();
      const status = await get(agent, url, options.headers);
      if (status === 200) latencies.push(performance.now() - t);
      else bad++;
    }
  };
  await Promise.all(Array.from({ length: options.clients }, () => worker()));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds, requestsPerSecond: latencies.length / Math.max(0.001, seconds), p50: percentile(latencies, 50), p99: percentile(latencies, 99), bad, latencies };
}

/**
 * Latencies of `run` from `concurrency` loops in this process, `count` calls
 * in all after `warmup`: the in-process baselines, with the same number of
 * callers in flight as the HTTP clients they stand beside.
 */
export async function timedCalls(run: () => Promise<unknown>, options: { count: number; warmup: number; concurrency: number }): Promise<number[]> {
  for (let i = 0; i < options.warmup; i++) await run();
  const latencies: number[] = [];
  let started = 0;
  const loop = async (): Promise<void> => {
    while (started < options.count) {
      started++;
      const t = performance.now();
      await run();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, () => loop()));
  return latencies;
}
