import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The audit trail (domain/audit.ts): one row an entry, append-only, each
 * hashed over the previous entry's hash and its own content. `audit_chain`
 * is the chain's one head row (the last sequence number and hash): appending
 * updates it in the same statement or transaction as the insert, so appends
 * from any number of processes are serialised on its row lock and form one
 * chain (on SQLite a trigger of the insert advances the head). No foreign keys: the trail outlives what it names, and an insert
 * checks nothing. Triggers refuse UPDATE and DELETE of entries, so that only
 * someone who removes them first can change the past, which the chain shows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('audit_entries')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('organisation_id', 'integer')
    .addColumn('center_id', 'integer')
    .addColumn('case_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_kind', 'text')
    .addColumn('object_id', 'integer')
    .addColumn('request_id', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  // The admin API's filters, newest first; a reader's case page asks who opened the case.
  await db.schema.createIndex('audit_entries_case').on('audit_entries').columns(['case_id', 'seq']).execute();
  await db.schema.createIndex('audit_entries_actor').on('audit_entries').columns(['actor_kind', 'actor_id', 'seq']).execute();
  await db.schema.createIndex('audit_entries_time').on('audit_entries').column('occurred_at').execute();

  await db.schema
    .createTable('audit_chain')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_chain (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);

  if (postgres) {
    await sql`create function audit_entries_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit entries are append-only'; end $$`.execute(db);
    await sql`create trigger audit_entries_append_only before update or delete on audit_entries
      for each row execute function audit_entries_append_only()`.execute(db);
    await sql`create trigger audit_entries_no_truncate before truncate on audit_entries
      for each statement execute function audit_entries_append_only()`.execute(db);
  } else {
    // PostgreSQL advances the head in the appending statement itself; SQLite cannot update in a WITH, so the insert does it here.
    await sql`create trigger audit_chain_advance after insert on audit_entries
      when new.seq = (select seq from audit_chain where id = 1) + 1
      begin update audit_chain set seq = new.seq, hash = new.hash where id = 1; end`.execute(db);
    await sql`create trigger audit_entries_no_update before update on audit_entries
      begin select raise(abort, 'audit entries are append-only'); end`.execute(db);
    await sql`create trigger audit_entries_no_delete before delete on audit_entries
      begin select raise(abort, 'audit entries are append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_chain').ifExists().execute();
  await db.schema.dropTable('audit_entries').ifExists().execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop function if exists audit_entries_append_only()`.execute(db);
}
