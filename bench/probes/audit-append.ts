/**
 * What one audit entry costs the event loop on SQLite, apart from HTTP
 * (bench/README.md, "Read: the audit entry is the gap"). Appends entries
 * like those a `GET /cases/{id}` records, through `AuditRepository.appendAll`
 * (src/, through tsx), in one transaction per batch as
 * the audit trail's group commit does, on a fresh database in a temporary
 * folder; prints the main thread's CPU per entry (from /proc) and the
 * process's, and the wall time.
 *
 *   npx tsx bench/probes/audit-append.ts [batch size …]          # default 16 32 64
 *   npx tsx bench/probes/audit-append.ts --head-first [batch …]  # time a batch's statements as they are, and led by a no-op UPDATE of the head
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { AuditRecord } from '../../src/domain/audit.js';
import { migrateToLatest, openDatabase } from '../../src/storage/database.js';
import { AuditRepository } from '../../src/storage/repositories/audit.repository.js';
import type { Database } from '../../src/storage/schema.js';

const WARMUP_BATCHES = 300;
const MEASURED_BATCHES = 3000;
const args = process.argv.slice(2);
const headFirst = args.includes('--head-first');
const sizes = args.filter((a) => !a.startsWith('--')).map(Number);

/** The main thread's user + system CPU in microseconds (this process's first task is its main thread). */
function mainThreadMicros(): number {
  const fields = (fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100);
}

let requestNo = 0;
/** An entry as a client's read of case 2 makes it (the center looked up from the case). */
const readEntry = (): AuditRecord => ({
  occurredAt: new Date().toISOString(),
  actor: { kind: 'api_client', id: 1 },
  organisationId: 1,
  caseId: 2,
  action: 'case.read',
  object: { kind: 'case', id: 2 },
  requestId: `req-${++requestNo}`,
  status: 200,
});

async function withDatabase<T>(work: (db: Kysely<Database>, audit: AuditRepository) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openretina-audit-probe-'));
  const handle = openDatabase(`sqlite:${path.join(dir, 'db.sqlite')}`);
  try {
    await migrateToLatest(handle.db);
    return await work(handle.db, new AuditRepository('sqlite'));
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Entries appended in batches: CPU and wall time per entry. */
async function perEntry(size: number): Promise<{ mainUs: number; processUs: number; wallUs: number }> {
  return withDatabase(async (db, audit) => {
    const batch = () => db.transaction().execute((trx) => audit.appendAll(trx, Array.from({ length: size }, readEntry)));
    for (let i = 0; i < WARMUP_BATCHES; i++) await batch();
    const main0 = mainThreadMicros();
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < MEASURED_BATCHES; i++) await batch();
    const entries = MEASURED_BATCHES * size;
    const cpu = process.cpuUsage(cpu0);
    return {
      mainUs: (mainThreadMicros() - main0) / entries,
      processUs: (cpu.user + cpu.system) / entries,
      wallUs: ((performance.now() - started) * 1000) / entries,
    };
  });
}

/** A batch's statements, timed inside its transaction: led by its first entry's append, or by a no-op UPDATE of the head. */
async function batchStatements(size: number, led: 'append' | 'head'): Promise<number> {
  return withDatabase(async (db, audit) => {
    let total = 0;
    for (let i = 0; i < WARMUP_BATCHES + MEASURED_BATCHES; i++) {
      await db.transaction().execute(async (trx) => {
        const started = performance.now();
        if (led === 'head') await sql`update audit_chain set seq = seq where id = 1 returning seq, hash`.execute(trx);
        await audit.appendAll(trx, Array.from({ length: size }, readEntry));
        if (i >= WARMUP_BATCHES) total += performance.now() - started;
      });
    }
    return (total * 1000) / MEASURED_BATCHES;
  });
}

if (headFirst) {
  for (const size of sizes.length > 0 ? sizes : [16]) {
    const append = await batchStatements(size, 'append');
    const head = await batchStatements(size, 'head');
    console.log(`batch of ${size}: statements ${append.toFixed(0)} µs as they are, ${head.toFixed(0)} µs with the head taken first`);
  }
} else {
  for (const size of sizes.length > 0 ? sizes : [16, 32, 64]) {
    const r = await perEntry(size);
    console.log(`batch of ${size}: ${r.mainUs.toFixed(1)} µs of main-thread CPU per entry, ${r.processUs.toFixed(1)} µs of the process's (the WAL's flushes in the thread pool too), ${r.wallUs.toFixed(1)} µs of wall time`);
  }
}
