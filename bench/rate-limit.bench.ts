/**
 * Request-rate-limit benchmark (`npm run bench:rate-limit`): a script, not a test.
 *
 * The rate limit counts every request in the database (one upsert each), so
 * that processes sharing it share the count. This measures what that write
 * costs on the cheapest authenticated request, `GET /centers` (a token lookup
 * and one small read): the app in this process on 127.0.0.1, on a fresh
 * SQLite file and (when reachable) a fresh PostgreSQL database, with
 * --clients keep-alive clients sending --requests requests per round.
 * Rounds alternate between dialects. Reported: requests/s and mean latency per
 * dialect (median of the rounds). Run it on two commits to compare.
 *
 *   npm run bench:rate-limit
 *   npm run bench:rate-limit -- --requests 3000 --clients 8 --rounds 5
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { presentNewApiClient } from '../src/http/presenters.js';
import { openPlatform } from '../src/platform.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    postgres: { type: 'string', default: process.env.OPENRETINA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const REQUESTS = Number(values.requests);
const CLIENTS = Number(values.clients);
const ROUNDS = Number(values.rounds);

interface Target {
  readonly name: string;
  readonly baseUrl: string;
  readonly token: string;
  close(): Promise<void>;
}

async function start(name: string, databaseUrl: string, dir: string): Promise<Target> {
  const config = loadConfig(
    {},
    { databaseUrl, dataDir: dir, blobDir: path.join(dir, 'blobs'), logLevel: 'silent', rateLimitPerMinute: 10_000_000, passwordHashCost: 10 },
  );
  const platform = await openPlatform(config);
  const seeded = await platform.services.admin.seedDemoIfEmpty();
  if (!seeded) throw new Error('expected an empty database');
  const app = await buildApp(platform, { logger: pino({ level: 'silent' }) });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = presentNewApiClient(seeded.client);
  const answer = await fetch(`${baseUrl}/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client.client_id, client_secret: client.client_secret, grant_type: 'client_credentials' }),
  });
  const token = ((await answer.json()) as { access_token: string }).access_token;
  return {
    name,
    baseUrl,
    token,
    close: async () => {
      await app.close();
      await platform.close();
    },
  };
}

async function round(target: Target): Promise<{ perSecond: number; meanMs: number }> {
  let next = 0;
  let latency = 0;
  const headers = { authorization: `Bearer ${target.token}` };
  const client = async () => {
    while (next < REQUESTS) {
      next++;
      const sent = performance.now();
      const response = await fetch(`${target.baseUrl}/centers`, { headers });
      await response.arrayBuffer();
      latency += performance.now() - sent;
      if (response.status !== 200) throw new Error(`GET /centers answered ${response.status}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: REQUESTS / seconds, meanMs: latency / REQUESTS };
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-bench-rate-'));
const targets: Target[] = [await start('sqlite', `sqlite:${path.join(dir, 'bench.sqlite')}`, path.join(dir, 'sqlite'))];
const pgName = `openretina_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: values.postgres });
let pgReachable = false;
try {
  await admin.connect();
  await admin.query(`create database ${pgName}`);
  pgReachable = true;
  const url = new URL(values.postgres);
  url.pathname = `/${pgName}`;
  targets.push(await start('postgres', url.toString(), path.join(dir, 'postgres')));
} catch (error) {
  process.stdout.write(`PostgreSQL skipped: ${(error as Error).message}\n`);
}
try {
  for (const target of targets) await round(target); // warm-up
  const results = new Map<string, { perSecond: number[]; meanMs: number[] }>(targets.map((t) => [t.name, { perSecond: [], meanMs: [] }]));
  for (let i = 0; i < ROUNDS; i++) {
    for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
      const result = await round(target);
      results.get(target.name)!.perSecond.push(result.perSecond);
      results.get(target.name)!.meanMs.push(result.meanMs);
    }
  }
  process.stdout.write(`GET /centers, ${CLIENTS} clients, ${REQUESTS} requests a round, median of ${ROUNDS} rounds\n`);
  for (const [name, r] of results) {
    process.stdout.write(`  ${name.padEnd(9)} ${median(r.perSecond).toFixed(0).padStart(6)} requests/s   mean ${median(r.meanMs).toFixed(2)} ms\n`);
  }
} finally {
  for (const target of targets) await target.close();
  if (pgReachable) await admin.query(`drop database if exists ${pgName} with (force)`);
  await admin.end().catch(() => {});
  await fs.rm(dir, { recursive: true, force: true });
}
