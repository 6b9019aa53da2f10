/**
 * A closed-loop load generator on node:http with a keep-alive agent (undici
 * is not installed as a package here): `concurrency` workers each send the
 * same body, wait for the answer, and send again.
 */
import http from 'node:http';

export interface Target {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly expectStatus: number;
  /**
   * A body per request instead of `body` (same length), for servers that
   * refuse or skip a repeat (DICOM instance UIDs): in pieces, written one
   * after the other, so that a request costs the load generator no copy of
   * its megabytes.
   */
  readonly nextBody?: () => readonly Buffer[];
}

export interface Failure {
  readonly status: number | null;
  readonly message: string;
}

/** What one measured window produced, raw: rounds of a phase are merged by `summarizeRounds`. */
export interface RoundResult {
  readonly concurrency: number;
  /** Requests answered with the expected status inside the measured window. */
  readonly ok: number;
  /** Requests not answered with the expected status, warm-up included. */
  readonly failures: number;
  readonly failureSamples: readonly Failure[];
  readonly seconds: number;
  readonly latencies: readonly number[];
  /** CPU seconds this (client) process used during the window. */
  readonly clientCpuSeconds: number;
  readonly warmupRequests: number;
}

export interface PhaseResult {
  readonly concurrency: number;
  readonly rounds: number;
  readonly ok: number;
  readonly failures: number;
  readonly failureSamples: readonly Failure[];
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly clientCpuSeconds: number;
  readonly warmupRequests: number;
}

export function summarizeRounds(rounds: readonly RoundResult[], bodyBytes: number): PhaseResult {
  const ok = rounds.reduce((sum, r) => sum + r.ok, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const sorted = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const mean = sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    concurrency: rounds[0]?.concurrency ?? 0,
    rounds: rounds.length,
    ok,
    failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    failureSamples: rounds.flatMap((r) => r.failureSamples).slice(0, 10),
    seconds,
    requestsPerSecond: seconds > 0 ? ok / seconds : 0,
    megabytesPerSecond: seconds > 0 ? (ok * bodyBytes) / 1e6 / seconds : 0,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0, mean },
    clientCpuSeconds: rounds.reduce((sum, r) => sum + r.clientCpuSeconds, 0),
    warmupRequests: rounds.reduce((sum, r) => sum + r.warmupRequests, 0),
  };
}

interface Answer {
  readonly status: number | null;
  readonly text: string;
  readonly error: string | null;
}

function send(agent: http.Agent, target: Target): Promise<Answer> {
  const pieces = target.nextBody?.() ?? [target.body];
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: target.host,
        port: target.port,
        method: 'POST',
        path: target.path,
        agent,
        headers: { ...target.headers, 'content-length': String(length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? null, text: Buffer.concat(chunks).toString('utf8'), error: null }));
        response.on('error', (error) => resolve({ status: response.statusCode ?? null, text: '', error: error.message }));
      },
    );
    request.on('error', (error) => resolve({ status: null, text: '', error: error.message }));
    for (const piece of pieces) request.write(piece);
    request.end();
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Sends one request; for checks before the load starts. */
export async function sendOnce(target: Target): Promise<Answer> {
  const agent = new http.Agent({ keepAlive: false });
  try {
    return await send(agent, target);
  } finally {
    agent.destroy();
  }
}

/**
 * Runs `concurrency` workers: a warm-up of `warmupMs` (not counted), then a
 * measured window that ends after `maxRequests` answers or `durationMs`,
 * whichever comes first. Answers arriving after the window are not counted.
 */
export async function runRound(
  target: Target,
  options: { concurrency: number; warmupMs: number; durationMs: number; maxRequests: number; onWindowStart?: () => void; onWindowEnd?: () => void },
): Promise<RoundResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency });
  let state: 'warmup' | 'measure' | 'done' = 'warmup';
  let warmupRequests = 0;
  let ok = 0;
  let failures = 0;
  const failureSamples: Failure[] = [];
  const latencies: number[] = [];
  let windowStart = 0;
  let windowEnd = 0;
  let cpuStart: NodeJS.CpuUsage = process.cpuUsage();
  let cpuWindow: NodeJS.CpuUsage = { user: 0, system: 0 };

  const endWindow = (): void => {
    if (state !== 'measure') return;
    state = 'done';
    windowEnd = performance.now();
    cpuWindow = process.cpuUsage(cpuStart);
    options.onWindowEnd?.();
  };

  const warmupTimer = setTimeout(() => {
    state = 'measure';
    windowStart = performance.now();
    cpuStart = process.cpuUsage();
    options.onWindowStart?.();
    durationTimer = setTimeout(endWindow, options.durationMs);
  }, options.warmupMs);
  let durationTimer: NodeJS.Timeout | undefined;

  const worker = async (): Promise<void> => {
    while (state !== 'done') {
      const started = performance.now();
      const answer = await send(agent, target);
      const elapsed = performance.now() - started;
      const good = answer.error === null && answer.status === target.expectStatus;
      // A failure counts whenever it happens: warm-up included.
      if (!good) {
        failures++;
        if (failureSamples.length < 10) failureSamples.push({ status: answer.status, message: answer.error ?? answer.text.slice(0, 300) });
        if (answer.error !== null) await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (state === 'measure') {
        ok++;
        latencies.push(elapsed);
        if (ok >= options.maxRequests) endWindow();
      } else if (state === 'warmup') {
        warmupRequests++;
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  clearTimeout(warmupTimer);
  if (durationTimer !== undefined) clearTimeout(durationTimer);
  agent.destroy();

  return {
    concurrency: options.concurrency,
    ok,
    failures,
    failureSamples,
    seconds: (windowEnd - windowStart) / 1000,
    latencies,
    clientCpuSeconds: (cpuWindow.user + cpuWindow.system) / 1e6,
    warmupRequests,
  };
}
