/**
 * Read figure (`npm run bench:read`): `GET /cases/{id}` requests/s under
 * autocannon (16 connections) against a bare Fastify route that returns the
 * same JSON (bench/bare-fastify.ts), in alternating rounds; then each server
 * once more under --cpu-prof, and where each microsecond of a request goes
 * (self time per area and per file of ours, in µs per request, samples of
 * the load window only).
 *
 * Ours is `node dist/cli/main.js serve` on a fresh SQLite data dir with its
 * workers on (as `npm start`), holding one case of two 15-megapixel images
 * whose checks and hashes are done, so the JSON is the full one a client gets.
 *
 *   npm run bench:read [-- --quick] [--out file] [--no-build]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from './lib/build.js';
import { type CannonResult, cannon, mergeCannon } from './lib/cannon.js';
import { mainThreadProfile, monotonicMicros, profileWindow, readCpuProfile, summarizeProfile } from './lib/cpuprofile.js';
import { type Spent, formatSpent, perRequest } from './lib/spent.js';
import { ROOT, type FigureRow, num, simpleFigureScript } from './lib/figure.js';
import { buildMultipartBody, loadFundusImages } from './lib/fixtures.js';
import { HOST, field, httpCall, parseJson } from './lib/http.js';
import { type Ours, startOurs } from './lib/ours.js';
import { type ServerProcess, freePort, stopServer } from './lib/proc.js';
import { startBareFastify } from './lib/bare.js';
import { writeResult } from './lib/result.js';

const TARGET = 0.3;
const CONNECTIONS = 16;

const { args, outFile, log } = simpleFigureScript('read');
const rounds = args.quick ? 1 : 3;
const seconds = args.quick ? 3 : 4;
const profileSeconds = args.quick ? 3 : 4;

/** A case of two images, once its checks and hashes are recorded: its id and the JSON `GET /cases/{id}` answers. */
async function readyCase(ours: Ours): Promise<{ id: number; json: string }> {
  const images = await loadFundusImages(path.join(ROOT, '.bench', 'fixtures'), log);
  const body = buildMultipartBody(images);
  const created = await httpCall(ours.port, 'POST', '/cases', { 'content-type': body.contentType, authorization: `Bearer ${ours.clientToken}` }, body.body);
  const id = field(parseJson(created.text), 'content');
  if (created.status !== 201 || typeof id !== 'number') throw new Error(`POST /cases answered ${created.status}: ${created.text}`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const got = await httpCall(ours.port, 'GET', `/cases/${id}`, { authorization: `Bearer ${ours.clientToken}` });
    const stored = field(field(parseJson(got.text), 'content'), 'images');
    if (Array.isArray(stored) && stored.every((i) => field(i, 'sha256') !== null && field(i, 'status') !== 'checking')) return { id, json: got.text };
    if (Date.now() > deadline) throw new Error(`case ${id}: checks not done after 2 minutes: ${got.text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One server under --cpu-prof for a load window; what a request costs it. */
async function profiled(
  name: string,
  start: (nodeArgs: string[]) => Promise<{ server: ServerProcess; url: string }>,
  headers: Record<string, string>,
  dir: string,
): Promise<Spent | null> {
  const profDir = path.join(dir, name);
  const { server, url } = await start(['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
  try {
    await cannon({ url, headers, connections: CONNECTIONS, seconds: 1 }); // warm-up: JIT and caches
    const from = monotonicMicros();
    const load = await cannon({ url, headers, connections: CONNECTIONS, seconds: profileSeconds });
    const to = monotonicMicros();
    await stopServer(server);
    const file = await mainThreadProfile(profDir, server.pid);
    if (file === null) return null;
    const summary = summarizeProfile(profileWindow(await readCpuProfile(file), from, to), file, ROOT, 400);
    return perRequest(summary, load.requests);
  } finally {
    if (!server.exited()) await stopServer(server);
  }
}

async function main(): Promise<number> {
  ensureBuild(ROOT, { skip: args['no-build'], log });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-read-bench-'));
  const dataDir = path.join(work, 'data');
  let ours: Ours | null = null;
  let bare: ServerProcess | null = null;
  try {
    ours = await startOurs({ root: ROOT, dataDir });
    const { id, json } = await readyCase(ours);
    const bodyFile = path.join(work, 'case.json');
    await fs.writeFile(bodyFile, json);
    const barePort = await freePort(HOST);
    bare = await startBareFastify(ROOT, barePort, bodyFile);
    const headers = { authorization: `Bearer ${ours.clientToken}` };
    const urls = { ours: `${ours.base}/cases/${id}`, bare: `http://${HOST}:${barePort}/cases/${id}` };
    const bareAnswer = await httpCall(barePort, 'GET', `/cases/${id}`, {});
    if (bareAnswer.text !== json) throw new Error('the bare route does not answer the same JSON');
    log(`GET /cases/${id}: ${json.length} bytes of JSON, the same from both; ${rounds} round(s) of ${seconds} s each, ${CONNECTIONS} connections`);

    const measured: Record<'ours' | 'bare', CannonResult[]> = { ours: [], bare: [] };
    for (const name of ['ours', 'bare'] as const) await cannon({ url: urls[name], headers, connections: CONNECTIONS, seconds: 1 });
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
      for (const name of order) {
        const r = await cannon({ url: urls[name], headers, connections: CONNECTIONS, seconds });
        measured[name].push(r);
        log(`  round ${round + 1} ${name.padEnd(4)}: ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.bad > 0 ? `, ${r.bad} BAD` : ''}`);
      }
    }
    const o = mergeCannon(measured.ours, seconds);
    const b = mergeCannon(measured.bare, seconds);
    const ratio = o.requestsPerSecond / Math.max(0.001, b.requestsPerSecond);
    await stopServer(bare);
    await stopServer(ours.server);

    // The same loads once more, profiled (slower: not the figures above).
    const profDir = path.join(ROOT, '.bench', 'prof', `read-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const clientToken = ours.clientToken;
    const spentOurs = await profiled(
      'ours',
      async (nodeArgs) => {
        const again = await startOurs({ root: ROOT, dataDir, nodeArgs, clientToken });
        return { server: again.server, url: `${again.base}/cases/${id}` };
      },
      headers,
      profDir,
    );
    const spentBare = await profiled('bare', async (nodeArgs) => ({ server: await startBareFastify(ROOT, barePort, bodyFile, { nodeArgs }), url: urls.bare }), {}, profDir);
    if (spentOurs) log(formatSpent('ours', spentOurs));
    if (spentBare) log(formatSpent('bare Fastify', spentBare));

    const bad = o.bad + b.bad;
    const where = spentOurs
      ? `ours ${num(spentOurs.busyUsPerRequest)} µs main-thread CPU/request against bare ${spentBare ? num(spentBare.busyUsPerRequest) : '?'}: ` +
        spentOurs.areas
          .slice(0, 5)
          .map((a) => `${a.name} ${num(a.us)}`)
          .join(', ') +
        ' µs'
      : 'no profile';
    const rows: FigureRow[] = [
      {
        figure: 'read',
        measure: `GET /cases/{id} req/s, ${CONNECTIONS} connections (p99)`,
        ours: `${num(o.requestsPerSecond)} (${o.p99} ms)`,
        baseline: `${num(b.requestsPerSecond)} (${b.p99} ms) bare route`,
        ratio,
        target: `≥ ${TARGET} ×`,
        met: bad === 0 && ratio >= TARGET,
        note: `${bad > 0 ? `${bad} bad answers! ` : ''}${where}`,
      },
    ];
    await writeResult(outFile, { rows, settings: { rounds, seconds, connections: CONNECTIONS }, bytes: json.length, ours: o, bare: b, rounds: measured, profile: { ours: spentOurs, bare: spentBare } });
    log(`ratio ${ratio.toFixed(2)} × (target ≥ ${TARGET} ×)`);
    return bad > 0 ? 1 : 0;
  } finally {
    if (bare && !bare.exited()) await stopServer(bare);
    if (ours && !ours.server.exited()) await stopServer(ours.server);
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:read failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
