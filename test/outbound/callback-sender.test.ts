import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EMPTY_ALLOW_LIST, parseAllowList } from '../../src/domain/callback-target.js';
import { postCallback } from '../../src/outbound/callback-sender.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';

describe('callback sender: real sockets, checked addresses', () => {
  let receiver: Receiver;
  let port: string;
  before(async () => {
    receiver = await startReceiver();
    port = new URL(receiver.url).port;
  });
  after(() => receiver.close());
  const options = { timeoutMs: 1000, allow: EMPTY_ALLOW_LIST };

  it('checks the address actually connected to: a name that resolves to loopback gets nothing (DNS rebinding)', async () => {
    receiver.received.length = 0;
    const result = await postCallback(new URL(`http://localhost:${port}/rebound`), 'a=1', {}, options);
    assert.equal(result.statusCode, null);
    assert.match(result.error ?? '', /address not allowed: localhost resolves to (127\.0\.0\.1|::1)/);
    assert.equal(receiver.received.length, 0);
  });

  it('refuses private IP literals without connecting, whatever the spelling', async () => {
    for (const host of ['127.0.0.1', '2130706433', '[::ffff:127.0.0.1]']) {
      const result = await postCallback(new URL(`http://${host}:${port}/`), 'a=1', {}, options);
      assert.match(result.error ?? '', /address not allowed/, host);
    }
    assert.equal(receiver.received.length, 0);
  });

  it('reaches allowlisted receivers, by name or by network', async () => {
    receiver.received.length = 0;
    const byNetwork = await postCallback(new URL(`http://localhost:${port}/ok`), 'a=1', { 'webhook-id': 'msg_x' }, { timeoutMs: 1000, allow: parseAllowList(['127.0.0.0/8', '::1/128']).allow });
    assert.equal(byNetwork.statusCode, 204);
    const byName = await postCallback(new URL(`http://localhost:${port}/ok`), 'a=2', {}, { timeoutMs: 1000, allow: parseAllowList(['localhost']).allow });
    assert.equal(byName.statusCode, 204);
    assert.deepEqual(receiver.received.map((r) => [r.body, r.headers['content-type']]), [['a=1', 'application/x-www-form-urlencoded'], ['a=2', 'application/x-www-form-urlencoded']]);
    assert.equal(receiver.received[0]!.headers['webhook-id'], 'msg_x');
  });
});
