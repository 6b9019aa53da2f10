import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { type Platform, openPlatform } from '../../src/platform.js';
import { TokenCache } from '../../src/services/token-cache.js';
import type { TokenOwner } from '../../src/storage/repositories/api-client.repository.js';
import { testConfig } from '../helpers/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T };

const TTL_SECONDS = 2;

describeEachDialect('token lookups remembered for a few seconds', (dialect) => {
  let server: TestServer;
  /** Another process on the same database, as the CLI or a second API process is. */
  let elsewhere: Platform;

  before(async () => {
    server = await startTestServer(dialect, { tokenCacheSeconds: TTL_SECONDS });
    elsewhere = await openPlatform(testConfig(server.database));
  });
  after(async () => {
    await elsewhere.close();
    await server.close();
  });

  const newClient = async (name: string) => {
    const client = await server.platform.services.admin.createApiClient({ name, centerIds: server.demo.centers.map((c) => c.id) });
    return { id: client.id, token: await server.token(client) };
  };
  const get = (token: string, url = '/centers') => fetch(`${server.baseUrl}${url}`, { headers: bearer(token) });
  const changeCenter = (token: string, centerId: number) =>
    fetch(`${server.baseUrl}/change-center`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ center_id: centerId }) });

  it('revoked in this process: refused at once, reads included', async () => {
    const client = await newClient('revoked here');
    assert.equal((await get(client.token)).status, 200);
    await server.platform.services.admin.revokeApiClient(client.id);
    assert.equal((await get(client.token)).status, 401);
  });

  it('revoked by another process: writes refused at once, reads within the TTL', async () => {
    const client = await newClient('revoked elsewhere');
    assert.equal((await get(client.token)).status, 200); // remembered from now
    await elsewhere.services.admin.revokeApiClient(client.id);
    const revokedAt = performance.now();
    assert.equal((await get(client.token)).status, 200, 'a read rests on the owner looked up less than the TTL ago');
    assert.equal((await changeCenter(client.token, server.demo.centers[0]!.id)).status, 401, 'a write asks the database');
    for (;;) {
      const status = (await get(client.token)).status;
      const waited = performance.now() - revokedAt;
      if (status === 401) break;
      assert.equal(status, 200);
      assert.ok(waited < TTL_SECONDS * 1000 + 250, `a revoked token still read ${Math.round(waited)} ms after the revocation`);
      await sleep(50);
    }
    assert.equal((await get(client.token)).status, 401);
  });

  it('a change of center in this process is seen by the next read', async () => {
    const client = await newClient('mover');
    const [north, south] = server.demo.centers;
    const active = async () => (await json<Envelope<{ id: number; active: boolean }[]>>(await get(client.token))).content.find((c) => c.active)?.id;
    assert.equal(await active(), north!.id);
    assert.equal((await changeCenter(client.token, south!.id)).status, 200);
    assert.equal(await active(), south!.id, 'not the remembered center');
  });

  it('a center taken from the client by another process: its writes there stop at once', async () => {
    const client = await newClient('shrinking');
    const [north, south] = server.demo.centers;
    assert.equal((await changeCenter(client.token, south!.id)).status, 200);
    assert.equal((await get(client.token, '/cases')).status, 200);
    await elsewhere.services.admin.setClientCenters(client.id, [north!.id]);
    // The token was active in the center the client lost: it ends (api-client.repository.ts setCenters).
    const form = new FormData();
    form.append('history_number', 'T-1');
    const created = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(client.token), body: form });
    assert.equal(created.status, 401, 'no case is filed in a center the client lost');
  });

  it('with a TTL of 0 nothing is remembered', async () => {
    const off = await startTestServer(dialect, { tokenCacheSeconds: 0 });
    try {
      const other = await openPlatform(testConfig(off.database));
      try {
        const client = await off.platform.services.admin.createApiClient({ name: 'uncached', centerIds: [off.demo.centers[0]!.id] });
        const token = await off.token(client);
        assert.equal((await fetch(`${off.baseUrl}/centers`, { headers: bearer(token) })).status, 200);
        await other.services.admin.revokeApiClient(client.id);
        assert.equal((await fetch(`${off.baseUrl}/centers`, { headers: bearer(token) })).status, 401);
      } finally {
        await other.close();
      }
    } finally {
      await off.close();
    }
  });
});

describe('TokenCache', () => {
  const owner = (tokenId: number, apiClientId = 1): TokenOwner => ({
    tokenId,
    apiClientId,
    organisationId: 1,
    activeCenterId: 1,
    expiresAt: '2999-01-01T00:00:00.000Z',
    centerIds: [1],
  });

  it('forgets an entry when its TTL ends, on a monotonic clock', () => {
    let now = 0;
    const cache = new TokenCache(5000, 10, () => now);
    cache.set('h1', owner(1));
    now = 4999;
    assert.equal(cache.get('h1')?.tokenId, 1);
    now = 5000;
    assert.equal(cache.get('h1'), undefined);
    assert.equal(cache.size, 0);
  });

  it('holds at most its capacity, the least recently used going first', () => {
    const cache = new TokenCache(5000, 2, () => 0);
    cache.set('a', owner(1));
    cache.set('b', owner(2));
    cache.get('a');
    cache.set('c', owner(3));
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a') && cache.get('c'));
  });

  it('forgets a token or every token of a client; a TTL of 0 keeps nothing', () => {
    const cache = new TokenCache(5000, 10, () => 0);
    cache.set('a', owner(1, 7));
    cache.set('b', owner(2, 7));
    cache.set('c', owner(3, 8));
    cache.forgetToken(3);
    assert.equal(cache.get('c'), undefined);
    cache.forgetClient(7);
    assert.equal(cache.size, 0);
    const off = new TokenCache(0);
    off.set('a', owner(1));
    assert.equal(off.get('a'), undefined);
  });
});
