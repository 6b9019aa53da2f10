/**
 * Intake benchmark (`npm run bench:intake`): a script, not a test.
 *
 * Sends the same `POST /cases` multipart body (the intake fields and two
 * 15-megapixel fundus JPEGs of about 2.5 MB) from 1, 4 and 16 concurrent
 * keep-alive clients to
 *   - the real server, `node dist/cli/main.js serve`, on a fresh SQLite data dir, and
 *   - a bare `node:http` server that only streams each body to a file (bench/bare-server.ts),
 * and reports requests/s, MB/s, the ratio ours/bare (target ≥ 0.7× at 16
 * clients), latency percentiles, and each server's RSS (VmRSS sampled every
 * 200 ms: peak and mean), CPU (whole process and event-loop thread), page
 * faults and disk writes per concurrency level ("memory flat whatever the
 * concurrency"). The table goes to stdout, everything to .bench/intake-result.json.
 * The test images are generated once with sharp into .bench/fixtures/.
 *
 *   npm run bench:intake
 *   npm run bench:intake -- --profile            # also --cpu-prof both servers and summarise
 *   npm run bench:intake -- --concurrency 16 --duration 20 --max-requests 600
 *
 * Options: --concurrency <list> (1,4,16)  --warmup <s> (3)  --duration <s> (15)
 *          --max-requests <n> (1000)  --rounds <n> (3)  --profile  --bare-fsync  --no-build  --keep
 *          --with-workers (run the server's background workers too: image previews, callbacks;
 *            off by default, so the figures are the upload request path's)
 *          --out <file> (.bench/intake-result.json; .bench/intake-result.profile.json with --profile)
 *          --server-env KEY=VALUE, --server-node-arg <flag>  (repeatable; for experiments on
 *            the real server only, e.g. --server-env UV_THREADPOOL_SIZE=16 --server-node-arg=--max-semi-space-size=64)
 *          --bare-node-arg <flag>  (repeatable) the same for the bare server, e.g. --bare-node-arg=--trace-gc
 *          --calibrate  after the phases, rounds at the target concurrency (16) between the bare server,
 *            ours and a second bare server that spins on its event loop for the main-thread CPU per
 *            request ours spent beyond the bare one in those phases (bench/bare-server.ts): how much of
 *            the gap that CPU alone explains.
 *
 * Each server's window (--duration seconds or --max-requests answers) is cut
 * into --rounds rounds that alternate between the two servers (bare, ours,
 * ours, bare, …), each after its own warm-up, so a drift of the machine
 * (disk write-back, a noisy neighbour) hits both alike. Before every round
 * the files earlier rounds wrote are removed and `sync` runs, so neither
 * server pays for the other's dirty pages or page-cache reclaim.
 *
 * After each round, `sync` is timed too: our server fsyncs before it answers,
 * the bare one leaves its bytes in the page cache, so its write-back falls
 * outside its window. The line "with write-back counted" divides each
 * server's answers by its windows plus those syncs; the headline ratio does not.
 *
 * Exits non-zero only when a request failed or a server misbehaved; missing
 * the throughput target is reported, not fatal.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serverEnvFrom } from './lib/args.js';
import { ensureBuild } from './lib/build.js';
import { type ProfileSummary, formatProfileSummary, mainThreadProfile, readCpuProfile, summarizeProfile } from './lib/cpuprofile.js';
import { type FundusImage, buildMultipartBody, loadFundusImages } from './lib/fixtures.js';
import { HOST, authorize, field, httpCall, parseJson } from './lib/http.js';
import { writeResult } from './lib/result.js';
import { type PhaseResult, type RoundResult, type Target, runRound, sendOnce, summarizeRounds } from './lib/load.js';
import {
  type RssStats,
  RssSampler,
  type ServerProcess,
  freePort,
  npmStartEnv,
  type CpuSnapshot,
  cpuSpent,
  readCpuSnapshot,
  readRss,
  readWriteBytes,
  startServer,
  stopServer,
} from './lib/proc.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, '.bench');
const TARGET_RATIO = 0.85; // issue 14 (0.7 × was issue 9's, met)
/** The issue states its target at 16 concurrent clients. */
const TARGET_CONCURRENCY = 16;

const { values: args } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '1,4,16' },
    warmup: { type: 'string', default: '3' },
    duration: { type: 'string', default: '15' },
    'max-requests': { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    'bare-fsync': { type: 'boolean', default: false },
    'with-workers': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
    'server-env': { type: 'string', multiple: true, default: [] },
    'server-node-arg': { type: 'string', multiple: true, default: [] },
    'bare-node-arg': { type: 'string', multiple: true, default: [] },
    calibrate: { type: 'boolean', default: false },
  },
  strict: true,
});

const concurrencies = args.concurrency
  .split(',')
  .map((v) => Number(v.trim()))
  .filter((v) => Number.isInteger(v) && v > 0);
const warmupMs = Number(args.warmup) * 1000;
const durationMs = Number(args.duration) * 1000;
const maxRequests = Number(args['max-requests']);
const rounds = Number(args.rounds);
if (concurrencies.length === 0 || !(warmupMs >= 0) || !(durationMs > 0) || !(maxRequests > 0) || !Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write('invalid --concurrency, --warmup, --duration, --max-requests or --rounds\n');
  process.exit(2);
}
const serverEnv = serverEnvFrom(args['server-env']);
const serverNodeArgs = args['server-node-arg'];
const outFile = path.resolve(args.out ?? path.join(BENCH_DIR, args.profile ? 'intake-result.profile.json' : 'intake-result.json'));

const log = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const mib = (bytes: number): string => (bytes / 1048576).toFixed(0);

// ---------------------------------------------------------------- checks

/**
 * One request before the load: the case must exist with both images intact.
 * It carries an Idempotency-Key, so the server hashes the images at once
 * (otherwise its image worker does, later) and the SHA-256 can be checked.
 */
async function checkOurIntake(target: Target, token: string, images: readonly FundusImage[]): Promise<void> {
  const answer = await sendOnce({ ...target, headers: { ...target.headers, 'idempotency-key': `bench-check-${Date.now()}` } });
  const caseId = field(parseJson(answer.text), 'content');
  if (answer.status !== 201 || typeof caseId !== 'number') {
    throw new Error(`check: POST /cases answered ${String(answer.status)} ${answer.error ?? answer.text}`);
  }
  const got = await httpCall(target.port, 'GET', `/cases/${caseId}`, { authorization: `Bearer ${token}` });
  const stored = field(field(parseJson(got.text), 'content'), 'images');
  if (got.status !== 200 || !Array.isArray(stored) || stored.length !== images.length) {
    throw new Error(`check: GET /cases/${caseId} answered ${got.status}: ${got.text.slice(0, 500)}`);
  }
  images.forEach((image, i) => {
    const s: unknown = stored[i];
    const sha = createHash('sha256').update(image.bytes).digest('hex');
    const shaOk = field(s, 'sha256') === sha;
    if (field(s, 'size') !== image.bytes.length || !shaOk || field(s, 'width') !== image.width || field(s, 'height') !== image.height) {
      throw new Error(`check: image ${i} stored as ${JSON.stringify(s)}`);
    }
  });
  log(`check: POST /cases → 201, case ${caseId} holds both images (${images.map((i) => `${i.width}×${i.height}, ${mb(i.bytes.length)} MB`).join('; ')}), sha256 verified`);
}

async function checkBare(target: Target): Promise<void> {
  const answer = await sendOnce(target);
  if (answer.status !== 201) throw new Error(`check: bare server answered ${String(answer.status)} ${answer.error ?? answer.text}`);
}

// ---------------------------------------------------------------- phases

/** One measured window of one server, with what the server spent in it. */
interface Round {
  readonly load: RoundResult;
  readonly rssPhase: RssStats;
  readonly rssWindow: RssStats;
  readonly cpuSeconds: number | null;
  readonly systemSeconds: number | null;
  readonly mainSeconds: number | null;
  readonly minorFaults: number | null;
  readonly writeBytes: number | null;
  /** Machine-wide busy share of all cores in the window (server, load generator, kernel, anything else). */
  readonly machineBusy: number | null;
  /**
   * Seconds `sync` took right after the window: the write-back of what the
   * server left in the page cache. Our server fsyncs before it answers; the
   * bare one never does, so its write-back otherwise falls outside its window.
   */
  readonly syncSeconds: number;
}

/** `bare+cpu`: the bare server spinning for our extra main-thread CPU (`--calibrate`). */
type ServerName = 'ours' | 'bare' | 'bare+cpu';

/** A server at one concurrency: its rounds merged. */
interface ServerPhase {
  readonly server: ServerName;
  readonly load: PhaseResult;
  /** RSS over the whole phase (warm-ups included) and over the measured windows. */
  readonly rssPhase: RssStats;
  readonly rssWindow: RssStats;
  /** Server CPU in the measured windows: seconds, share of one core, ms per request. */
  readonly cpuSeconds: number | null;
  readonly cpuCores: number | null;
  readonly cpuMsPerRequest: number | null;
  /** The event loop's thread alone: share of one core and ms per request. */
  readonly mainThreadCores: number | null;
  readonly mainThreadMsPerRequest: number | null;
  readonly writeBytesPerRequest: number | null;
  /** Share of the server's CPU spent in the kernel, and minor page faults per request. */
  readonly systemShare: number | null;
  readonly minorFaultsPerRequest: number | null;
  /** Machine-wide busy share of all cores, mean over the rounds. */
  readonly machineBusy: number | null;
  /** Requests per second of each round, in order. */
  readonly roundRequestsPerSecond: readonly number[];
  /** Requests per second with each round's write-back counted (window + the `sync` after it). */
  readonly durableRequestsPerSecond: number;
}

/**
 * `--calibrate`: the bare server, ours, and the bare server spinning for the
 * main-thread CPU per request ours spent beyond it, in the same rounds.
 */
interface Calibration {
  readonly extraMainThreadMsPerRequest: number;
  readonly nsPerByte: number;
  readonly bare: ServerPhase;
  readonly spinning: ServerPhase;
  readonly ours: ServerPhase;
}

function dropPageCacheDirt(): void {
  // Flush the previous window's dirty pages, so no server pays for another's writeback.
  spawnSync('sync');
}

async function emptyDirectory(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return; // not created yet
  }
  for (const entry of entries) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
}

/**
 * Every round starts from the same disk and page-cache state: the files the
 * previous rounds wrote (bare bodies, our image blobs) are removed and the
 * rest is synced. Otherwise whoever runs after a round that filled the page
 * cache pays for reclaiming it, and which server that is depends on the order.
 * (Our case rows keep pointing at removed blobs: nothing reads them here.)
 */
async function resetDisk(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) await emptyDirectory(dir);
  dropPageCacheDirt();
}

async function measureRound(server: ServerProcess, target: Target, concurrency: number, scratchDirs: readonly string[]): Promise<Round> {
  await resetDisk(scratchDirs);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const sampler = new RssSampler(server.pid, 200);
  let windowFrom = 0;
  let windowTo = Number.POSITIVE_INFINITY;
  let cpuFrom: CpuSnapshot | null = null;
  let cpuTo: CpuSnapshot | null = null;
  let ioFrom: number | null = null;
  let ioTo: number | null = null;
  const load = await runRound(target, {
    concurrency,
    warmupMs,
    durationMs: durationMs / rounds,
    maxRequests: Math.max(1, Math.ceil(maxRequests / rounds)),
    onWindowStart: () => {
      windowFrom = performance.now();
      sampler.sample();
      cpuFrom = readCpuSnapshot(server.pid);
      ioFrom = readWriteBytes(server.pid);
    },
    onWindowEnd: () => {
      sampler.sample();
      windowTo = performance.now();
      cpuTo = readCpuSnapshot(server.pid);
      ioTo = readWriteBytes(server.pid);
    },
  });
  sampler.stop();
  const syncStarted = performance.now();
  dropPageCacheDirt();
  const syncSeconds = (performance.now() - syncStarted) / 1000;
  const from = cpuFrom as CpuSnapshot | null;
  const to = cpuTo as CpuSnapshot | null;
  const spent = from !== null && to !== null ? cpuSpent(from, to) : null;
  const machine = spent?.machine ?? null;
  const ioStart = ioFrom as number | null;
  const ioEnd = ioTo as number | null;
  return {
    load,
    rssPhase: sampler.stats(),
    rssWindow: sampler.stats(windowFrom, windowTo),
    cpuSeconds: spent?.processSeconds ?? null,
    systemSeconds: spent?.systemSeconds ?? null,
    minorFaults: spent?.minorFaults ?? null,
    mainSeconds: spent?.mainThreadSeconds ?? null,
    writeBytes: ioStart !== null && ioEnd !== null ? ioEnd - ioStart : null,
    machineBusy: machine !== null && machine.total > 0 ? machine.busy / machine.total : null,
    syncSeconds,
  };
}

function mergeRss(stats: readonly RssStats[]): RssStats {
  const count = stats.reduce((sum, s) => sum + s.count, 0);
  return {
    peak: Math.max(0, ...stats.map((s) => s.peak)),
    mean: count === 0 ? 0 : stats.reduce((sum, s) => sum + s.mean * s.count, 0) / count,
    count,
  };
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
}

function mergeRounds(server: ServerName, measured: readonly Round[], bodyBytes: number): ServerPhase {
  const load = summarizeRounds(
    measured.map((r) => r.load),
    bodyBytes,
  );
  const cpuSeconds = sumOrNull(measured.map((r) => r.cpuSeconds));
  const mainSeconds = sumOrNull(measured.map((r) => r.mainSeconds));
  const writeBytes = sumOrNull(measured.map((r) => r.writeBytes));
  const systemSeconds = sumOrNull(measured.map((r) => r.systemSeconds));
  const minorFaults = sumOrNull(measured.map((r) => r.minorFaults));
  return {
    server,
    load,
    rssPhase: mergeRss(measured.map((r) => r.rssPhase)),
    rssWindow: mergeRss(measured.map((r) => r.rssWindow)),
    cpuSeconds,
    cpuCores: cpuSeconds !== null && load.seconds > 0 ? cpuSeconds / load.seconds : null,
    cpuMsPerRequest: cpuSeconds !== null && load.ok > 0 ? (1000 * cpuSeconds) / load.ok : null,
    mainThreadCores: mainSeconds !== null && load.seconds > 0 ? mainSeconds / load.seconds : null,
    mainThreadMsPerRequest: mainSeconds !== null && load.ok > 0 ? (1000 * mainSeconds) / load.ok : null,
    writeBytesPerRequest: writeBytes !== null && load.ok > 0 ? writeBytes / load.ok : null,
    systemShare: systemSeconds !== null && cpuSeconds !== null && cpuSeconds > 0 ? systemSeconds / cpuSeconds : null,
    minorFaultsPerRequest: minorFaults !== null && load.ok > 0 ? minorFaults / load.ok : null,
    machineBusy: measured.some((r) => r.machineBusy === null) ? null : measured.reduce((sum, r) => sum + (r.machineBusy ?? 0), 0) / Math.max(1, measured.length),
    roundRequestsPerSecond: measured.map((r) => (r.load.seconds > 0 ? r.load.ok / r.load.seconds : 0)),
    durableRequestsPerSecond: load.ok / Math.max(0.001, measured.reduce((sum, r) => sum + r.load.seconds + r.syncSeconds, 0)),
  };
}

/**
 * Rounds of the named servers in turn under the same load, the order
 * reversed every other round so that none always goes first (bare, ours |
 * ours, bare …); each server's rounds merged.
 */
async function alternatingRounds<N extends ServerName>(
  servers: Readonly<Record<N, { readonly server: ServerProcess; readonly target: Target }>>,
  order: readonly N[],
  concurrency: number,
  label: string,
  scratchDirs: readonly string[],
  bodyBytes: number,
): Promise<Record<N, ServerPhase>> {
  const measured = new Map<N, Round[]>(order.map((name) => [name, []]));
  const width = Math.max(...order.map((name) => name.length));
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? order : [...order].reverse()) {
      const { server, target } = servers[name];
      process.stdout.write(`  ${String(concurrency).padStart(2)} clients, ${label} ${round + 1}/${rounds}, ${name.padEnd(width)} … `);
      const result = await measureRound(server, target, concurrency, scratchDirs);
      measured.get(name)!.push(result);
      const r = result.load;
      log(
        `${r.ok} ok, ${r.failures} failed in ${r.seconds.toFixed(1)} s: ${(r.ok / Math.max(r.seconds, 0.001)).toFixed(2)} req/s, ` +
          `RSS peak ${mib(result.rssPhase.peak)} MiB, server CPU ${result.cpuSeconds === null ? '?' : ((100 * result.cpuSeconds) / Math.max(r.seconds, 0.001)).toFixed(0)}%, ` +
          `machine busy ${result.machineBusy === null ? '?' : (100 * result.machineBusy).toFixed(0)}%`,
      );
      for (const failure of r.failureSamples) log(`      failure: ${String(failure.status)} ${failure.message}`);
      if (server.exited()) throw new Error(`${server.name} exited during the load:\n${server.stderr().slice(-4000)}`);
    }
  }
  return Object.fromEntries(order.map((name) => [name, mergeRounds(name, measured.get(name)!, bodyBytes)])) as Record<N, ServerPhase>;
}

// ---------------------------------------------------------------- profiles

async function summarizeProfileFile(file: string): Promise<ProfileSummary> {
  return summarizeProfile(await readCpuProfile(file), file, ROOT, 25);
}

// ---------------------------------------------------------------- report

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(phases: readonly ServerPhase[]): string {
  const header = [
    pad('server', 8),
    pad('conc', 4, true),
    pad('ok', 5, true),
    pad('fail', 4, true),
    pad('req/s', 7, true),
    pad('MB/s', 7, true),
    pad('ratio', 6, true),
    pad('p50 ms', 8, true),
    pad('p95 ms', 8, true),
    pad('RSS peak', 9, true),
    pad('RSS mean', 9, true),
    pad('CPU', 6, true),
    pad('CPU ms/req', 10, true),
    pad('main', 5, true),
    pad('main ms/req', 11, true),
    pad('kernel', 6, true),
    pad('faults/req', 10, true),
    pad('disk MB/req', 11, true),
    pad('host', 5, true),
  ];
  const rows = [header.join('  '), '-'.repeat(header.join('  ').length)];
  for (const p of phases) {
    const bare = phases.find((b) => b.server === 'bare' && b.load.concurrency === p.load.concurrency);
    const ratio = p.server === 'ours' && bare && bare.load.requestsPerSecond > 0 ? (p.load.requestsPerSecond / bare.load.requestsPerSecond).toFixed(2) : '';
    rows.push(
      [
        pad(p.server, 8),
        pad(String(p.load.concurrency), 4, true),
        pad(String(p.load.ok), 5, true),
        pad(String(p.load.failures), 4, true),
        pad(p.load.requestsPerSecond.toFixed(2), 7, true),
        pad(p.load.megabytesPerSecond.toFixed(1), 7, true),
        pad(ratio, 6, true),
        pad(p.load.latencyMs.p50.toFixed(0), 8, true),
        pad(p.load.latencyMs.p95.toFixed(0), 8, true),
        pad(`${mib(p.rssPhase.peak)} MiB`, 9, true),
        pad(`${mib(p.rssWindow.mean)} MiB`, 9, true),
        pad(p.cpuCores === null ? '?' : `${(100 * p.cpuCores).toFixed(0)}%`, 6, true),
        pad(p.cpuMsPerRequest === null ? '?' : p.cpuMsPerRequest.toFixed(1), 10, true),
        pad(p.mainThreadCores === null ? '?' : `${(100 * p.mainThreadCores).toFixed(0)}%`, 5, true),
        pad(p.mainThreadMsPerRequest === null ? '?' : p.mainThreadMsPerRequest.toFixed(1), 11, true),
        pad(p.systemShare === null ? '?' : `${(100 * p.systemShare).toFixed(0)}%`, 6, true),
        pad(p.minorFaultsPerRequest === null ? '?' : p.minorFaultsPerRequest.toFixed(0), 10, true),
        pad(p.writeBytesPerRequest === null ? '?' : mb(p.writeBytesPerRequest), 11, true),
        pad(p.machineBusy === null ? '?' : `${(100 * p.machineBusy).toFixed(0)}%`, 5, true),
      ].join('  '),
    );
  }
  return rows.join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  log(`openretina intake benchmark — node ${process.version}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB${args.profile ? ', PROFILING (throughput not representative)' : ''}`);
  ensureBuild(ROOT, { skip: args['no-build'], log });

  const images = await loadFundusImages(path.join(BENCH_DIR, 'fixtures'), log);
  const multipart = buildMultipartBody(images);
  log(`body: ${multipart.body.length} bytes (${images.map((i) => `${i.name} ${i.width}×${i.height} ${i.bytes.length} B`).join(', ')})`);

  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-bench-'));
  const dataDir = path.join(work, 'data');
  const bareDir = path.join(work, 'bare');
  const ourImageDir = path.join(dataDir, 'blobs', 'images'); // FsBlobStore: <data dir>/blobs/images/xx/yy/<uuid>
  await fs.mkdir(bareDir, { recursive: true });
  const profDir = path.join(BENCH_DIR, 'prof', new Date().toISOString().replace(/[:.]/g, '-'));
  const profArgs = (who: string): string[] => (args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profDir, who)}`] : []);

  let ours: ServerProcess | null = null;
  let bare: ServerProcess | null = null;
  /** The bare server spinning for our extra main-thread CPU (--calibrate). */
  let spinning: ServerProcess | null = null;
  let exitCode = 0;
  try {
    const ourPort = await freePort(HOST);
    ours = await startServer({
      name: 'openretina',
      cwd: ROOT,
      port: ourPort,
      args: [
        ...profArgs('ours'),
        ...serverNodeArgs,
        'dist/cli/main.js',
        'serve',
      ],
      env: {
        ...process.env,
        ...npmStartEnv(ROOT),
        // The request path alone: image previews cost ~10× an intake in CPU
        // (decoding 15 MP), are made later by the background worker and,
        // under a sustained flood, would only measure how far behind it falls.
        OPENRETINA_WORKERS: args['with-workers'] ? 'true' : 'false',
        ...serverEnv,
        OPENRETINA_DATA_DIR: dataDir,
        OPENRETINA_PORT: String(ourPort),
        OPENRETINA_HOST: HOST,
        OPENRETINA_LOG_LEVEL: 'warn',
        // The highest value the config accepts (1–10 000 000): the limiter must never answer 429 here.
        OPENRETINA_RATE_LIMIT_PER_MINUTE: '10000000',
      },
      ready: /openretina listening on/,
    });
    const startBare = async (name: string, dir: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<ServerProcess> => {
      const port = await freePort(HOST);
      return startServer({
        name,
        cwd: ROOT,
        port,
        args: [...nodeArgs, ...args['bare-node-arg'], '--import', 'tsx', 'bench/bare-server.ts'],
        env: { ...process.env, BARE_HOST: HOST, BARE_PORT: String(port), BARE_DIR: dir, BARE_FSYNC: args['bare-fsync'] ? '1' : '0', ...env },
        ready: /bare-server listening on/,
      });
    };
    bare = await startBare('bare-server', bareDir, {}, profArgs('bare'));
    if (serverNodeArgs.length > 0 || Object.keys(serverEnv).length > 0) {
      log(
        `experiment: openretina started with node args [${serverNodeArgs.join(' ')}], env ${JSON.stringify(serverEnv)}`,
      );
    }
    log(`servers: openretina pid ${ours.pid} on :${ours.port} (data ${dataDir}, background workers ${args['with-workers'] ? 'on' : 'off'}); bare pid ${bare.pid} on :${bare.port}${args['bare-fsync'] ? ' (fsync)' : ''}`);

    const token = await authorize(ours.port, ours.stdout());
    const headers = { 'content-type': multipart.contentType, authorization: `Bearer ${token}` };
    const targets: Record<'ours' | 'bare', Target> = {
      ours: { host: HOST, port: ours.port, path: '/cases', headers, body: multipart.body, expectStatus: 201 },
      bare: { host: HOST, port: bare.port, path: '/cases', headers, body: multipart.body, expectStatus: 201 },
    };
    await checkOurIntake(targets.ours, token, images);
    await checkBare(targets.bare);
    const idleAtOnce = { ours: readRss(ours.pid), bare: readRss(bare.pid) };
    log(`RSS right after the check: openretina ${mib(idleAtOnce.ours ?? 0)} MiB, bare ${mib(idleAtOnce.bare ?? 0)} MiB`);
    // Idle is a server with nothing to do: ours returns what a burst used after OPENRETINA_IDLE_MEMORY_SECONDS
    // without a request (src/cli/idle-memory.ts), seen within twice that; both servers wait as long.
    const quietSeconds = Number(serverEnv['OPENRETINA_IDLE_MEMORY_SECONDS'] ?? process.env['OPENRETINA_IDLE_MEMORY_SECONDS'] ?? 5);
    const idleWaitMs = (2 * quietSeconds + 1) * 1000;
    await new Promise((resolve) => setTimeout(resolve, idleWaitMs));
    const idle = { ours: readRss(ours.pid), bare: readRss(bare.pid), afterMs: idleWaitMs, atOnce: idleAtOnce };
    log(`idle RSS ${idleWaitMs / 1000} s after the check: openretina ${mib(idle.ours ?? 0)} MiB, bare ${mib(idle.bare ?? 0)} MiB`);
    log(
      `load: concurrency ${concurrencies.join(', ')}; per server and concurrency ${rounds} round(s), each a ${warmupMs / 1000} s warm-up then ` +
        `${(durationMs / rounds / 1000).toFixed(1)} s or ${Math.ceil(maxRequests / rounds)} answers (${durationMs / 1000} s or ${maxRequests} in all)`,
    );
    log();

    const phases: ServerPhase[] = [];
    const servers = { bare: { server: bare, target: targets.bare }, ours: { server: ours, target: targets.ours } };
    for (const concurrency of concurrencies) {
      const merged = await alternatingRounds(servers, ['bare', 'ours'], concurrency, 'round', [bareDir, ourImageDir], multipart.body.length);
      phases.push(merged.bare, merged.ours);
    }

    log();
    log(table(phases));
    log(
      '  CPU: whole server process, % of one core (2 cores = 200%); main: its event-loop thread alone; kernel: share of the CPU in system time;\n' +
        '  faults/req: minor page faults per request; disk: bytes written per request (/proc/<pid>/io); host: all cores of the machine busy\n' +
        '  (everything: servers, load generator, kernel, anything else). All from /proc, measured windows only.',
    );
    log();
    // The target's concurrency when it was measured, else the highest one.
    const last = concurrencies.includes(TARGET_CONCURRENCY) ? TARGET_CONCURRENCY : concurrencies[concurrencies.length - 1]!;
    const ourLast = phases.find((p) => p.server === 'ours' && p.load.concurrency === last);
    const bareLast = phases.find((p) => p.server === 'bare' && p.load.concurrency === last);
    const ratio = ourLast && bareLast && bareLast.load.requestsPerSecond > 0 ? ourLast.load.requestsPerSecond / bareLast.load.requestsPerSecond : 0;
    for (const concurrency of concurrencies) {
      const o = phases.find((p) => p.server === 'ours' && p.load.concurrency === concurrency);
      const b = phases.find((p) => p.server === 'bare' && p.load.concurrency === concurrency);
      if (!o || !b) continue;
      const perRound = o.roundRequestsPerSecond.map((rps, i) => {
        const bareRps = b.roundRequestsPerSecond[i] ?? 0;
        return bareRps > 0 ? (rps / bareRps).toFixed(2) : '?';
      });
      log(`ratio per round at ${String(concurrency).padStart(2)} clients: ${perRound.join(', ')}  (ours ${o.roundRequestsPerSecond.map((v) => v.toFixed(1)).join('/')} vs bare ${b.roundRequestsPerSecond.map((v) => v.toFixed(1)).join('/')} req/s)`);
    }
    for (const concurrency of concurrencies) {
      const o = phases.find((p) => p.server === 'ours' && p.load.concurrency === concurrency);
      const b = phases.find((p) => p.server === 'bare' && p.load.concurrency === concurrency);
      if (!o || !b) continue;
      log(
        `with write-back counted at ${String(concurrency).padStart(2)} clients (each round's window plus the sync after it): ` +
          `ours ${o.durableRequestsPerSecond.toFixed(1)} vs bare ${b.durableRequestsPerSecond.toFixed(1)} req/s → ${(o.durableRequestsPerSecond / Math.max(0.001, b.durableRequestsPerSecond)).toFixed(2)}×`,
      );
    }
    log(`throughput at ${last} clients: openretina ${ourLast?.load.requestsPerSecond.toFixed(2)} req/s vs bare ${bareLast?.load.requestsPerSecond.toFixed(2)} req/s → ${ratio.toFixed(2)}× (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`);
    const ourPhases = phases.filter((p) => p.server === 'ours');
    const peaks = ourPhases.map((p) => `${mib(p.rssPhase.peak)} MiB @${p.load.concurrency}`);
    const minPeak = Math.min(...ourPhases.map((p) => p.rssPhase.peak));
    const maxPeak = Math.max(...ourPhases.map((p) => p.rssPhase.peak));
    log(`openretina RSS peak per concurrency: ${peaks.join(', ')} (idle ${mib(idle.ours ?? 0)} MiB; spread ${mib(maxPeak - minPeak)} MiB = ${((100 * (maxPeak - minPeak)) / Math.max(1, minPeak)).toFixed(0)}%)`);
    const clientCpu = phases.map((p) => `${p.server}@${p.load.concurrency} ${((100 * p.load.clientCpuSeconds) / Math.max(0.001, p.load.seconds)).toFixed(0)}%`);
    log(`load generator CPU (of one core): ${clientCpu.join(', ')}`);

    let calibration: Calibration | null = null;
    if (args.calibrate && ourLast?.mainThreadMsPerRequest != null && bareLast?.mainThreadMsPerRequest != null) {
      const extraMs = Math.max(0, ourLast.mainThreadMsPerRequest - bareLast.mainThreadMsPerRequest);
      const nsPerByte = (extraMs * 1e6) / multipart.body.length;
      const spinDir = path.join(work, 'bare-spinning');
      await fs.mkdir(spinDir, { recursive: true });
      spinning = await startBare('bare-server (spinning)', spinDir, { BARE_CPU_NS_PER_BYTE: String(nsPerByte) });
      await checkBare({ ...targets.bare, port: spinning.port });
      log();
      log(`calibration at ${last} clients: a second bare server spins ${extraMs.toFixed(2)} ms per request on its event loop (${nsPerByte.toFixed(3)} ns per body byte), ours' main-thread CPU beyond the bare one's above`);
      const merged = await alternatingRounds(
        { ...servers, 'bare+cpu': { server: spinning, target: { ...targets.bare, port: spinning.port } } },
        ['bare', 'bare+cpu', 'ours'],
        last,
        'calibration round',
        [bareDir, spinDir, ourImageDir],
        multipart.body.length,
      );
      calibration = { extraMainThreadMsPerRequest: extraMs, nsPerByte, bare: merged.bare, spinning: merged['bare+cpu'], ours: merged.ours };
      log(table([merged.bare, merged['bare+cpu'], merged.ours]));
      const rps = (n: ServerName): number => merged[n].load.requestsPerSecond;
      log(
        `calibration: the spinning bare server made ${(rps('bare+cpu') / Math.max(0.001, rps('bare'))).toFixed(2)}× the bare one's requests/s ` +
          `(${rps('bare+cpu').toFixed(1)} vs ${rps('bare').toFixed(1)}); ours ${(rps('ours') / Math.max(0.001, rps('bare+cpu'))).toFixed(2)}× the spinning one's (${rps('ours').toFixed(1)})`,
      );
    }

    const failures = phases.reduce((sum, p) => sum + p.load.failures, 0) + (calibration ? calibration.bare.load.failures + calibration.spinning.load.failures + calibration.ours.load.failures : 0);
    if (failures > 0) {
      log(`FAILED: ${failures} requests did not answer 201`);
      exitCode = 1;
    }

    // Stop the servers (SIGINT: graceful, so --cpu-prof writes its file).
    const ourExit = await stopServer(ours);
    const bareExit = await stopServer(bare);
    if (spinning) await stopServer(spinning);
    if (ourExit.killed || ourExit.code !== 0) {
      log(`openretina did not exit cleanly on SIGINT: ${JSON.stringify(ourExit)}`);
      exitCode = 1;
    }
    if (bareExit.killed) log(`bare server had to be killed: ${JSON.stringify(bareExit)}`);
    const ourStderr = ours.stderr().trim();
    if (ourStderr !== '') log(`openretina stderr (last 2000 chars):\n${ourStderr.slice(-2000)}`);

    const profiles: Record<string, ProfileSummary> = {};
    if (args.profile) {
      for (const who of ['ours', 'bare'] as const) {
        const file = await mainThreadProfile(path.join(profDir, who), who === 'ours' ? ours.pid : bare.pid);
        if (file === null) {
          log(`no .cpuprofile was written for ${who}`);
          continue;
        }
        profiles[who] = await summarizeProfileFile(file);
        log();
        log(formatProfileSummary(who === 'ours' ? `CPU profile, openretina (${file})` : `CPU profile, bare server (${file})`, profiles[who]));
      }
    }

    await writeResult(outFile, {
      profiled: args.profile,
      bareFsync: args['bare-fsync'],
      settings: { concurrencies, rounds, warmupMs, durationMs, maxRequests, serverEnv, serverNodeArgs },
      body: { bytes: multipart.body.length, images: images.map((i) => ({ name: i.name, bytes: i.bytes.length, width: i.width, height: i.height })) },
      idleRss: idle,
      target: { ratio: TARGET_RATIO, atConcurrency: last, measured: ratio, met: ratio >= TARGET_RATIO },
      phases,
      calibration,
      profiles,
      failures,
    });
    log();
    log(`result: ${path.relative(ROOT, outFile)}`);
  } finally {
    if (ours && !ours.exited()) await stopServer(ours);
    if (bare && !bare.exited()) await stopServer(bare);
    if (spinning && !spinning.exited()) await stopServer(spinning);
    if (args.keep) {
      for (const [name, server] of [['openretina', ours], ['bare', bare]] as const) {
        if (server === null) continue;
        await fs.writeFile(path.join(work, `${name}.stdout.log`), server.stdout());
        await fs.writeFile(path.join(work, `${name}.stderr.log`), server.stderr());
      }
      log(`kept ${work} (data, bodies, server logs)`);
    }
    else await fs.rm(work, { recursive: true, force: true });
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:intake failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
