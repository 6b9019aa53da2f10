import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

describe('request rate limit', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('sqlite', { rateLimitPerMinute: 5 });
  });
  after(() => server.close());

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
});
