import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { ConfigError, loadConfig } from '../../src/config.js';
import { type App, buildApp } from '../../src/http/app.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

/** A client out there, and what a proxy that appends to X-Forwarded-For passes on when that client forges the header. */
const CLIENT = '203.0.113.7';
const FORGED = `127.0.0.1, ${CLIENT}`;

const trustOf = (value: string) => loadConfig({ OPENRETINA_TRUST_PROXY: value }).trustProxy;

describe('OPENRETINA_TRUST_PROXY', () => {
  it('takes false, a hop count or a list of proxy addresses and CIDRs; true means one hop', () => {
    assert.equal(trustOf(''), false);
    assert.equal(trustOf('false'), false);
    assert.equal(trustOf('0'), false);
    assert.equal(trustOf('true'), 1);
    assert.equal(trustOf('1'), 1);
    assert.equal(trustOf('2'), 2);
    assert.deepEqual(trustOf('10.0.0.5, 192.168.0.0/16, fd00::/8 ,loopback'), ['10.0.0.5', '192.168.0.0/16', 'fd00::/8', 'loopback']);
  });

  it('refuses what is neither, naming each bad entry', () => {
    for (const [value, named] of [
      ['10.0.0.300', '"10.0.0.300"'],
      ['10.0.0.0/33', '"10.0.0.0/33"'],
      ['proxy.example.org, 10.0.0.1', '"proxy.example.org"'],
      ['10.0.0.0/8/1', '"10.0.0.0/8/1"'],
      ['10.0.0.1,,10.0.0.2', '""'],
      ['17', 'from 1 to 16'],
    ] as const) {
      assert.throws(() => trustOf(value), (error: unknown) => error instanceof ConfigError && error.message.includes('OPENRETINA_TRUST_PROXY') && error.message.includes(named), value);
    }
  });
});

/**
 * Over real HTTP, with /metrics (no token: loopback callers only) as the
 * witness of whom the API takes the caller for. The test's connection comes
 * from 127.0.0.1, as a proxy on the same machine would.
 */
describeEachDialect('trusting a reverse proxy', (dialect) => {
  let server: TestServer;
  /**
   * One app per setting, each listening, all on the suite's one platform
   * (database, services): the setting is read by buildApp alone, into
   * Fastify's trustProxy.
   */
  const listening = new Map<string, Promise<{ app: App; baseUrl: string }>>();
  const appTrusting = (value: string) => {
    let started = listening.get(value);
    if (!started) {
      started = (async () => {
        const app = await buildApp({ ...server.platform, config: { ...server.platform.config, trustProxy: trustOf(value) } }, { logger: pino({ level: 'silent' }) });
        return { app, baseUrl: await app.listen({ host: '127.0.0.1', port: 0 }) };
      })();
      listening.set(value, started);
    }
    return started;
  };
  const metricsStatus = async (value: string, forwardedFor?: string) => {
    const { baseUrl } = await appTrusting(value);
    const response = await fetch(`${baseUrl}/metrics`, { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } });
    await response.arrayBuffer();
    return response.status;
  };

  before(async () => {
    server = await startTestServer(dialect);
  });
  after(async () => {
    for (const started of listening.values()) await (await started).app.close();
    await server.close();
  });

  it('with one hop (and with true), a forged "127.0.0.1, <client>" is not believed: /metrics stays refused', async () => {
    for (const value of ['1', 'true']) {
      assert.equal(await metricsStatus(value, FORGED), 404, value);
      assert.equal(await metricsStatus(value, CLIENT), 404, value);
      // What the proxy itself added is believed: a caller on this machine, through the proxy.
      assert.equal(await metricsStatus(value, `${CLIENT}, 127.0.0.1`), 200, value);
    }
  });

  it('with the proxy named by address or range, the header is believed from it only as far as the first hop that is not a proxy', async () => {
    assert.equal(await metricsStatus('127.0.0.1', FORGED), 404);
    assert.equal(await metricsStatus('loopback', FORGED), 404);
    // A peer that is not one of the proxies: its header is not read at all, the caller is the peer (here loopback).
    assert.equal(await metricsStatus('10.1.2.3', CLIENT), 200);
  });

  it('without trust, X-Forwarded-For is ignored', async () => {
    assert.equal(await metricsStatus('false', CLIENT), 200);
  });
});
