import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEFAULT_PASSWORD_HASH_COST, hashPassword, passwordMatches } from '../../src/security/secrets.js';

describe('password hashes', () => {
  it('are scrypt at OWASP’s N=2^17 unless configured otherwise', () => {
    assert.equal(DEFAULT_PASSWORD_HASH_COST, 17);
    assert.equal(loadConfig({}).passwordHashCost, 17);
    assert.equal(loadConfig({ OPENRETINA_PASSWORD_HASH_COST: '12' }).passwordHashCost, 12);
    for (const bad of ['9', '21', '16.5', 'cheap']) {
      assert.throws(() => loadConfig({ OPENRETINA_PASSWORD_HASH_COST: bad }), ConfigError, bad);
    }
  });

  it('made at cost 10 (the tests’) verify, record their N, and refuse a wrong password', async () => {
    const stored = await hashPassword('correct horse battery', 10);
    assert.match(stored, /^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.equal(await passwordMatches('correct horse battery', stored), true);
    assert.equal(await passwordMatches('correct horse battery!', stored), false);
    assert.notEqual(await hashPassword('correct horse battery', 10), stored, 'salted');
  });

  it('verify whatever cost they were made at, so changing the setting locks nobody out', async () => {
    const [cheap, strong] = await Promise.all([hashPassword('a long password', 11), hashPassword('a long password', DEFAULT_PASSWORD_HASH_COST)]);
    assert.match(strong, /^scrypt\$131072\$/);
    assert.equal(await passwordMatches('a long password', cheap), true);
    assert.equal(await passwordMatches('a long password', strong), true);
    await assert.rejects(hashPassword('a long password', 9), RangeError);
  });
});
