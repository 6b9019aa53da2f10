import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DialectName } from './database.js';
import type { Database, LeaseColumns } from './schema.js';

/** The tables that have the lease columns. */
export type LeaseTable = { [T in keyof Database]: Database[T] extends LeaseColumns ? T : never }[keyof Database];

/**
 * Job rows claimed under a lease, for background workers (previews,
 * callbacks). A queue is a table with an integer key and these columns
 * (`LeaseColumns` in schema.ts):
 *
 *   state            text     'pending' while there is work to do
 *   attempts         integer  incremented by every claim
 *   next_attempt_at  text     ISO time from which the row is due
 *   locked_until     text     null, or the end of the current lease
 *   lease_token      text     null, or who holds the lease
 *
 * A claim sets a lease; the worker then settles the row with `settle`, which
 * succeeds only while the worker still holds the lease (a worker that
 * overran its lease finds its row taken over and changes nothing). A worker
 * that dies lets the lease run out and the row becomes due again.
 *
 * On PostgreSQL several workers, in one process or many, claim in parallel:
 * `FOR UPDATE SKIP LOCKED` hands each row to one of them without waiting
 * (https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE),
 * and the lease keeps it theirs after the claiming statement commits. On
 * SQLite the single UPDATE is atomic under the database's one writer.
 */
export interface LeaseQueue {
  readonly table: LeaseTable;
  /** Its integer primary key column. */
  readonly key: string;
}

export interface Lease {
  /** The claimed row's key. */
  readonly id: number;
  readonly token: string;
  /** Attempts including this one. */
  readonly attempts: number;
  readonly until: string;
}

export interface ClaimOptions {
  readonly now: Date;
  readonly leaseMs: number;
  /** Rows to claim at most (default 1). */
  readonly limit?: number;
}

/** Claims up to `limit` due rows, oldest due first. */
export async function claimDue(db: Kysely<Database>, dialect: DialectName, queue: LeaseQueue, options: ClaimOptions): Promise<Lease[]> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const token = randomUUID();
  const table = sql.table(queue.table);
  const key = sql.ref(queue.key);
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<{ id: number; attempts: number }>`
    update ${table}
       set locked_until = ${until}, lease_token = ${token}, attempts = attempts + 1
     where ${key} in (
       select ${key} from ${table}
        where state = 'pending' and next_attempt_at <= ${now} and (locked_until is null or locked_until <= ${now})
        order by next_attempt_at, ${key}
        limit ${options.limit ?? 1}
        ${lock})
    returning ${key} as id, attempts`.execute(db);
  return result.rows.map((row) => ({ id: Number(row.id), token, attempts: Number(row.attempts), until }));
}

/** Column values a settled row takes besides its released lease. */
export type SettledValues = Readonly<Record<string, string | number | null>>;

/**
 * Releases the lease and writes `values` (a new `state`, `next_attempt_at`,
 * …). Returns false, changing nothing, when the lease was lost.
 */
export async function settle(db: Kysely<Database>, queue: LeaseQueue, lease: Lease, values: SettledValues): Promise<boolean> {
  const assignments = Object.entries(values).map(([column, value]) => sql`${sql.ref(column)} = ${value}`);
  const result = await sql`
    update ${sql.table(queue.table)}
       set ${sql.join([...assignments, sql`locked_until = ${null}`, sql`lease_token = ${null}`])}
     where ${sql.ref(queue.key)} = ${lease.id} and lease_token = ${lease.token}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}
