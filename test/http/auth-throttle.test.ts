import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AuthLimits, ConfigError, loadConfig } from '../../src/config.js';
import { AuthenticationError, RateLimitedError } from '../../src/domain/errors.js';
import { openPlatform } from '../../src/platform.js';
import { passwordHashPool } from '../../src/security/password-hash-pool.js';
import { AuthThrottle, throttledAddress } from '../../src/services/auth-throttle.js';
import { AuthThrottleRepository } from '../../src/storage/repositories/auth-throttle.repository.js';
import { testClock } from '../helpers/clock.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

const LIMITS: AuthLimits = { maxFailures: 10, maxAddressFailures: 40, failureWindowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600 };

/** How many answers had each status; every 429 must say when to come back. */
function tally(responses: readonly Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) {
    counts[response.status] = (counts[response.status] ?? 0) + 1;
    if (response.status === 429) assert.ok(Number(response.headers.get('retry-after')) >= 1, 'Retry-After on every 429');
  }
  return counts;
}

describeEachDialect('failed authentications: counted in the database, per account and address', (dialect) => {
  let server: TestServer;
  const password = 'correct horse battery';

  before(async () => {
    // X-Forwarded-For lets the test act as several addresses.
    server = await startTestServer(dialect, { trustProxy: 1, auth: LIMITS });
    await server.platform.services.admin.createUser({ email: 'reader@clinic.org', role: 'reader', name: 'Dr. Reader', password, licenceNumber: '28/1' });
  });
  after(() => server.close());

  const login = (email: string, pw: string, address: string) =>
    fetch(`${server.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ email, password: pw }),
    });
  const authorize = (clientId: string, secret: string, address: string) =>
    fetch(`${server.baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
      body: new URLSearchParams({ client_id: clientId, client_secret: secret, grant_type: 'client_credentials' }).toString(),
    });

  it('checks at most the limit of 30 parallel wrong logins; the right password still gets in from another address', async () => {
    const hashesBefore = passwordHashPool.stats().completed;
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => login('reader@clinic.org', `wrong ${i}`, '203.0.113.1')));
    // 401 means the password was checked; 429 means refused before.
    assert.deepEqual(tally(burst), { 401: 10, 429: 20 });
    assert.equal(passwordHashPool.stats().completed - hashesBefore, 10, 'ten passwords hashed, not thirty');

    const sameAddress = await login('reader@clinic.org', password, '203.0.113.1');
    assert.equal(sameAddress.status, 429, 'the pair that failed is locked out, even with the right password');
    assert.ok(Number(sameAddress.headers.get('retry-after')) > 50);
    assert.equal((await login('reader@clinic.org', password, '203.0.113.2')).status, 200, 'another address is not locked out');
  });

  it('checks at most the limit of 30 parallel wrong client secrets; the client and other clients still get in', async () => {
    const demo = server.demo.client;
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => authorize(demo.client_id, `ors_wrong${i}`, '203.0.113.3')));
    assert.deepEqual(tally(burst), { 401: 10, 429: 20 });

    assert.equal((await authorize(demo.client_id, demo.client_secret, '203.0.113.3')).status, 429);
    assert.equal((await authorize(demo.client_id, demo.client_secret, '203.0.113.4')).status, 200, 'the attacked client, from its own address');
    const other = await server.platform.services.admin.createApiClient({ name: 'neighbour', centerIds: [server.demo.centers[0]!.id] });
    assert.equal((await authorize(other.clientId, other.clientSecret, '203.0.113.3')).status, 200, 'another client behind the same address');
  });

  it('locks out an address spraying many accounts at its own, higher ceiling', async () => {
    const spray = await Promise.all(Array.from({ length: 45 }, (_, i) => login(`nobody${i}@clinic.org`, 'guess', '203.0.113.5')));
    assert.deepEqual(tally(spray), { 401: 40, 429: 5 });
    assert.equal((await login('reader@clinic.org', password, '203.0.113.5')).status, 429, 'an address that failed 40 times waits');
    assert.equal((await login('reader@clinic.org', password, '203.0.113.6')).status, 200);
  });

  it('shares the count between processes on one database', async () => {
    const second = await openPlatform(server.platform.config);
    try {
      const attempts = [server.platform, second].flatMap((platform) =>
        Array.from({ length: 15 }, () =>
          platform.services.sessions.login({ email: 'reader@clinic.org', password: 'not it', ip: '198.51.100.7' }).then(
            () => 'accepted',
            (error: unknown) => (error instanceof AuthenticationError ? 'checked' : error instanceof RateLimitedError ? 'refused' : error),
          ),
        ),
      );
      const outcomes = await Promise.all(attempts);
      assert.equal(outcomes.filter((o) => o === 'checked').length, 10);
      assert.equal(outcomes.filter((o) => o === 'refused').length, 20);
    } finally {
      await second.close();
    }
    // Closing the second platform ended the hash threads; the first starts new ones.
    assert.equal((await login('reader@clinic.org', password, '198.51.100.8')).status, 200);
  });
});

describeEachDialect('lockouts', (dialect) => {
  let server: TestServer;
  const clock = testClock();
  const repo = new AuthThrottleRepository();
  let throttle: AuthThrottle;
  before(async () => {
    server = await startTestServer(dialect, {}, { now: clock.now });
    throttle = new AuthThrottle(server.platform.database.db, repo, { ...LIMITS, maxFailures: 2, lockoutSeconds: 60, maxLockoutSeconds: 300 }, clock.now);
  });
  after(() => server.close());

  const fail = (account = 'growth@clinic.org') => throttle.attempt('login', account, '192.0.2.1', async () => undefined);
  const failTwiceThenWait = async (account?: string): Promise<number> => {
    assert.equal(await fail(account), undefined);
    assert.equal(await fail(account), undefined);
    const refused = await fail(account).then(
      () => assert.fail('a third attempt was let through'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof RateLimitedError);
    return refused.retryAfterSeconds;
  };

  it('start at a minute and double, up to the cap; the right credentials forgive the pair', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = await failTwiceThenWait();
      waits.push(wait);
      clock.advance(wait * 1000);
    }
    assert.deepEqual(waits, [60, 120, 240, 300, 300]);
    assert.equal(await throttle.attempt('login', 'growth@clinic.org', '192.0.2.1', async () => 'in'), 'in');
    assert.equal(await failTwiceThenWait(), 60, 'forgiven: the next lockout is the first again');
  });

  it('are forgotten a window after the last one, and housekeeping deletes them then', async () => {
    assert.equal(await failTwiceThenWait('window@clinic.org'), 60);
    clock.advance((60 + LIMITS.failureWindowSeconds + 1) * 1000);
    assert.equal(await failTwiceThenWait('window@clinic.org'), 60, 'not 120: the first lockout was forgotten');

    const table = () => server.platform.database.db.selectFrom('auth_throttles').selectAll().execute();
    assert.ok((await table()).length > 0);
    const rows = await table();
    assert.ok(rows.every((row) => /^[0-9a-f]{64}$/.test(row.key)), 'keys are hashes: no e-mail or address stored');
    const result = await server.platform.housekeeping.runOnce(new Date(clock.now().getTime() + 24 * 3600_000));
    assert.equal(result.authThrottles, rows.length);
    assert.equal((await table()).length, 0);
  });
});

describe('throttled addresses', () => {
  it('are IPv4 as given, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    assert.equal(throttledAddress('203.0.113.9'), '203.0.113.9');
    assert.equal(throttledAddress('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(throttledAddress('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(throttledAddress('2001:db8:1:2::ffff'), '2001:db8:1:2::/64');
  });
});

describe('throttle settings', () => {
  it('default to 10 per account and address, 100 per address, a 15-minute memory, lockouts from 1 minute to 1 hour', () => {
    assert.deepEqual(loadConfig({}).auth, { maxFailures: 10, maxAddressFailures: 100, failureWindowSeconds: 900, lockoutSeconds: 60, maxLockoutSeconds: 3600 });
    assert.throws(() => loadConfig({ OPENRETINA_AUTH_MAX_FAILURES: '20', OPENRETINA_AUTH_MAX_ADDRESS_FAILURES: '10' }), ConfigError);
    assert.throws(() => loadConfig({ OPENRETINA_AUTH_LOCKOUT_SECONDS: '600', OPENRETINA_AUTH_MAX_LOCKOUT_SECONDS: '60' }), ConfigError);
  });
});
