import { Writable } from 'node:stream';
import pino from 'pino';
import type { Config } from '../../src/config.js';
import { type App, buildApp } from '../../src/http/app.js';
import { presentNewApiClient } from '../../src/http/presenters.js';
import { type Platform, openPlatform } from '../../src/platform.js';
import type { NewApiClient } from '../../src/services/admin.service.js';
import type { CenterRecord } from '../../src/storage/repositories/tenancy.repository.js';
import { testConfig } from './config.js';
import { type TestDatabase, type TestDialect, createTestDatabase } from './dialects.js';

export interface TestServer {
  readonly baseUrl: string;
  readonly platform: Platform;
  readonly app: App;
  readonly database: TestDatabase;
  /** The demo organisation: two centers and a client for both, as `openretina` prints it (client_id, client_secret). */
  readonly demo: { centers: readonly CenterRecord[]; client: ReturnType<typeof presentNewApiClient> };
  /** Every log line the server wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Raw log text, for grepping secrets. */
  logText(): string;
  /** A token of the demo client, or of another one (its credentials as printed, or as the admin service made it). */
  token(client?: ClientCredentials | NewApiClient): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the real app on 127.0.0.1 with a fresh database of the dialect. No
 * background worker runs: tests do a worker's step themselves
 * (`callbackDelivery.deliverDue()`, `previews.runNext()`), on `now` when
 * retries must come due.
 */
export async function startTestServer(dialect: TestDialect, overrides: Partial<Config> = {}, options: { now?: () => Date } = {}): Promise<TestServer> {
  const database = await createTestDatabase(dialect);
  const config = testConfig(database, { logLevel: 'info', port: 0, ...overrides });
  const platform = await openPlatform(config, options);
  const seeded = await platform.services.admin.seedDemoIfEmpty();
  if (!seeded) throw new Error('expected an empty database');
  const demo = { centers: seeded.centers, client: presentNewApiClient(seeded.client) };
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildApp(platform, { logger: pino({ level: 'info' }, sink) });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseUrl,
    platform,
    app,
    database,
    demo,
    get logs() {
      return lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => lines.join(''),
    async token(given: ClientCredentials | NewApiClient = demo.client) {
      const client = 'clientId' in given ? presentNewApiClient(given) : given;
      const response = await fetch(`${baseUrl}/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: client.client_id, client_secret: client.client_secret, grant_type: 'client_credentials' }),
      });
      if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async close() {
      await app.close();
      await platform.close();
      await database.drop();
    },
  };
}

type ClientCredentials = { client_id: string; client_secret: string };

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
