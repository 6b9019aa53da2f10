import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pino from 'pino';
import { type App, buildApp } from '../../src/http/app.js';
import { type Platform, openPlatform } from '../../src/platform.js';
import { testClock } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

describeEachDialect('request rate limit', (dialect) => {
  let server: TestServer;
  // A second API process on the same database: its own platform and app.
  let second: { platform: Platform; app: App; baseUrl: string };
  const clock = testClock();
  before(async () => {
    server = await startTestServer(dialect, { rateLimitPerMinute: 5 }, { now: clock.now });
    const platform = await openPlatform(server.platform.config, { now: clock.now });
    const app = await buildApp(platform, { logger: pino({ level: 'silent' }) });
    second = { platform, app, baseUrl: await app.listen({ host: '127.0.0.1', port: 0 }) };
  });
  after(async () => {
    await second.app.close();
    await second.platform.close();
    await server.close();
  });

  it('answers 429 with Retry-After in the envelope, per token, leaving other clients alone', async () => {
    const a = await server.token();
    const b = await server.token();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await fetch(`${server.baseUrl}/centers`, { headers: bearer(a) });
      statuses.push(last.status);
      if (i < 5) await last.arrayBuffer();
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    assert.ok(Number(last!.headers.get('retry-after')) > 0);
    const body = await json<{ success: boolean; error: { code: string } }>(last!);
    assert.equal(body.success, false);
    assert.equal(body.error.code, 'rate_limited');
    assert.equal((await fetch(`${server.baseUrl}/centers`, { headers: bearer(b) })).status, 200);
  });

  it('leaves health probes and metrics alone: a load balancer polling from one address is never refused, and writes no counter', async () => {
    const { db } = server.platform.database;
    const windowsBefore = (await db.selectFrom('rate_limit_windows').select('key').execute()).length;
    for (let i = 0; i < 8; i++) {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const answer = await fetch(`${server.baseUrl}${path}`);
        await answer.arrayBuffer();
        assert.equal(answer.status, 200, `${path}, request ${i + 1}`);
      }
    }
    assert.equal((await db.selectFrom('rate_limit_windows').select('key').execute()).length, windowsBefore);
  });

  it("counts a batch of one key's requests as one at a time would, across the end of a window", async () => {
    const limits = server.platform.services.rateLimits;
    // Asked in one turn of the event loop, so counted in one batch (services/group-commit.ts); the clock moves past the window before the last two.
    const asked: Promise<{ hits: number; ttlMs: number }>[] = [];
    for (let i = 0; i < 3; i++) asked.push(limits.hit('test:batch', 60_000));
    asked.push(limits.hit('test:other', 60_000));
    clock.advance(60_000);
    for (let i = 0; i < 2; i++) asked.push(limits.hit('test:batch', 60_000));
    const counts = await Promise.all(asked);
    assert.deepEqual(
      counts.map((c) => c.hits),
      [1, 2, 3, 1, 1, 2],
    );
    // The clock runs on in real time too: each request's own milliseconds left, all of a minute but what the batch took.
    assert.ok(
      counts.every((c) => c.ttlMs > 55_000 && c.ttlMs <= 60_000),
      counts.map((c) => c.ttlMs).join(' '),
    );
    const row = await server.platform.database.db.selectFrom('rate_limit_windows').select(['hits', 'resets_at']).where('key', '=', 'test:batch').executeTakeFirstOrThrow();
    assert.equal(Number(row.hits), 2);
    assert.ok(Number(row.resets_at) - clock.now().getTime() > 55_000, 'the new window');
  });

  it('counts one client across processes, concurrent requests included, and forgets it when the window ends', async () => {
    const token = await server.token();
    const sent = await Promise.all(
      Array.from({ length: 12 }, (_, i) => fetch(`${i % 2 === 0 ? server.baseUrl : second.baseUrl}/centers`, { headers: bearer(token) })),
    );
    await Promise.all(sent.map((r) => r.arrayBuffer()));
    const statuses = sent.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 5, `5 of 12 pass, whichever process answered: ${statuses.join(' ')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 7);
    assert.ok(sent.filter((r) => r.status === 200).every((r) => Number(r.headers.get('x-ratelimit-remaining')) < 5));

    clock.advance(61_000);
    assert.equal((await fetch(`${second.baseUrl}/centers`, { headers: bearer(token) })).status, 200, 'a new window');
    const swept = await server.platform.housekeeping.runOnce(new Date(clock.now().getTime() + 61_000));
    assert.ok(swept.rateLimitWindows >= 1, 'ended windows are deleted');
  });
});
