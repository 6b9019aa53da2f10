/**
 * Login-flood benchmark (`npm run bench:login-flood`): a script, not a test.
 *
 * Issue 11 found that during a burst of 30 logins one 2-image upload took
 * 26.6 s instead of 78 ms: scrypt (128 MiB, a few hundred ms per hash at
 * OWASP's N = 2^17) ran on libuv's thread pool, the pool the upload's file
 * writes need too. This script starts the real server (`node dist/cli/main.js
 * serve`, SQLite, a fresh data dir, production's hash cost, background
 * workers off so the figures are the request path's), and then, per run:
 *
 *   - sends one `POST /cases` with two 15-megapixel fundus JPEGs (about
 *     2.5 MB each, generated once into .bench/fixtures/) on its own: "alone";
 *   - fires `--logins` parallel `POST /auth/login` with the demo reader's
 *     right password, each from its own address (X-Forwarded-For, the server
 *     trusts the proxy), so no throttle refuses any and every one costs a
 *     hash, and 50 ms later sends the same upload: "during the flood".
 *
 * Reported: the upload's median, min and max in ms alone and during the
 * flood, and how long the whole burst of logins took. Everything also goes
 * to .bench/login-flood-result.json.
 *
 *   npm run bench:login-flood
 *   npm run bench:login-flood -- --runs 5 --logins 30 --no-build --keep
 *   npm run bench:login-flood -- --server-env OPENRETINA_PASSWORD_HASH_CONCURRENCY=2
 *
 * Options: --runs <n> (5)  --logins <n> (30)  --delay <ms> (50, from the burst to the upload)
 *          --no-build  --keep  --out <file> (.bench/login-flood-result.json)
 *          --server-env KEY=VALUE (repeatable; experiments)
 *
 * Exits non-zero when a request fails.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serverEnvFrom } from './lib/args.js';
import { ensureBuild } from './lib/build.js';
import { buildMultipartBody, loadFundusImages } from './lib/fixtures.js';
import { HOST, authorize, demoReaderPassword, httpCall } from './lib/http.js';
import { type ServerProcess, freePort, startOpenretina, stopServer } from './lib/proc.js';
import { writeResult } from './lib/result.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, '.bench');

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    logins: { type: 'string', default: '30' },
    delay: { type: 'string', default: '50' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
    'server-env': { type: 'string', multiple: true, default: [] },
  },
  strict: true,
});
const runs = Number(args.runs);
const logins = Number(args.logins);
const delayMs = Number(args.delay);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(logins) || logins < 1 || !(delayMs >= 0)) {
  process.stderr.write('invalid --runs, --logins or --delay\n');
  process.exit(2);
}
const serverEnv = serverEnvFrom(args['server-env']);
const outFile = path.resolve(args.out ?? path.join(BENCH_DIR, 'login-flood-result.json'));

const log = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const stats = (values: readonly number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values), samples: values });
const ms = (value: number): string => value.toFixed(0).padStart(7);

interface Run {
  readonly aloneMs: number;
  readonly floodMs: number;
  /** From the first login sent to the last answer. */
  readonly burstMs: number;
}

async function main(): Promise<number> {
  log(`openretina login-flood benchmark — node ${process.version}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}`);
  ensureBuild(ROOT, { skip: args['no-build'], log });
  const images = await loadFundusImages(path.join(BENCH_DIR, 'fixtures'), log, { count: 2 });
  const multipart = buildMultipartBody(images);

  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-login-flood-'));
  let server: ServerProcess | null = null;
  let exitCode = 0;
  try {
    const port = await freePort(HOST);
    server = await startOpenretina({
      root: ROOT,
      dataDir: path.join(work, 'data'),
      port,
      env: { OPENRETINA_LOG_LEVEL: 'warn', OPENRETINA_WORKERS: 'false', OPENRETINA_TRUST_PROXY: 'true', ...serverEnv },
    });
    const token = await authorize(port, server.stdout());
    const loginBody = JSON.stringify({ email: 'reader@demo.openretina.org', password: demoReaderPassword(server.stdout()) });

    const upload = async (): Promise<number> => {
      const started = performance.now();
      const answer = await httpCall(port, 'POST', '/cases', { 'content-type': multipart.contentType, authorization: `Bearer ${token}` }, multipart.body);
      const elapsed = performance.now() - started;
      if (answer.status !== 201) throw new Error(`POST /cases answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      return elapsed;
    };
    const login = async (address: string): Promise<void> => {
      const answer = await httpCall(port, 'POST', '/auth/login', { 'content-type': 'application/json', 'x-forwarded-for': address }, loginBody);
      if (answer.status !== 200) throw new Error(`POST /auth/login answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    };

    log(`upload: POST /cases with ${images.length} images (${(multipart.body.length / 1e6).toFixed(1)} MB); burst: ${logins} logins at once, the upload ${delayMs} ms later`);
    await upload(); // warm-up: first-request costs (statement preparation, JIT)
    await login('198.51.100.1');
    const results: Run[] = [];
    for (let run = 0; run < runs; run++) {
      const aloneMs = await upload();
      const burstStarted = performance.now();
      const burst = Promise.all(Array.from({ length: logins }, (_, i) => login(`10.${run}.${i >> 8}.${i & 255}`)));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const floodMs = await upload();
      await burst;
      const burstMs = performance.now() - burstStarted;
      results.push({ aloneMs, floodMs, burstMs });
      log(`run ${run + 1}: upload alone ${ms(aloneMs)} ms, during the flood ${ms(floodMs)} ms; ${logins} logins took ${ms(burstMs)} ms`);
    }

    const alone = stats(results.map((r) => r.aloneMs));
    const flood = stats(results.map((r) => r.floodMs));
    const burst = stats(results.map((r) => r.burstMs));
    log();
    log(`                         median      min      max   (ms, ${runs} runs)`);
    log(`upload alone            ${ms(alone.median)}  ${ms(alone.min)}  ${ms(alone.max)}`);
    log(`upload during the flood ${ms(flood.median)}  ${ms(flood.min)}  ${ms(flood.max)}`);
    log(`${String(logins).padStart(2)} logins, whole burst ${ms(burst.median)}  ${ms(burst.min)}  ${ms(burst.max)}`);

    const stopped = await stopServer(server);
    if (stopped.killed || stopped.code !== 0) {
      log(`openretina did not exit cleanly on SIGINT: ${JSON.stringify(stopped)}`);
      exitCode = 1;
    }
    await writeResult(outFile, {
      settings: { runs, logins, delayMs, serverEnv },
      uploadBytes: multipart.body.length,
      uploadAloneMs: alone,
      uploadDuringFloodMs: flood,
      loginBurstMs: burst,
    });
    log(`result: ${path.relative(ROOT, outFile)}`);
  } finally {
    if (server && !server.exited()) await stopServer(server);
    if (args.keep) {
      if (server) await fs.writeFile(path.join(work, 'openretina.stdout.log'), server.stdout() + server.stderr());
      log(`kept ${work}`);
    } else await fs.rm(work, { recursive: true, force: true });
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:login-flood failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
