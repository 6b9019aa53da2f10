/**
 * Report figure (`npm run bench:report`): the first render of a signed
 * report with four images (`GET /cases/report/{id}?format=pdf` right after
 * signing, as the clinic's client fetches it on the callback), then the
 * cached download under autocannon (16 connections), as the PDF and as the
 * base64 JSON the OPTretina SDK reads, each beside a bare Fastify route
 * sending the same bytes (bench/bare-fastify.ts).
 *
 * Ours is `serve` with its workers on (as `npm start`): each case is four
 * generated 12-megapixel fundus JPEGs (the reading figure's), signed once its
 * thumbnails are made, so the render uses them as in production.
 *
 *   npm run bench:report [-- --quick] [--out file] [--no-build]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBareFastify } from './lib/bare.js';
import { ensureBuild } from './lib/build.js';
import { type CannonResult, cannon } from './lib/cannon.js';
import { ROOT, type FigureRow, median, num, simpleFigureScript } from './lib/figure.js';
import { READING_SIZE, buildMultipartBody, loadFundusImages } from './lib/fixtures.js';
import { HOST, field, httpCall, parseJson } from './lib/http.js';
import { type Ours, SIGN_BODY, call, readerToken, startOurs } from './lib/ours.js';
import { type ServerProcess, freePort, stopServer } from './lib/proc.js';
import { writeResult } from './lib/result.js';

const FIRST_RENDER_MS = 300;
const DOWNLOADS_PER_SECOND = 1000;
const CONNECTIONS = 16;

const { args, outFile, log } = simpleFigureScript('report');
const casesToSign = args.quick ? 2 : 4;
const seconds = args.quick ? 3 : 4;

/** Waits until every image of the case has its thumbnail (the reading view lists ready variants). */
async function thumbnailsReady(ours: Ours, reader: string, caseId: number): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const view = await call(ours, 'GET', `/reading/cases/${caseId}`, reader);
    const images = field(field(field(view, 'content'), 'case'), 'images');
    if (Array.isArray(images) && images.length === 4 && images.every((i) => field(field(i, 'variants'), 'thumb') !== undefined)) return;
    if (Date.now() > deadline) throw new Error(`case ${caseId}: thumbnails not ready after 3 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<number> {
  ensureBuild(ROOT, { skip: args['no-build'], log });
  const images = await loadFundusImages(path.join(ROOT, '.bench', 'fixtures'), log, { size: READING_SIZE, count: 4 });
  const multipart = buildMultipartBody(images);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-report-bench-'));
  let ours: Ours | null = null;
  const bares: ServerProcess[] = [];
  try {
    ours = await startOurs({ root: ROOT, dataDir: path.join(work, 'data') });
    const reader = await readerToken(ours);
    const client = { authorization: `Bearer ${ours.clientToken}` };
    const ids: number[] = [];
    for (let i = 0; i < casesToSign; i++) {
      const created = await httpCall(ours.port, 'POST', '/cases', { ...client, 'content-type': multipart.contentType }, multipart.body);
      const id = field(parseJson(created.text), 'content');
      if (created.status !== 201 || typeof id !== 'number') throw new Error(`POST /cases answered ${created.status}: ${created.text}`);
      ids.push(id);
    }
    // Sign each once its thumbnails exist, then fetch its PDF at once: the first render.
    const firstMs: number[] = [];
    let pdf = Buffer.alloc(0);
    for (const id of ids) {
      await call(ours, 'POST', `/reading/cases/${id}/claim`, reader);
      await thumbnailsReady(ours, reader, id);
      await call(ours, 'POST', `/reading/cases/${id}/sign`, reader, SIGN_BODY);
      const started = performance.now();
      const first = await httpCall(ours.port, 'GET', `/cases/report/${id}?format=pdf`, client);
      firstMs.push(performance.now() - started);
      if (first.status !== 200 || !first.text.startsWith('%PDF')) throw new Error(`first GET /cases/report/${id} answered ${first.status}`);
      log(`  case ${id}: first render ${firstMs.at(-1)!.toFixed(0)} ms`);
    }
    const id = ids[0]!;
    const pdfAnswer = await fetch(`${ours.base}/cases/report/${id}?format=pdf`, { headers: client });
    pdf = Buffer.from(await pdfAnswer.arrayBuffer());
    const base64Answer = await httpCall(ours.port, 'GET', `/cases/report/${id}`, client);
    if (field(parseJson(base64Answer.text), 'content') !== pdf.toString('base64')) throw new Error('the base64 answer is not the PDF');
    const pdfFile = path.join(work, 'report.pdf');
    const jsonFile = path.join(work, 'report.json');
    await fs.writeFile(pdfFile, pdf);
    await fs.writeFile(jsonFile, base64Answer.text);
    log(`report: ${pdf.length} bytes of PDF, ${base64Answer.text.length} bytes as base64 JSON`);

    const barePdfPort = await freePort(HOST);
    bares.push(await startBareFastify(ROOT, barePdfPort, pdfFile, { contentType: 'application/pdf' }));
    const bareJsonPort = await freePort(HOST);
    bares.push(await startBareFastify(ROOT, bareJsonPort, jsonFile));
    const targets = {
      pdf: { ours: `${ours.base}/cases/report/${id}?format=pdf`, bare: `http://${HOST}:${barePdfPort}/r` },
      base64: { ours: `${ours.base}/cases/report/${id}`, bare: `http://${HOST}:${bareJsonPort}/r` },
    };
    const cached: Record<string, CannonResult> = {};
    for (const kind of ['pdf', 'base64'] as const) {
      for (const who of ['bare', 'ours'] as const) {
        await cannon({ url: targets[kind][who], headers: client, connections: CONNECTIONS, seconds: 1 });
        const r = await cannon({ url: targets[kind][who], headers: client, connections: CONNECTIONS, seconds });
        cached[`${kind}:${who}`] = r;
        log(`  cached ${kind.padEnd(6)} ${who.padEnd(4)}: ${r.requestsPerSecond.toFixed(0)}/s, p99 ${r.p99} ms${r.bad > 0 ? `, ${r.bad} BAD` : ''}`);
      }
    }
    const bad = Object.values(cached).reduce((s, r) => s + r.bad, 0);
    const firstMedian = median(firstMs);
    const rows: FigureRow[] = [
      {
        figure: 'report',
        measure: `first render, 4 images (median of ${firstMs.length})`,
        ours: `${num(firstMedian)} ms`,
        baseline: '—',
        ratio: null,
        target: `≤ ${FIRST_RENDER_MS} ms`,
        met: firstMedian <= FIRST_RENDER_MS,
        note: `each: ${firstMs.map((v) => v.toFixed(0)).join(', ')} ms (GET right after signing: authentication, the render from the stored thumbnails, the blob write, the answer)`,
      },
      ...(['pdf', 'base64'] as const).map((kind): FigureRow => {
        const o = cached[`${kind}:ours`]!;
        const b = cached[`${kind}:bare`]!;
        return {
          figure: 'report',
          measure: `cached download ${kind === 'pdf' ? 'PDF' : 'base64 JSON'}/s, ${CONNECTIONS} connections`,
          ours: num(o.requestsPerSecond),
          baseline: `${num(b.requestsPerSecond)} bare route, same bytes`,
          ratio: o.requestsPerSecond / Math.max(0.001, b.requestsPerSecond),
          target: `≥ ${DOWNLOADS_PER_SECOND}/s`,
          met: bad === 0 && o.requestsPerSecond >= DOWNLOADS_PER_SECOND,
          note: `p99 ${o.p99} ms against ${b.p99} ms; ${kind === 'pdf' ? pdf.length : base64Answer.text.length} bytes`,
        };
      }),
    ];
    await writeResult(outFile, { rows, firstRenderMs: firstMs, pdfBytes: pdf.length, cached, settings: { casesToSign, seconds, connections: CONNECTIONS } });
    return bad > 0 ? 1 : 0;
  } finally {
    for (const bare of bares) if (!bare.exited()) await stopServer(bare);
    if (ours && !ours.server.exited()) await stopServer(ours.server);
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench:report failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
