import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';

/**
 * Every storage and HTTP test runs once per database, like Kysely's own suite.
 * PostgreSQL is the server on this machine; each run creates its own database
 * and drops it afterwards. Without a reachable server the PostgreSQL runs are
 * skipped with a visible message, unless CI (or OPENRETINA_REQUIRE_POSTGRES)
 * demands them.
 */
export type TestDialect = 'sqlite' | 'postgres';

const ADMIN_URL = process.env.OPENRETINA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REQUIRE_POSTGRES = process.env.CI === 'true' || process.env.OPENRETINA_REQUIRE_POSTGRES === '1';

let postgresReachable: Promise<boolean> | undefined;

async function probePostgresOnce(timeoutMs: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * On a loaded machine (two test files at a time, load above 10) one 3 s connect
 * was seen to time out while the server was up, failing a whole file in CI.
 * Where PostgreSQL is required, a miss is retried with more patience.
 */
export async function probePostgres(): Promise<boolean> {
  const attempts = REQUIRE_POSTGRES ? 3 : 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (await probePostgresOnce(attempt === 1 ? 3000 : 10_000)) return true;
  }
  return false;
}

export function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= probePostgres();
  return postgresReachable;
}

export interface TestDatabase {
  readonly dialect: TestDialect;
  readonly url: string;
  readonly dir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the dialect plus a scratch directory for blobs. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `openretina-${dialect}-`));
  if (dialect === 'sqlite') {
    return { dialect, url: `sqlite:${path.join(dir, 'test.sqlite')}`, dir, drop: () => fs.rm(dir, { recursive: true, force: true }) };
  }
  const name = `openretina_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    dir,
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Declares the suite once per dialect. */
export function describeEachDialect(title: string, suite: (dialect: TestDialect) => void): void {
  describeOnDialect('sqlite', title, suite);
  describeOnDialect('postgres', title, suite);
}

/**
 * Declares the suite on one dialect only. For the browser tests: their subject
 * is the web app, and every request it makes is proven on both databases by the
 * HTTP suites, so each browser file runs once, the files shared between the two.
 */
export function describeOnDialect(dialect: TestDialect, title: string, suite: (dialect: TestDialect) => void): void {
  if (dialect === 'sqlite') {
    describe(`${title} [sqlite]`, () => suite('sqlite'));
    return;
  }
  const reachable = awaitSync();
  if (reachable) {
    describe(`${title} [postgres]`, () => suite('postgres'));
  } else if (REQUIRE_POSTGRES) {
    describe(`${title} [postgres]`, () => {
      throw new Error(`PostgreSQL is required (CI) but not reachable at ${ADMIN_URL}`);
    });
  } else {
    describe(`${title} [postgres]`, { skip: `PostgreSQL not reachable at ${ADMIN_URL}: these tests were skipped` }, () => {});
  }
}

let reachableAtLoad: boolean | undefined;
/** Set by the top-level await in `setup.ts`, so describe blocks can be declared synchronously. */
export function setPostgresReachable(value: boolean): void {
  reachableAtLoad = value;
}
function awaitSync(): boolean {
  if (reachableAtLoad === undefined) throw new Error('import test/helpers/setup.js before declaring dialect suites');
  return reachableAtLoad;
}
