/**
 * Backup and restore, tried for real (docs/deploy.md, "Backups and restore"):
 * on PostgreSQL and the disk blob store it makes data (the demo organisation,
 * a case with two photographs, previews, a signed report and its PDF), backs
 * up as an operator would (pg_dump, then a copy of the blob folder and the
 * key file), wipes everything (drops the database, removes the data folder),
 * restores (createdb, pg_restore, the blobs and key back), and checks that the
 * rows, the blobs and the audit chain are what they were and that the report
 * PDF downloads unchanged.
 *
 *   npx tsx scripts/backup-restore.ts [postgres://postgres@127.0.0.1:5432/postgres]
 *
 * The URL names a server where the script may create and drop a database of
 * its own (default: $OPENRETINA_TEST_POSTGRES_URL or the local server).
 * Prints a JSON summary; exits 1 when anything differs.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { type Platform, openPlatform } from '../src/platform.js';

const run = promisify(execFile);

interface Snapshot {
  /** Rows per table. */
  readonly rows: Record<string, number>;
  /** SHA-256 of every file of the blob store, by key. */
  readonly blobs: Record<string, string>;
  readonly auditEntries: number;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function snapshot(platform: Platform): Promise<Snapshot> {
  const { db } = platform.database;
  const rows: Record<string, number> = {};
  for (const table of (await db.introspection.getTables()).sort((a, b) => a.name.localeCompare(b.name))) {
    const { rows: counted } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`.execute(db);
    rows[table.name] = Number(counted[0]!.n);
  }
  const blobs: Record<string, string> = {};
  for await (const blob of platform.blobs.list('')) {
    const chunks: Buffer[] = [];
    for await (const chunk of await platform.blobs.get(blob.key)) chunks.push(chunk as Buffer);
    blobs[blob.key] = sha256(Buffer.concat(chunks));
  }
  const verdict = await platform.services.audit.verify();
  if (!verdict.ok) throw new Error(`the audit chain is broken at entry ${verdict.broken.seq}`);
  return { rows, blobs, auditEntries: verdict.count };
}

/** Serves the platform on a free port while `use` runs. */
async function serving<T>(platform: Platform, use: (baseUrl: string) => Promise<T>): Promise<T> {
  const app = await buildApp(platform, { logger: pino({ level: 'silent' }) });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    return await use(baseUrl);
  } finally {
    await app.close();
  }
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

/** The SHA-256 of the report PDF (center copy) as the client downloads it. */
async function reportPdf(baseUrl: string, client: { id: string; secret: string }, caseId: number): Promise<string> {
  const token = await expectOk(
    await fetch(`${baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: client.id, client_secret: client.secret, grant_type: 'client_credentials' }),
    }),
    'token',
  );
  const headers = { authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };
  const pdf = Buffer.from(await (await expectOk(await fetch(`${baseUrl}/cases/report/${caseId}?format=pdf`, { headers }), 'report PDF')).arrayBuffer());
  if (pdf.subarray(0, 5).toString() !== '%PDF-') throw new Error('the report is not a PDF');
  return sha256(pdf);
}

/** Makes the data: the demo organisation and case, previews, the reader's signature, the PDF rendered. */
async function makeData(platform: Platform): Promise<{ client: { id: string; secret: string }; caseId: number }> {
  const demo = await platform.services.admin.seedDemoIfEmpty({ withCase: true });
  if (!demo || demo.demoCaseId === null || demo.reader.password === undefined) throw new Error('expected an empty database');
  while (await platform.services.previews.runNext()) {
    // the image worker's step
  }
  const caseId = demo.demoCaseId;
  await serving(platform, async (baseUrl) => {
    const login = await expectOk(
      await fetch(`${baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: demo.reader.email, password: demo.reader.password }) }),
      'reader login',
    );
    const reader = { authorization: `Bearer ${((await login.json()) as { content: { access_token: string } }).content.access_token}`, 'content-type': 'application/json' };
    await expectOk(await fetch(`${baseUrl}/reading/cases/${caseId}/claim`, { method: 'POST', headers: reader, body: '{}' }), 'claim');
    const eye = { quality: 'good', dr: 'mild', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
    const body = JSON.stringify({ od: eye, os: eye, recommendation: 'Rescreen in twelve months.', rescreen_months: 12 });
    await expectOk(await fetch(`${baseUrl}/reading/cases/${caseId}/sign`, { method: 'POST', headers: reader, body }), 'sign');
  });
  return { client: { id: demo.client.clientId, secret: demo.client.clientSecret }, caseId };
}

async function main(): Promise<void> {
  const adminUrl = new URL(process.argv[2] ?? process.env.OPENRETINA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = `openretina_backup_${randomBytes(5).toString('hex')}`;
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-backup-'));
  const dataDir = path.join(work, 'data');
  const backupDir = path.join(work, 'backup');
  await fs.mkdir(backupDir);
  const env = { OPENRETINA_DATABASE_URL: databaseUrl.toString(), OPENRETINA_DATA_DIR: dataDir, OPENRETINA_SEED_DEMO: 'false', OPENRETINA_PASSWORD_HASH_COST: '10', OPENRETINA_LOG_LEVEL: 'silent' };
  const config = loadConfig(env);
  const psql = (command: string) => run('psql', ['--no-psqlrc', '--quiet', '--dbname', adminUrl.toString(), '--command', command]);
  const dropDatabase = () => psql(`drop database if exists ${name} with (force)`);
  try {
    await psql(`create database ${name}`);
    let platform = await openPlatform(config);
    let before: Snapshot;
    let served: string;
    let made: Awaited<ReturnType<typeof makeData>>;
    try {
      made = await makeData(platform);
      served = await serving(platform, (baseUrl) => reportPdf(baseUrl, made.client, made.caseId));
      before = await snapshot(platform);
    } finally {
      await platform.close();
    }

    // The backup, as docs/deploy.md shows it: the database first, then the blobs and the key.
    await run('pg_dump', ['--format=custom', '--no-owner', '--dbname', databaseUrl.toString(), '--file', path.join(backupDir, 'openretina.dump')]);
    await run('tar', ['-C', config.blobDir, '-cf', path.join(backupDir, 'blobs.tar'), '.']);
    await fs.copyFile(path.join(dataDir, 'secret.key'), path.join(backupDir, 'secret.key'));

    // Everything gone.
    await dropDatabase();
    await fs.rm(dataDir, { recursive: true, force: true });

    // The restore.
    await psql(`create database ${name}`);
    await run('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', databaseUrl.toString(), path.join(backupDir, 'openretina.dump')]);
    await fs.mkdir(config.blobDir, { recursive: true });
    await run('tar', ['-C', config.blobDir, '-xf', path.join(backupDir, 'blobs.tar')]);
    await fs.copyFile(path.join(backupDir, 'secret.key'), path.join(dataDir, 'secret.key'));
    await fs.chmod(path.join(dataDir, 'secret.key'), 0o600);

    platform = await openPlatform(config);
    let after: Snapshot;
    let servedAgain: string;
    try {
      after = await snapshot(platform);
      servedAgain = await serving(platform, (baseUrl) => reportPdf(baseUrl, made.client, made.caseId));
    } finally {
      await platform.close();
    }
    const differences = [
      ...Object.keys({ ...before.rows, ...after.rows }).filter((t) => before.rows[t] !== after.rows[t]).map((t) => `rows of ${t}: ${before.rows[t]} then ${after.rows[t]}`),
      ...Object.keys({ ...before.blobs, ...after.blobs }).filter((k) => before.blobs[k] !== after.blobs[k]).map((k) => `blob ${k}`),
      ...(before.auditEntries === after.auditEntries ? [] : [`audit entries: ${before.auditEntries} then ${after.auditEntries}`]),
      ...(served === servedAgain ? [] : ['the report PDF downloads different bytes']),
    ];
    const summary = {
      ok: differences.length === 0,
      tables: Object.keys(after.rows).length,
      rows: Object.values(after.rows).reduce((a, b) => a + b, 0),
      cases: after.rows.cases,
      blobs: Object.keys(after.blobs).length,
      audit_entries: after.auditEntries,
      report_pdf_sha256: servedAgain,
      differences,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (!summary.ok) process.exitCode = 1;
  } finally {
    await dropDatabase().catch(() => {});
    await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
