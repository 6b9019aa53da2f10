import '../helpers/setup.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { SETTINGS, loadConfig } from '../../src/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { repoFile } from '../helpers/repo.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/** Small limits, so that each test waits a second or two rather than the defaults' 20, 30 and 300. */
const LIMITS = { headersTimeoutMs: 600, idleTimeoutMs: 1000, requestTimeoutMs: 2500 };
/** A slow client's pace: well inside the idle timeout. */
const TRICKLE_MS = 200;

interface Exchange {
  readonly socket: net.Socket;
  /** Resolves when the server has closed the connection: its last answer, and when. */
  readonly closed: Promise<{ status: number; body: string; at: number }>;
  /** Everything received so far. */
  received(): string;
  /** Writes `bytes` one small piece every `everyMs` until the connection closes. */
  trickle(bytes: Buffer, everyMs: number, pieceBytes?: number): void;
}

/** A raw connection to the server, so the test decides when each byte goes. */
function connect(baseUrl: string): Exchange {
  const url = new URL(baseUrl);
  const socket = net.connect(Number(url.port), url.hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  // A write into a connection the server has closed fails: the answer, if any, was read before.
  socket.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<{ status: number; body: string; at: number }>((resolve) => {
    socket.on('close', () => {
      clearInterval(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.slice(Math.max(0, text.lastIndexOf('HTTP/1.1 '))).split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body: rest.join('\r\n\r\n'), at: performance.now() });
    });
  });
  return {
    socket,
    closed,
    received: () => Buffer.concat(chunks).toString('latin1'),
    trickle(bytes, everyMs, pieceBytes = 1) {
      let offset = 0;
      timer = setInterval(() => {
        if (offset >= bytes.length || socket.destroyed) return clearInterval(timer);
        socket.write(bytes.subarray(offset, offset + pieceBytes));
        offset += pieceBytes;
      }, everyMs);
    },
  };
}

/** Every file under the blob store, temporary ones included. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

/**
 * Slow clients (reliability scenario 34, slowloris): headers that never
 * finish, an upload that stops mid-body and one that trickles are each ended
 * by their own timeout, answered 408 in the envelope, and an upload ended so
 * leaves no row and no file. Real HTTP on 127.0.0.1, with second-long limits.
 */
describeEachDialect('slow clients', (dialect) => {
  let server: TestServer;
  let token: string;
  let upload: { head: Buffer; body: Buffer };

  const state = async () => {
    const { db } = server.platform.database;
    const count = async (table: 'cases' | 'case_images') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { cases: await count('cases'), images: await count('case_images'), files: await filesUnder(server.platform.config.blobDir) };
  };
  /** The state once the server has finished with a closed request (its staging discards asynchronously). */
  const settledState = async (expected: Awaited<ReturnType<typeof state>>) => {
    let now = await state();
    for (let i = 0; i < 40 && JSON.stringify(now) !== JSON.stringify(expected); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      now = await state();
    }
    return now;
  };
  /** Resolves once the upload's image is being written: a temporary file exists. */
  const staging = async () => {
    for (let i = 0; i < 100; i++) {
      if ((await filesUnder(server.platform.config.blobDir)).some((f) => path.basename(f).startsWith('.tmp-'))) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.fail('the upload never reached the blob store');
  };

  before(async () => {
    server = await startTestServer(dialect, LIMITS);
    token = await server.token();
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'SLOW-1', gender: '1', age: '58' })) form.append(k, v);
    // Large enough that half of it is in the blob store while the rest is awaited.
    form.append('images[]', new Blob([await makeImage('jpeg', 1024, 768)]), 'od.jpg');
    const request = new Request('http://127.0.0.1/cases', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const head = Buffer.from(
      `POST /cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: ${request.headers.get('content-type')}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    upload = { head, body };
  });
  after(() => server.close());

  it('applies the documented defaults: headers 20 s, whole request 300 s, idle 30 s; keep-alive 72 s', async () => {
    const defaults = loadConfig({});
    assert.deepEqual(
      { headers: defaults.headersTimeoutMs, request: defaults.requestTimeoutMs, idle: defaults.idleTimeoutMs },
      { headers: 20_000, request: 300_000, idle: 30_000 },
    );
    const readme = await fs.readFile(repoFile('README.md'), 'utf8');
    for (const name of ['OPENRETINA_HEADERS_TIMEOUT_MS', 'OPENRETINA_REQUEST_TIMEOUT_MS', 'OPENRETINA_IDLE_TIMEOUT_MS'] as const) {
      assert.ok(readme.includes(`| \`${name}\` | \`${SETTINGS[name][0]}\` |`), `the README's Settings table states ${name}'s default`);
    }
    // What the app gives Node's server (here the test's small limits; the defaults above otherwise).
    const { server: http } = server.app;
    assert.deepEqual(
      { headers: http.headersTimeout, request: http.requestTimeout, idle: http.timeout, keepAlive: http.keepAliveTimeout },
      { headers: LIMITS.headersTimeoutMs, request: LIMITS.requestTimeoutMs, idle: LIMITS.idleTimeoutMs, keepAlive: 72_000 },
    );
  });

  it('answers 408 and closes a request whose headers never finish, after the headers timeout', async () => {
    const client = connect(server.baseUrl);
    const started = performance.now();
    // The request line at once, then a byte every 200 ms: never silent long enough for the idle timeout, never done either.
    client.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    client.trickle(Buffer.from(`X-Slow: ${'a'.repeat(1000)}`), TRICKLE_MS);
    const { status, body, at } = await client.closed;
    const elapsed = at - started;
    assert.equal(status, 408);
    assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'request_timeout');
    assert.ok(elapsed >= LIMITS.headersTimeoutMs - 50 && elapsed < LIMITS.headersTimeoutMs + 900, `closed after ${Math.round(elapsed)} ms`);
  });

  it('answers 408 and closes an upload that stops mid-body, after the idle timeout, leaving no row and no file', async () => {
    const before = await state();
    const client = connect(server.baseUrl);
    // First a request answered on the same connection: between requests Node swaps in the keep-alive timeout, and must swap the idle one back.
    client.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    for (let i = 0; i < 100 && !client.received().includes('"content":"ok"'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.match(client.received(), /^HTTP\/1\.1 200/);
    client.socket.write(upload.head);
    client.socket.write(upload.body.subarray(0, upload.body.length >> 1));
    await staging();
    const stalled = performance.now();
    const { status, body, at } = await client.closed;
    const silence = at - stalled;
    assert.equal(status, 408);
    assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'request_timeout');
    assert.ok(silence >= LIMITS.idleTimeoutMs - 150 && silence < LIMITS.idleTimeoutMs + 900, `closed after ${Math.round(silence)} ms of silence`);
    assert.deepEqual(await settledState(before), before, 'the staged image is gone and no row was written');
  });

  it('keeps an upload that trickles alive past the idle timeout, then ends it at the request timeout, leaving nothing', async () => {
    const before = await state();
    const client = connect(server.baseUrl);
    const started = performance.now();
    client.socket.write(upload.head);
    client.socket.write(upload.body.subarray(0, 20_000));
    await staging();
    // 64 bytes every 200 ms: never 1 s of silence, and nowhere near the end in 2.5 s.
    client.trickle(upload.body.subarray(20_000), TRICKLE_MS, 64);
    const { status, body, at } = await client.closed;
    const elapsed = at - started;
    assert.equal(status, 408);
    assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'request_timeout');
    assert.ok(elapsed >= LIMITS.requestTimeoutMs - 50, `alive past the idle timeout: closed after ${Math.round(elapsed)} ms`);
    assert.ok(elapsed < LIMITS.requestTimeoutMs + 900, `ended by the request timeout: closed after ${Math.round(elapsed)} ms`);
    assert.deepEqual(await settledState(before), before, 'the staged image is gone and no row was written');
  });
});
