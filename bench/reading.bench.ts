/**
 * Reading benchmark (`npm run bench:reading`): a script, not a test.
 *
 * Issue #3 asks that opening a case with four 12-megapixel images shows them
 * within a second, without sending the originals first. This script starts
 * the real server (`node dist/cli/main.js serve`, SQLite, a fresh data dir,
 * the preview worker running as in production), uploads one case with four
 * synthetic 12-megapixel fundus JPEGs (about 2 MB each, generated once into
 * .bench/fixtures/), waits for the worker's previews, and then measures, as a
 * reader over real HTTP on 127.0.0.1, "open a case":
 *
 *   GET /reading/cases/:id, then its four images at once (?variant=preview)
 *
 * against the same with the four originals (and with the thumbnails), in the
 * same run, alternating so a drift of the machine hits all alike. Each mode
 * keeps its own keep-alive connections (at most 6, like a browser) and
 * nothing is cached. Reported: median, p95 and mean ms, bytes per open, the
 * ratios, what the bytes alone would take on slower links; how long the
 * worker took per image (its log) and from upload to all previews ready; and
 * how long rendering one image takes in this process with one thread.
 *
 *   npm run bench:reading
 *   npm run bench:reading -- --opens 40 --no-build --keep
 *
 * Options: --opens <n> (30 measured opens per mode)  --warmup <n> (3)  --no-build  --keep
 *          --out <file> (.bench/reading-result.json)
 *
 * Exits non-zero when a request fails, a variant is not what was asked, or
 * the previews do not open within a second (median or p95).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { limitImageThreads } from '../src/media/libraries.js';
import { renderVariants } from '../src/media/preview-renderer.js';
import { ensureBuild } from './lib/build.js';
import { READING_SIZE, buildMultipartBody, loadFundusImages } from './lib/fixtures.js';
import { HOST, authorize, demoReaderPassword, field, httpCall, parseJson } from './lib/http.js';
import { type ServerProcess, freePort, startOpenretina, stopServer } from './lib/proc.js';
import { writeResult } from './lib/result.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, '.bench');
const TARGET_MS = 1000;
const MODES = ['preview', 'original', 'thumb'] as const;
type Mode = (typeof MODES)[number];

const { values: args } = parseArgs({
  options: {
    opens: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
  strict: true,
});
const opens = Number(args.opens);
const warmup = Number(args.warmup);
if (!Number.isInteger(opens) || opens < 1 || !Number.isInteger(warmup) || warmup < 0) {
  process.stderr.write('invalid --opens or --warmup\n');
  process.exit(2);
}
const outFile = path.resolve(args.out ?? path.join(BENCH_DIR, 'reading-result.json'));

const log = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Fetched {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

function get(agent: http.Agent, port: number, urlPath: string, token: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: HOST, port, path: urlPath, agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

interface ReadingImage {
  readonly id: number;
  readonly sha256: string;
  readonly variants: Partial<Record<'preview' | 'thumb', { width: number; height: number; size: number }>>;
}

function imagesOf(viewText: string): ReadingImage[] {
  const images = field(field(field(parseJson(viewText), 'content'), 'case'), 'images');
  if (!Array.isArray(images)) throw new Error(`no images in the reading view: ${viewText.slice(0, 300)}`);
  return images as ReadingImage[];
}

/** One "open a case": the reading view, then its images at once; ms and body bytes. */
async function openCase(agent: http.Agent, port: number, token: string, caseId: number, mode: Mode): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const view = await get(agent, port, `/reading/cases/${caseId}`, token);
  if (view.status !== 200) throw new Error(`GET /reading/cases/${caseId} answered ${view.status}`);
  const images = imagesOf(view.body.toString('utf8'));
  const query = mode === 'original' ? '' : `?variant=${mode}`;
  const answers = await Promise.all(images.map((image) => get(agent, port, `/reading/cases/${caseId}/images/${image.id}${query}`, token)));
  const ms = performance.now() - started;
  answers.forEach((answer, i) => {
    if (answer.status !== 200) throw new Error(`image ${images[i]!.id} (${mode}) answered ${answer.status}`);
    if (answer.headers['x-image-variant'] !== mode) throw new Error(`asked for ${mode}, got ${String(answer.headers['x-image-variant'])}`);
    if (mode === 'original' && createHash('sha256').update(answer.body).digest('hex') !== images[i]!.sha256) throw new Error('original bytes differ');
  });
  return { ms, bytes: view.body.length + answers.reduce((sum, a) => sum + a.body.length, 0) };
}

interface ModeResult {
  readonly mode: Mode;
  readonly opens: number;
  readonly ms: { readonly median: number; readonly p95: number; readonly mean: number; readonly min: number; readonly max: number };
  readonly bytesPerOpen: number;
}

function summarize(mode: Mode, samples: readonly { ms: number; bytes: number }[]): ModeResult {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    mode,
    opens: samples.length,
    ms: {
      median: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
      min: sorted[0] ?? 0,
      max: sorted.at(-1) ?? 0,
    },
    bytesPerOpen: samples.reduce((sum, s) => sum + s.bytes, 0) / Math.max(1, samples.length),
  };
}

/** Rendering alone, in this process with one libvips thread: what the worker does per image. */
async function renderTimes(originals: readonly Buffer[]): Promise<number[]> {
  limitImageThreads(1);
  await renderVariants(originals[0]!, 1e8); // warm libvips up
  const times: number[] = [];
  for (const original of originals) {
    const started = performance.now();
    await renderVariants(original, 1e8);
    times.push(performance.now() - started);
  }
  return times;
}

async function main(): Promise<number> {
  log(`openretina reading benchmark — node ${process.version}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}`);
  ensureBuild(ROOT, { skip: args['no-build'], log });
  const images = await loadFundusImages(path.join(BENCH_DIR, 'fixtures'), log, { size: READING_SIZE, count: 4 });
  const multipart = buildMultipartBody(images);
  log(`case: ${images.map((i) => `${i.name} ${i.width}×${i.height} ${mb(i.bytes.length)} MB`).join(', ')}`);

  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-reading-bench-'));
  let server: ServerProcess | null = null;
  let exitCode = 0;
  try {
    const port = await freePort(HOST);
    server = await startOpenretina({
      root: ROOT,
      dataDir: path.join(work, 'data'),
      port,
      env: { OPENRETINA_LOG_LEVEL: 'info' }, // the preview worker's timings come from its log
    });
    const clientToken = await authorize(port, server.stdout());
    const password = demoReaderPassword(server.stdout());
    const login = await httpCall(port, 'POST', '/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ email: 'reader@demo.openretina.org', password }));
    const readerToken = field(field(parseJson(login.text), 'content'), 'access_token');
    if (typeof readerToken !== 'string') throw new Error(`POST /auth/login answered ${login.status}: ${login.text}`);

    const uploadStarted = performance.now();
    const created = await httpCall(port, 'POST', '/cases', { 'content-type': multipart.contentType, authorization: `Bearer ${clientToken}` }, multipart.body);
    const uploadMs = performance.now() - uploadStarted;
    const caseId = field(parseJson(created.text), 'content');
    if (created.status !== 201 || typeof caseId !== 'number') throw new Error(`POST /cases answered ${created.status}: ${created.text}`);
    const claim = await httpCall(port, 'POST', `/reading/cases/${caseId}/claim`, { authorization: `Bearer ${readerToken}` });
    if (claim.status !== 200) throw new Error(`claim answered ${claim.status}: ${claim.text}`);
    log(`upload: POST /cases with four images (${mb(multipart.body.length)} MB) → 201 in ${uploadMs.toFixed(0)} ms`);

    // Previews are made by the worker the upload woke; poll the reading view for them.
    let readyMs = 0;
    for (;;) {
      const view = await httpCall(port, 'GET', `/reading/cases/${caseId}`, { authorization: `Bearer ${readerToken}` });
      if (imagesOf(view.text).every((i) => i.variants.preview && i.variants.thumb)) {
        readyMs = performance.now() - uploadStarted - uploadMs;
        break;
      }
      if (performance.now() - uploadStarted > 120_000) throw new Error('the previews were not ready after 2 minutes');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const jobLines = server
      .stdout()
      .split('\n')
      .map(parseJson)
      .filter((line) => field(line, 'msg') === 'preview job');
    const workerMs = jobLines.map((line) => Number(field(line, 'ms')));
    log(`previews: all four ready ${readyMs.toFixed(0)} ms after the 201; the worker took ${workerMs.map((ms) => `${ms}`).join(', ')} ms per image (read, render, store)`);
    const inProcess = await renderTimes(images.map((i) => i.bytes));
    log(`rendering alone (this process, one libvips thread): ${inProcess.map((ms) => ms.toFixed(0)).join(', ')} ms per 12-MP image`);

    const agents = Object.fromEntries(MODES.map((m) => [m, new http.Agent({ keepAlive: true, maxSockets: 6 })])) as Record<Mode, http.Agent>;
    const samples: Record<Mode, { ms: number; bytes: number }[]> = { preview: [], original: [], thumb: [] };
    for (let round = 0; round < warmup + opens; round++) {
      // Rotate the order, so no mode always runs first or last.
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
      for (const mode of order) {
        const sample = await openCase(agents[mode], port, readerToken, caseId, mode);
        if (round >= warmup) samples[mode].push(sample);
      }
    }
    for (const agent of Object.values(agents)) agent.destroy();

    const results = MODES.map((mode) => summarize(mode, samples[mode]));
    const [previews, originals, thumbs] = results as [ModeResult, ModeResult, ModeResult];
    log();
    log(`open a case = GET /reading/cases/${caseId} + its 4 images at once; ${opens} opens per mode after ${warmup} warm-up, 127.0.0.1, no cache`);
    log('mode        median ms   p95 ms   mean ms   bytes/open');
    for (const r of results) {
      log(`${r.mode.padEnd(10)} ${r.ms.median.toFixed(1).padStart(9)} ${r.ms.p95.toFixed(1).padStart(8)} ${r.ms.mean.toFixed(1).padStart(9)}   ${mb(r.bytesPerOpen).padStart(7)} MB`);
    }
    const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
    log();
    log(
      `originals / previews: ${ratio(originals.ms.median, previews.ms.median).toFixed(1)}× the median time, ` +
        `${ratio(originals.ms.p95, previews.ms.p95).toFixed(1)}× the p95, ${ratio(originals.bytesPerOpen, previews.bytesPerOpen).toFixed(1)}× the bytes`,
    );
    const links = [20, 100];
    for (const mbit of links) {
      const at = (bytes: number) => ((bytes * 8) / (mbit * 1e6)) * 1000;
      log(`bytes alone at ${mbit} Mbit/s: previews ${at(previews.bytesPerOpen).toFixed(0)} ms, originals ${at(originals.bytesPerOpen).toFixed(0)} ms, thumbnails ${at(thumbs.bytesPerOpen).toFixed(0)} ms`);
    }
    const met = previews.ms.median < TARGET_MS && previews.ms.p95 < TARGET_MS;
    log(`target: the four previews open within ${TARGET_MS} ms (median and p95): ${met ? 'met' : 'NOT met'}`);
    if (!met) exitCode = 1;

    const stopped = await stopServer(server);
    if (stopped.killed || stopped.code !== 0) {
      log(`openretina did not exit cleanly on SIGINT: ${JSON.stringify(stopped)}`);
      exitCode = 1;
    }
    await writeResult(outFile, {
      images: images.map((i) => ({ name: i.name, width: i.width, height: i.height, bytes: i.bytes.length })),
      uploadMs,
      previewsReadyAfterMs: readyMs,
      workerMsPerImage: workerMs,
      renderMsPerImageInProcess: inProcess,
      settings: { opens, warmup },
      results,
      target: { ms: TARGET_MS, met },
    });
    log(`result: ${path.relative(ROOT, outFile)}`);
  } finally {
    if (server && !server.exited()) await stopServer(server);
    if (args.keep) {
      if (server) await fs.writeFile(path.join(work, 'openretina.stdout.log'), server.stdout());
      log(`kept ${work}`);
    } else await fs.rm(work, { recursive: true, force: true });
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:reading failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
