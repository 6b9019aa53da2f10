import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { openPlatform } from '../../src/platform.js';
import { imageOfVariantBlobKey } from '../../src/services/preview.service.js';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { testConfig } from '../helpers/config.js';
import { type TestDatabase, createTestDatabase, describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type OpenretinaProcess, spawnOpenretina } from '../helpers/process.js';

type Envelope<T> = { success: boolean; content: T };

/** Crashes per database: each one a new server, 50 uploads and a SIGKILL at a random moment among them. */
const ROUNDS = 2;
const UPLOADS = 50;
/** Uploads begin within this, each taking a few hundred milliseconds; the kill falls inside it. */
const UPLOAD_WINDOW_MS = 1000;

/**
 * Distinct photographs, two per upload: a round hands each to one request
 * only. Drawn once per file: both dialects' suites send the same ones (each
 * suite has its own database).
 */
const photographs = Promise.all(
  Array.from({ length: 2 * UPLOADS }, () => makeImage('jpeg', 320 + Math.floor(Math.random() * 320), 240 + Math.floor(Math.random() * 240))),
);
// A rejection is reported by the test that awaits it, not as an unhandled one at start-up.
photographs.catch(() => {});

/** One `POST /cases` as the test sent it, and what came back (null: no answer, the server died first). */
interface Upload {
  readonly historyNumber: string;
  readonly images: readonly Buffer[];
  status: number | null;
  caseId: number | null;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The same hashes in the same number, whatever the order. */
const sameImages = (stored: readonly string[], sent: readonly Buffer[]) => assert.deepEqual([...stored].sort(), sent.map(sha256).sort());

/**
 * Sends a case with its images as a camera app on a real network would:
 * the body in pieces of 4–20 KB with pauses, so that a crash can find it at
 * any point (headers, fields, first image, second image, waiting for its 201).
 */
async function sendCase(baseUrl: string, token: string, upload: Upload): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ history_number: upload.historyNumber, gender: '0', age: '66', diabetes: '1' })) form.append(k, v);
  upload.images.forEach((bytes, i) => form.append('images[]', new Blob([bytes]), i === 0 ? 'od.jpg' : 'os.jpg'));
  const encoded = new Request(baseUrl, { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  await new Promise<void>((resolve) => {
    const request = http.request(`${baseUrl}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': encoded.headers.get('content-type')!, 'content-length': String(body.length) },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        upload.status = response.statusCode ?? null;
        if (upload.status === 201) upload.caseId = (JSON.parse(Buffer.concat(chunks).toString()) as Envelope<number>).content;
        resolve();
      });
      response.on('error', () => resolve());
    });
    request.on('error', () => resolve());
    void (async () => {
      for (let offset = 0; offset < body.length && !request.destroyed; ) {
        const piece = 4096 + Math.floor(Math.random() * 16384);
        request.write(body.subarray(offset, offset + piece));
        offset += piece;
        await sleep(Math.random() * 12);
      }
      request.end();
    })();
  });
}

/** Every regular file below `dir`, with its key relative to it (the running server's own writes may come and go meanwhile). */
async function filesOf(dir: string): Promise<{ file: string; key: string; modified: number }[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const found = await Promise.all(
    files.map(async (file) => {
      const stat = await fs.stat(file).catch(() => null);
      return stat && { file, key: path.relative(dir, file).split(path.sep).join('/'), modified: stat.mtimeMs };
    }),
  );
  return found.filter((f) => f !== null);
}

/**
 * Reliability scenario 30: `kill -9` mid-upload. The server is killed at a
 * random moment while 50 cases with one or two photographs each stream in.
 * After the restart, every case that got its 201 is whole (the SHA-256 of
 * each image, read back as a reader reads it, is that of the bytes sent), no
 * case is partial (every case holds exactly the images its request carried,
 * every image row has its file), and the start-up sweep has removed every
 * temporary file and every unreferenced blob the crash left — at once, not
 * an hour later.
 */
describeEachDialect('uploads survive a crash (SIGKILL during 50 uploads)', (dialect) => {
  let database: TestDatabase;
  let db: DatabaseHandle;
  let blobDir: string;
  let demo: { clientId: string; clientSecret: string; readerEmail: string; readerPassword: string };
  const running: OpenretinaProcess[] = [];

  const start = async () => {
    // Logs at info: the start-up sweep says when it is done.
    const server = await spawnOpenretina(database, 'serve', { OPENRETINA_LOG_LEVEL: 'info' });
    running.push(server);
    return server;
  };
  const sweepOf = async (server: OpenretinaProcess) => {
    const [line] = await server.waitFor(/\{[^\n]*"msg":"start-up sweep done"[^\n]*\}/, 20_000);
    return JSON.parse(line) as { tempFiles: number; orphanBlobs: number };
  };

  before(async () => {
    database = await createTestDatabase(dialect);
    blobDir = testConfig(database).blobDir;
    const platform = await openPlatform(testConfig(database));
    const seeded = await platform.services.admin.seedDemoIfEmpty();
    await platform.close();
    assert.ok(seeded);
    demo = { clientId: seeded.client.clientId, clientSecret: seeded.client.clientSecret, readerEmail: seeded.reader.email, readerPassword: seeded.reader.password ?? '' };
    db = openDatabase(database.url);
  });
  after(async () => {
    for (const server of running) await server.kill('SIGKILL');
    await db.close();
    await database.drop();
  });

  /** The blob keys rows name, and the images whose preview job is still to run (its files will be written again). */
  const references = async () => {
    const images = await db.db.selectFrom('case_images').select('blob_key').execute();
    const variants = await db.db.selectFrom('image_variants').select('blob_key').execute();
    const pending = await db.db.selectFrom('preview_jobs').select('image_id').where('state', '=', 'pending').execute();
    return { named: new Set([...images, ...variants].map((r) => r.blob_key)), pending: new Set(pending.map((r) => Number(r.image_id))) };
  };

  /** What a crash left: temporary files, and image or preview files no row names and no pending job will rewrite. */
  const leftovers = async () => {
    const { named, pending } = await references();
    return (await filesOf(blobDir)).filter(({ key }) => {
      if (path.posix.basename(key).startsWith('.tmp-')) return true;
      if (named.has(key)) return false;
      if (key.startsWith('images/')) return true;
      return key.startsWith('previews/') && !pending.has(imageOfVariantBlobKey(key) ?? -1);
    });
  };

  /** 50 uploads, and a SIGKILL somewhere among them. */
  const crashDuringUploads = async (server: OpenretinaProcess, round: number): Promise<Upload[]> => {
    const authorized = await fetch(`${server.baseUrl}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: demo.clientId, client_secret: demo.clientSecret, grant_type: 'client_credentials' }),
    });
    const token = ((await authorized.json()) as { access_token: string }).access_token;
    const shuffled = [...(await photographs)].sort(() => Math.random() - 0.5);
    const uploads: Upload[] = Array.from({ length: UPLOADS }, (_, i) => ({
      historyNumber: `CRASH-${round}-${i}`,
      images: shuffled.slice(2 * i, 2 * i + 1 + Math.floor(Math.random() * 2)),
      status: null,
      caseId: null,
    }));
    let acknowledge = () => {};
    const firstAcknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    const sent = Promise.all(
      uploads.map(async (upload) => {
        await sleep(Math.random() * UPLOAD_WINDOW_MS);
        await sendCase(server.baseUrl, token, upload);
        if (upload.status === 201) acknowledge();
      }),
    ).then(() => acknowledge());
    // At a random moment, but not before one case is acknowledged: however slow the machine, each round has one to check.
    const killed = sleep(UPLOAD_WINDOW_MS * (0.25 + 0.75 * Math.random()))
      .then(() => firstAcknowledged)
      .then(() => server.kill('SIGKILL'));
    await Promise.all([killed, sent]);
    return uploads;
  };

  /** After the restart: acknowledged cases whole, read back as a reader reads them; no partial case; no row without its file. */
  const checkCases = async (server: OpenretinaProcess, round: number, uploads: readonly Upload[]) => {
    const rows = await db.db
      .selectFrom('cases')
      .leftJoin('case_images', 'case_images.case_id', 'cases.id')
      .select(['cases.id as caseId', 'cases.history_number as historyNumber', 'case_images.blob_key as blobKey'])
      .where('cases.history_number', 'like', `CRASH-${round}-%`)
      .execute();
    const stored = new Map<string, { caseId: number; hashes: string[] }>();
    for (const row of rows) {
      const entry = stored.get(row.historyNumber!) ?? { caseId: Number(row.caseId), hashes: [] };
      stored.set(row.historyNumber!, entry);
      if (row.blobKey === null) continue;
      const file = path.join(blobDir, ...row.blobKey.split('/'));
      const bytes = await fs.readFile(file).catch(() => assert.fail(`image row of case ${row.historyNumber} names ${row.blobKey}, which is not there`));
      entry.hashes.push(sha256(bytes));
    }
    const sent = new Map(uploads.map((u) => [u.historyNumber, u]));
    for (const [historyNumber, { caseId, hashes }] of stored) {
      const upload = sent.get(historyNumber)!;
      // Acknowledged or not (a 201 lost to the crash), a case that exists holds exactly the images its request carried.
      sameImages(hashes, upload.images);
      if (upload.caseId !== null) assert.equal(caseId, upload.caseId);
    }
    const variants = await db.db.selectFrom('image_variants').select('blob_key').execute();
    for (const { blob_key } of variants) await fs.access(path.join(blobDir, ...blob_key.split('/')));

    const acknowledged = uploads.filter((u) => u.status === 201);
    const login = await fetch(`${server.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demo.readerEmail, password: demo.readerPassword }),
    });
    const reader = { authorization: `Bearer ${((await login.json()) as Envelope<{ access_token: string }>).content.access_token}` };
    // The cases side by side: each is its own claim, read and release, a few database writes each (on PostgreSQL one
    // after the other they took seconds a round).
    await Promise.all(
      acknowledged.map(async (upload) => {
        assert.ok(stored.has(upload.historyNumber), `case ${upload.caseId} got its 201 and is there`);
        const base = `${server.baseUrl}/reading/cases/${upload.caseId}`;
        assert.equal((await fetch(`${base}/claim`, { method: 'POST', headers: reader })).status, 200);
        const view = (await (await fetch(base, { headers: reader })).json()) as Envelope<{ case: { images: { id: number }[] } }>;
        const hashes: string[] = [];
        for (const { id } of view.content.case.images) {
          const image = await fetch(`${base}/images/${id}?variant=original`, { headers: reader });
          assert.equal(image.status, 200);
          hashes.push(sha256(Buffer.from(await image.arrayBuffer())));
        }
        sameImages(hashes, upload.images);
        assert.equal((await fetch(`${base}/release`, { method: 'POST', headers: reader })).status, 200);
      }),
    );
    return { acknowledged: acknowledged.length, stored: stored.size };
  };

  it('keeps every acknowledged case whole, shows no partial one, and sweeps what the crash left at the next start', async (t) => {
    let server = await start();
    await sweepOf(server);
    let acknowledged = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const uploads = await crashDuringUploads(server, round);
      // What the crash left, and one of each kind for certain, however the kill fell.
      const planted = [`images/00/.tmp-${randomUUID()}`, `images/00/${randomUUID()}`, `previews/${999_000 + round}/preview.jpg`];
      for (const key of planted) {
        await fs.mkdir(path.dirname(path.join(blobDir, key)), { recursive: true });
        await fs.writeFile(path.join(blobDir, key), 'left by a crash');
      }
      const left = await leftovers();
      const restartedAt = Date.now();

      server = await start();
      const swept = await sweepOf(server);
      const remaining = (await filesOf(blobDir)).map((f) => f.file);
      for (const { file, key } of left) assert.ok(!remaining.includes(file), `the start-up sweep removed ${key}`);
      assert.equal(swept.tempFiles + swept.orphanBlobs, left.length, 'it removed those and nothing else');
      const { named } = await references();
      for (const { key, modified } of await filesOf(blobDir)) {
        if (modified >= restartedAt) continue;
        assert.ok(!path.posix.basename(key).startsWith('.tmp-'), `no temporary file from before the start: ${key}`);
        if (key.startsWith('images/')) assert.ok(named.has(key), `no unreferenced image from before the start: ${key}`);
      }

      const checked = await checkCases(server, round, uploads);
      acknowledged += checked.acknowledged;
      t.diagnostic(
        `round ${round}: ${checked.acknowledged} acknowledged, ${checked.stored} stored, ${uploads.filter((u) => u.status === null).length} cut off; ` +
          `swept ${swept.tempFiles} temporary files and ${swept.orphanBlobs} blobs (${planted.length} planted)`,
      );
    }
    assert.ok(acknowledged > 0, 'some uploads were acknowledged before a crash, so the check above had cases to check');
    await server.kill('SIGTERM');
    assert.equal(server.process.exitCode, 0, server.output());
  });

  it('leaves them to the hourly sweep with OPENRETINA_STARTUP_SWEEP=false (processes sharing a blob store)', async () => {
    const key = `images/00/.tmp-${randomUUID()}`;
    await fs.mkdir(path.dirname(path.join(blobDir, key)), { recursive: true });
    await fs.writeFile(path.join(blobDir, key), 'maybe another process is writing this');
    const server = await spawnOpenretina(database, 'serve', { OPENRETINA_LOG_LEVEL: 'info', OPENRETINA_STARTUP_SWEEP: 'false' });
    running.push(server);
    await server.waitFor(/start-up sweep off/);
    await server.kill('SIGTERM');
    assert.doesNotMatch(server.output(), /start-up sweep done/);
    await fs.access(path.join(blobDir, key));
  });
});
