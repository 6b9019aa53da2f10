import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook } from '../../src/domain/webhook-signature.js';

describe('Standard Webhooks signatures', () => {
  it('verify with the standardwebhooks library, for each of several secrets during a rotation', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    assert.match(oldSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = 'status=reported&caso=7&derivation=routine';
    const headers = signWebhook({ id: 'msg_1', timestamp: new Date(), body, secrets: [newSecret, oldSecret] });
    assert.equal(headers['webhook-signature'].split(' ').length, 2);
    for (const secret of [oldSecret, newSecret]) new Webhook(secret).verify(body, { ...headers }, { jsonParse: false });
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, { ...headers }, { jsonParse: false }), /No matching signature/);
    assert.throws(() => new Webhook(newSecret).verify(`${body}x`, { ...headers }, { jsonParse: false }), /No matching signature/);
  });
});
