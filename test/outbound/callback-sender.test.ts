import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { EMPTY_ALLOW_LIST, parseAllowList } from '../../src/domain/callback-target.js';
import { CallbackAgents, type Resolve } from '../../src/outbound/callback-agents.js';
import { postCallback } from '../../src/outbound/callback-sender.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';
import { repoFile } from '../helpers/repo.js';

describe('callback sender: real sockets, checked addresses', () => {
  let receiver: Receiver;
  let port: string;
  const kept: CallbackAgents[] = [];
  /** A pool as the worker has one; closed after the tests. */
  const agents = (allow = EMPTY_ALLOW_LIST, extra: Partial<ConstructorParameters<typeof CallbackAgents>[0]> = {}) => {
    const pool = new CallbackAgents({ allow, maxSocketsPerDestination: 8, ...extra });
    kept.push(pool);
    return pool;
  };
  before(async () => {
    receiver = await startReceiver();
    port = new URL(receiver.url).port;
  });
  after(async () => {
    for (const pool of kept) pool.close();
    await receiver.close();
  });

  it('checks the address actually connected to: a name that resolves to loopback gets nothing (DNS rebinding)', async () => {
    receiver.received.length = 0;
    const result = await postCallback(new URL(`http://localhost:${port}/rebound`), 'a=1', {}, { timeoutMs: 1000, agents: agents() });
    assert.equal(result.statusCode, null);
    assert.match(result.error ?? '', /address not allowed: localhost resolves to (127\.0\.0\.1|::1)/);
    assert.equal(receiver.received.length, 0);
  });

  it('refuses private IP literals without connecting, whatever the spelling', async () => {
    const pool = agents();
    for (const host of ['127.0.0.1', '2130706433', '[::ffff:127.0.0.1]']) {
      const result = await postCallback(new URL(`http://${host}:${port}/`), 'a=1', {}, { timeoutMs: 1000, agents: pool });
      assert.match(result.error ?? '', /address not allowed/, host);
    }
    assert.equal(receiver.received.length, 0);
    assert.equal(pool.size, 0, 'no agent for a refused destination');
  });

  it('reaches allowlisted receivers, by name or by network', async () => {
    receiver.received.length = 0;
    const byNetwork = await postCallback(new URL(`http://localhost:${port}/ok`), 'a=1', { 'webhook-id': 'msg_x' }, { timeoutMs: 1000, agents: agents(parseAllowList(['127.0.0.0/8', '::1/128']).allow) });
    assert.equal(byNetwork.statusCode, 204);
    const byName = await postCallback(new URL(`http://localhost:${port}/ok`), 'a=2', {}, { timeoutMs: 1000, agents: agents(parseAllowList(['localhost']).allow) });
    assert.equal(byName.statusCode, 204);
    assert.deepEqual(receiver.received.map((r) => [r.body, r.headers['content-type']]), [['a=1', 'application/x-www-form-urlencoded'], ['a=2', 'application/x-www-form-urlencoded']]);
    assert.equal(receiver.received[0]!.headers['webhook-id'], 'msg_x');
  });
});

describe('callback sender: kept connections, each new one checked', () => {
  let server: http.Server;
  let port: number;
  let connections = 0;
  const kept: CallbackAgents[] = [];
  before(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const pool of kept) pool.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** A name that resolves as `answers` says, and a clock the test moves. */
  const fixture = (allow: readonly string[], extra: { dnsTtlMs?: number; idleMs?: number; maxDestinations?: number } = {}) => {
    let clock = 0;
    const answers: string[][] = [];
    const lookups: string[] = [];
    const resolve: Resolve = async (hostname) => {
      lookups.push(hostname);
      return (answers[0] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    const pool = new CallbackAgents({ allow: parseAllowList(allow).allow, maxSocketsPerDestination: 4, resolve, now: () => clock, ...extra });
    kept.push(pool);
    return { pool, answers, lookups, advance: (ms: number) => (clock += ms) };
  };
  const send = (pool: CallbackAgents, url: string) => postCallback(new URL(url), 'a=1', {}, { timeoutMs: 2000, agents: pool });

  it('sends many callbacks to one destination over the connections it keeps', async () => {
    const { pool, answers, lookups } = fixture(['127.0.0.1/32']);
    answers.push(['127.0.0.1']);
    const before = connections;
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(Array.from({ length: 4 }, () => send(pool, `http://receiver.example:${port}/hook`)));
      assert.deepEqual(results.map((r) => r.statusCode), [204, 204, 204, 204]);
    }
    assert.ok(connections - before <= 4, `20 callbacks, 4 at once, over ${connections - before} connections`);
    assert.equal(lookups.length, 1, 'resolved once within the TTL');
    assert.equal(pool.size, 1);
  });

  it('resolves and checks the name again after the TTL: an address now private is refused without connecting', async () => {
    const { pool, answers, lookups, advance } = fixture(['127.0.0.1/32'], { dnsTtlMs: 1000 });
    answers.push(['127.0.0.1']);
    assert.equal((await send(pool, `http://rebind.example:${port}/`)).statusCode, 204);
    advance(500);
    assert.equal((await send(pool, `http://rebind.example:${port}/`)).statusCode, 204);
    assert.equal(lookups.length, 1);
    // The name now answers an address the rules refuse (127.0.0.2 is loopback, outside the admitted /32).
    answers[0] = ['127.0.0.2'];
    advance(600);
    const before = connections;
    const refused = await send(pool, `http://rebind.example:${port}/`);
    assert.equal(refused.statusCode, null);
    assert.match(refused.error ?? '', /address not allowed: rebind\.example resolves to 127\.0\.0\.2/);
    assert.equal(connections, before, 'no connection made');
    assert.equal(lookups.length, 2);
    // Back to an admitted address: a new agent, pinned to it.
    answers[0] = ['127.0.0.2', '127.0.0.1'];
    assert.equal((await send(pool, `http://rebind.example:${port}/`)).statusCode, 204);
  });

  it('reads an answer only within the time limit: a receiver that keeps writing loses its connection, the attempt still counts', async () => {
    const endless = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const drip = setInterval(() => response.write('x'.repeat(100)), 10);
        response.on('close', () => clearInterval(drip));
      });
    });
    let closed = 0;
    endless.on('connection', (socket) => socket.on('close', () => closed++));
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const { pool } = fixture(['127.0.0.1/32']);
      // A time limit long enough that a busy machine still sees the status well before it.
      const timeoutMs = 1500;
      const started = Date.now();
      const result = await postCallback(new URL(`http://127.0.0.1:${(endless.address() as AddressInfo).port}/`), 'a=1', {}, { timeoutMs, agents: pool });
      const answeredAfter = Date.now() - started;
      assert.equal(result.statusCode, 200);
      assert.equal(result.error, null);
      assert.equal(closed, 0, 'answered as soon as the status came, the body still coming');
      assert.ok(answeredAfter < timeoutMs, `answered after ${answeredAfter} ms, before the time limit`);
      while (closed === 0 && Date.now() - started < timeoutMs + 5000) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(closed, 1, 'the connection was closed at the time limit');
      assert.ok(Date.now() - started >= timeoutMs - 50, `closed after ${Date.now() - started} ms, at the limit`);
    } finally {
      endless.closeAllConnections();
      await new Promise<void>((resolve) => endless.close(() => resolve()));
    }
  });

  it('speaks TLS to the checked address under the name the URL gives, and sends nothing to a certificate that does not verify', async () => {
    // A self-signed certificate for receiver.example (test/fixtures/tls): not trusted, so the attempt must fail after
    // the handshake began, having asked for that name (SNI) at the pinned address.
    const names: (string | false | null)[] = [];
    let requests = 0;
    const secure = https.createServer({ key: readFileSync(repoFile('test/fixtures/tls/receiver-key.pem')), cert: readFileSync(repoFile('test/fixtures/tls/receiver-cert.pem')) }, (request, response) => {
      requests++;
      request.resume();
      response.writeHead(204).end();
    });
    secure.on('secureConnection', (socket) => names.push(socket.servername));
    secure.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    try {
      const { pool, answers } = fixture(['127.0.0.1/32']);
      answers.push(['127.0.0.1']);
      const seen = new Promise<string | false | null>((resolve) => secure.once('tlsClientError', (_error, socket) => resolve((socket as TLSSocket).servername)));
      const result = await postCallback(new URL(`https://receiver.example:${(secure.address() as AddressInfo).port}/hook`), 'a=1', {}, { timeoutMs: 2000, agents: pool });
      assert.equal(result.statusCode, null);
      assert.match(result.error ?? '', /self[- ]signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT/i);
      assert.equal(await seen, 'receiver.example', 'the name was given to TLS, the connection made to the checked address');
      assert.equal(requests, 0);
      assert.deepEqual(names, []);
    } finally {
      secure.closeAllConnections();
      await new Promise<void>((resolve) => secure.close(() => resolve()));
    }
  });

  it('keeps a bounded number of destinations, and drops those idle too long', async () => {
    const { pool, answers, advance } = fixture(['127.0.0.1/32'], { maxDestinations: 2, idleMs: 1000 });
    answers.push(['127.0.0.1']);
    for (const name of ['a.example', 'b.example', 'c.example']) assert.equal((await send(pool, `http://${name}:${port}/`)).statusCode, 204);
    assert.equal(pool.size, 2);
    advance(1500);
    assert.equal((await send(pool, `http://d.example:${port}/`)).statusCode, 204);
    assert.equal(pool.size, 1, 'the idle destinations were closed');
  });
});
