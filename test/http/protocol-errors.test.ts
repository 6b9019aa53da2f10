import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope = { success: boolean; content: unknown; error?: { code: string; fields?: { field: string; rule: string }[] } };

/** Sends raw bytes and returns the status line's code, the headers and the body of the answer. */
function rawHttp(baseUrl: string, request: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: rest.join('\r\n\r\n') });
    });
    // No half-close: a real client keeps its side open until the answer; every request here says Connection: close.
    socket.write(request);
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function multipartRequest(host: string, token: string | null, contentType: string, body: Buffer | string): Buffer {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head =
    `POST /cases HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\n` +
    `${token ? `Authorization: Bearer ${token}\r\n` : ''}Connection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), payload]);
}

/**
 * What is refused before a route runs — by Node's HTTP parser, Fastify's
 * router or the multipart parser — is answered in the envelope with the
 * status that fits, never a 500 or a bare `{"error":"Bad Request"}`.
 */
describeEachDialect('refusals before a route, in the envelope', (dialect) => {
  let server: TestServer;
  let token: string;
  let host: string;

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
    host = new URL(server.baseUrl).host;
  });
  after(() => server.close());

  const envelopeOf = (body: string): Envelope => JSON.parse(body) as Envelope;

  it('headers too large: 431 in the envelope', async () => {
    const answer = await rawHttp(server.baseUrl, `GET /cases HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    assert.equal(answer.status, 431);
    const body = envelopeOf(answer.body);
    assert.equal(body.success, false);
    assert.equal(body.error?.code, 'headers_too_large');
  });

  it('a request line that is not HTTP: 400 in the envelope', async () => {
    const answer = await rawHttp(server.baseUrl, 'GARBAGE\r\n\r\n');
    assert.equal(answer.status, 400);
    assert.equal(envelopeOf(answer.body).error?.code, 'malformed_request');
  });

  it('an over-long URL or path parameter: 414; a URL that does not decode: 400', async () => {
    const long = await fetch(`${server.baseUrl}/cases?x=${'a'.repeat(9000)}`, { headers: bearer(token) });
    assert.equal(long.status, 414);
    assert.equal((await json<Envelope>(long)).error?.code, 'uri_too_long');
    const param = await fetch(`${server.baseUrl}/cases/${'9'.repeat(200)}`, { headers: bearer(token) });
    assert.equal(param.status, 414);
    assert.equal((await json<Envelope>(param)).success, false);
    const bad = await rawHttp(server.baseUrl, `GET /cases/%E0%A4%A HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
    assert.equal(bad.status, 400);
    assert.equal(envelopeOf(bad.body).success, false);
  });

  it('malformed multipart bodies: 400, never a 500, and no file left behind', async () => {
    const jpeg = (await makeImage('jpeg', 64, 64)).toString('latin1');
    const part = (boundary: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="gender"\r\n\r\n1\r\n--${boundary}\r\nContent-Disposition: form-data; name="images[]"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n${jpeg}\r\n`;
    const bodies: [string, string, string][] = [
      ['a wrong boundary', 'multipart/form-data; boundary=xyz', `${part('abc')}--abc--\r\n`],
      ['no closing boundary', 'multipart/form-data; boundary=abc', part('abc')],
      ['no boundary parameter', 'multipart/form-data', `${part('abc')}--abc--\r\n`],
      ['a truncated part', 'multipart/form-data; boundary=abc', part('abc').slice(0, 200)],
    ];
    for (const [what, type, body] of bodies) {
      const answer = await rawHttp(server.baseUrl, multipartRequest(host, token, type, Buffer.from(body, 'latin1')));
      assert.ok(answer.status >= 400 && answer.status < 500, `${what}: ${answer.status} ${answer.body}`);
      assert.equal(envelopeOf(answer.body).success, false, what);
    }
    const count = await server.platform.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0, 'no case was created');
    assert.deepEqual(await filesUnder(server.platform.config.blobDir), [], 'no file was kept');
  });

  it('a file before any token is refused at once, and nothing of it reaches the disk', async () => {
    const image = await makeImage('jpeg', 800, 600);
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="images[]"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      image,
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="access_token"\r\n\r\n${token}\r\n--${boundary}--\r\n`),
    ]);
    const answer = await rawHttp(server.baseUrl, multipartRequest(host, null, `multipart/form-data; boundary=${boundary}`, body));
    assert.equal(answer.status, 401, answer.body);
    assert.match(String(envelopeOf(answer.body).content), /before the files/);
    assert.deepEqual(await filesUnder(server.platform.config.blobDir), []);

    const fake = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="access_token"\r\n\r\nort_fake\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="images[]"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      image,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const refused = await rawHttp(server.baseUrl, multipartRequest(host, null, `multipart/form-data; boundary=${boundary}`, fake));
    assert.equal(refused.status, 401, 'a fake form token is refused before the file is read');
    assert.deepEqual(await filesUnder(server.platform.config.blobDir), []);
  });
});

describeEachDialect('a full disk', (dialect) => {
  let server: TestServer | undefined;
  let mountPoint = '';
  let token = '';

  before(async () => {
    mountPoint = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      mountPoint = '';
      return;
    }
    server = await startTestServer(dialect, { blobDir: mountPoint });
    token = await server.token();
  });
  after(async () => {
    await server?.close();
    if (mountPoint) execFileSync('umount', [mountPoint]);
  });

  it('refuses the write with 507, stores nothing, and still serves reads', async (t) => {
    if (!server) return t.skip('mounting a small tmpfs needs root');
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'FULL-1', gender: '1', age: '60' })) form.append(k, v);
    for (let i = 0; i < 3; i++) form.append('images[]', new Blob([await makeImage('png', 600, 600)]), `big-${i}.png`);
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form });
    assert.equal(response.status, 507, await response.clone().text());
    const body = await json<Envelope>(response);
    assert.equal(body.error?.code, 'insufficient_storage');
    assert.match(String(body.content), /nothing was stored/);
    assert.deepEqual(await filesUnder(mountPoint), [], 'what was written is removed');
    const list = await fetch(`${server.baseUrl}/cases`, { headers: bearer(token) });
    assert.equal(list.status, 200);
    assert.deepEqual((await json<{ content: unknown[] }>(list)).content, [], 'no half-created case');
  });
});
