import { type Kysely, type Selectable, sql } from 'kysely';
import {
  type AuditAction,
  type AuditActorKind,
  type AuditEntry,
  type AuditObject,
  type AuditRecord,
  chainHash,
  contentAround,
} from '../../domain/audit.js';
import type { DialectName } from '../database.js';
import { QueryShapes, type SlotOf, idSlots } from '../query-shapes.js';
import type { AuditEntryTable, Database } from '../schema.js';

type Db = Kysely<Database>;

/** From how many entries after a batch's first `appendAll` inserts them together. */
const BATCH_INSERT_FROM = 3;

/** Values an entry binds in `appendAll`'s insert: its sequence number, `entryValues`, its hash. */
const ENTRY_COLUMNS = 14;

/** What an entry stores of its record, in the order both appends bind them (the center as resolved, or null to look it up). */
function entryValues(record: AuditRecord, centerId: number | null): unknown[] {
  return [
    record.occurredAt,
    record.actor.kind,
    record.actor.id,
    record.organisationId,
    centerId,
    record.caseId,
    record.action,
    record.object?.kind ?? null,
    record.object?.id ?? null,
    record.requestId,
    record.status,
    record.detail ?? null,
  ];
}

/** Which entries an administrator asks for (all given filters apply), newest first. */
export interface AuditFilter {
  /** The administrator's organisation: its entries, and those that name none (anonymous attempts at unknown accounts). */
  readonly organisationId: number;
  readonly caseId?: number;
  readonly actorKind?: AuditActorKind;
  readonly actorId?: number;
  /** ISO 8601 UTC bounds: from inclusive, to exclusive. */
  readonly from?: string;
  readonly to?: string;
  /** Entries before this sequence number (the cursor). */
  readonly beforeSeq?: number;
  readonly limit: number;
}

/** A person who opened a case, and when they last did. */
export interface CaseOpener {
  readonly userId: number;
  readonly name: string;
  readonly openedAt: string;
}

function toAuditEntry(row: Selectable<AuditEntryTable>): AuditEntry {
  return {
    seq: row.seq,
    occurredAt: row.occurred_at,
    actor: { kind: row.actor_kind, id: row.actor_id },
    organisationId: row.organisation_id,
    centerId: row.center_id,
    caseId: row.case_id,
    action: row.action,
    object: row.object_kind === null || row.object_id === null ? null : { kind: row.object_kind, id: row.object_id },
    requestId: row.request_id,
    status: row.status,
    detail: row.detail,
    hash: row.hash,
  };
}

/**
 * The audit trail's SQL. Appending is one statement on PostgreSQL: it
 * updates the chain's head row (taking its row lock, so appends from every
 * process queue there and form one chain; under READ COMMITTED a waiting
 * update re-reads the head it waited for), computes the new hash with
 * PostgreSQL's sha256() over the same canonical text as `chainHash`, looks
 * up the case's center (a case of the actor's organisation), and inserts the
 * entry: one round trip. On SQLite it is one statement too, atomic like
 * any: an INSERT … SELECT from the head, hashing with the `audit_sha256`
 * function the connection registers, whose trigger advances the head.
 */
export class AuditRepository {
  private readonly shapes = new QueryShapes();

  constructor(private readonly dialect: DialectName) {}

  async append(db: Db, record: AuditRecord): Promise<void> {
    await this.appendOne(db, record);
  }

  /** Appends one entry; answers its sequence number and hash, which are the chain's head until the next append. */
  private async appendOne(db: Db, record: AuditRecord): Promise<{ seq: number; hash: string }> {
    // Every request appends: the statement is compiled once (storage/query-shapes.ts), and each append binds its values.
    const { before, after } = contentAround(record);
    const values = [...entryValues(record, record.centerId ?? null), before, after];
    const appended = await this.shapes.first<{ seq: number; hash: string }>(db, 'append', values, (value) => ({ compile: () => this.appendStatement(value).compile(db) }));
    if (appended === undefined) throw new Error('the audit append inserted no entry');
    return { seq: Number(appended.seq), hash: appended.hash };
  }

  /**
   * Appends entries in their order, inside the caller's transaction (the
   * audit trail's group commit): what a batch of `append`s would store, with
   * fewer statements. The first is appended as `append` does, which takes the
   * chain's head until the transaction ends (on SQLite the database's write
   * lock, on PostgreSQL the head row's lock), so no other process appends
   * before the rest: their sequence numbers and hashes follow from the head
   * it answers, computed here over the same canonical content (`chainHash`,
   * which verification uses), and they are inserted by one statement.
   */
  async appendAll(db: Db, records: readonly AuditRecord[]): Promise<void> {
    const [first, ...rest] = records;
    if (first === undefined) return;
    let { seq, hash } = await this.appendOne(db, first);
    // A few entries are cheaper one by one: the rest costs up to three statements (on PostgreSQL, round trips while the head is held).
    if (rest.length < BATCH_INSERT_FROM) {
      for (const record of rest) await this.appendOne(db, record);
      return;
    }
    const centers = await this.centersOfCases(db, rest);
    const values = rest.flatMap((record) => {
      seq += 1;
      // As `append`'s SQL: the center given, else the case's when the case belongs to the entry's organisation.
      const ofCase = record.caseId === null ? undefined : centers.get(record.caseId);
      const centerId = record.centerId ?? (ofCase !== undefined && ofCase.organisationId === record.organisationId ? ofCase.centerId : null);
      hash = chainHash(hash, { ...record, seq, centerId });
      return [seq, ...entryValues(record, centerId), hash];
    });
    // One statement for the rest, compiled once per number of rows. On SQLite its trigger advances the head row by row
    // (migration 0018); PostgreSQL's appends advance it themselves.
    await this.shapes.execute(db, `insert-entries:${rest.length}`, values, (value) =>
      db.insertInto('audit_entries').values(
        rest.map((_, k) => {
          const at = (i: number) => value<never>(ENTRY_COLUMNS * k + i);
          return {
            seq: at(0),
            occurred_at: at(1),
            actor_kind: at(2),
            actor_id: at(3),
            organisation_id: at(4),
            center_id: at(5),
            case_id: at(6),
            action: at(7),
            object_kind: at(8),
            object_id: at(9),
            request_id: at(10),
            status: at(11),
            detail: at(12),
            hash: at(13),
          };
        }),
      ),
    );
    if (this.dialect === 'postgres') await db.updateTable('audit_chain').set({ seq, hash }).where('id', '=', 1).execute();
  }

  /** The center and organisation of each case the entries name without a center. */
  private async centersOfCases(db: Db, records: readonly AuditRecord[]): Promise<Map<number, { centerId: number; organisationId: number }>> {
    const ids = [...new Set(records.flatMap((r) => ((r.centerId === undefined || r.centerId === null) && r.caseId !== null ? [r.caseId] : [])))];
    const found = new Map<number, { centerId: number; organisationId: number }>();
    if (ids.length === 0) return found;
    const rows = await this.shapes.rows(db, `centers-of-cases:${ids.length}`, ids, (value) =>
      db
        .selectFrom('cases as c')
        .innerJoin('centers as ce', 'ce.id', 'c.center_id')
        .select(['c.id', 'c.center_id', 'ce.organisation_id'])
        .where('c.id', 'in', idSlots(value, ids.length)),
    );
    for (const row of rows) found.set(row.id, { centerId: row.center_id, organisationId: row.organisation_id });
    return found;
  }

  /** The append's SQL with the stand-ins of its values, in the order `append` lists them. */
  private appendStatement(value: SlotOf) {
    const [occurredAt, actorKind, actorId, organisationId, centerId, caseId, action, objectKind, objectId, requestId, status, detail, before, after] = Array.from(
      { length: 14 },
      (_, i) => value<unknown>(i),
    );
    if (this.dialect === 'postgres') {
      return sql`
      with scope as (
        select coalesce(${centerId}::integer, (
          select c.center_id from cases c join centers ce on ce.id = c.center_id
          where c.id = ${caseId}::integer and ce.organisation_id = ${organisationId}::integer
        )) as center_id
      ), head as (
        update audit_chain
        set seq = audit_chain.seq + 1,
            hash = encode(sha256(convert_to(
              audit_chain.hash || '[' || (audit_chain.seq + 1)::text || ${before}::text || coalesce(scope.center_id::text, 'null') || ${after}::text || ']',
              'UTF8')), 'hex')
        from scope
        where audit_chain.id = 1
        returning audit_chain.seq, audit_chain.hash, scope.center_id
      )
      insert into audit_entries (seq, occurred_at, actor_kind, actor_id, organisation_id, center_id, case_id, action, object_kind, object_id, request_id, status, detail, hash)
      select head.seq, ${occurredAt}, ${actorKind}, ${actorId}::integer, ${organisationId}::integer, head.center_id,
             ${caseId}::integer, ${action}, ${objectKind}::text, ${objectId}::integer,
             ${requestId}::text, ${status}::integer, ${detail}::text, head.hash
      from head
      returning seq, hash`;
    }
    // One statement, so atomic: it reads the head and inserts; the insert's trigger advances the head (migration 0018).
    // Numbers are bound as REAL by better-sqlite3: the center is cast, or it would hash as "3.0".
    return sql`
      insert into audit_entries (seq, occurred_at, actor_kind, actor_id, organisation_id, center_id, case_id, action, object_kind, object_id, request_id, status, detail, hash)
      select head.seq + 1, ${occurredAt}, ${actorKind}, ${actorId}, ${organisationId}, scope.center_id,
             ${caseId}, ${action}, ${objectKind}, ${objectId}, ${requestId}, ${status}, ${detail},
             audit_sha256(head.hash || '[' || (head.seq + 1) || ${before} || coalesce(scope.center_id, 'null') || ${after} || ']')
      from audit_chain head, (
        select cast(coalesce(${centerId}, (
          select c.center_id from cases c join centers ce on ce.id = c.center_id where c.id = ${caseId} and ce.organisation_id = ${organisationId}
        )) as integer) as center_id
      ) scope
      where head.id = 1
      returning seq, hash`;
  }

  /** The organisation (and center) an administered object belongs to, for entries the CLI records. */
  async scopeOf(db: Db, object: AuditObject): Promise<{ organisationId: number | null; centerId: number | null }> {
    const none = { organisationId: null, centerId: null };
    switch (object.kind) {
      case 'organisation':
        return { organisationId: object.id, centerId: null };
      case 'center': {
        const row = await db.selectFrom('centers').select('organisation_id').where('id', '=', object.id).executeTakeFirst();
        return row ? { organisationId: row.organisation_id, centerId: object.id } : none;
      }
      case 'api_client': {
        const row = await db.selectFrom('api_clients').select('organisation_id').where('id', '=', object.id).executeTakeFirst();
        return row ? { organisationId: row.organisation_id, centerId: null } : none;
      }
      case 'user': {
        const row = await db.selectFrom('users').select('organisation_id').where('id', '=', object.id).executeTakeFirst();
        return row ? { organisationId: row.organisation_id, centerId: null } : none;
      }
      default:
        return none;
    }
  }

  async head(db: Db): Promise<{ seq: number; hash: string }> {
    return db.selectFrom('audit_chain').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  }

  /** Entries after `afterSeq` in chain order, for verification. */
  async page(db: Db, afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = await db.selectFrom('audit_entries').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map(toAuditEntry);
  }

  async list(db: Db, filter: AuditFilter): Promise<AuditEntry[]> {
    let query = db
      .selectFrom('audit_entries')
      .selectAll()
      .where((eb) => eb.or([eb('organisation_id', '=', filter.organisationId), eb('organisation_id', 'is', null)]));
    if (filter.caseId !== undefined) query = query.where('case_id', '=', filter.caseId);
    if (filter.actorKind !== undefined) query = query.where('actor_kind', '=', filter.actorKind);
    if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
    if (filter.from !== undefined) query = query.where('occurred_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('occurred_at', '<', filter.to);
    if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
    const rows = await query.orderBy('seq', 'desc').limit(filter.limit).execute();
    return rows.map(toAuditEntry);
  }

  /** The people who opened a case with `action` and were answered 2xx, each once with the last time, latest first. */
  async openers(db: Db, caseId: number, action: AuditAction, exceptUserId: number): Promise<CaseOpener[]> {
    const rows = await db
      .selectFrom('audit_entries as a')
      .innerJoin('users as u', 'u.id', 'a.actor_id')
      .select(['u.id', 'u.name', (eb) => eb.fn.max('a.occurred_at').as('opened_at')])
      .where('a.case_id', '=', caseId)
      .where('a.action', '=', action)
      .where('a.actor_kind', '=', 'user')
      .where('a.actor_id', '<>', exceptUserId)
      .where('a.status', '>=', 200)
      .where('a.status', '<', 300)
      .groupBy(['u.id', 'u.name'])
      .orderBy('opened_at', 'desc')
      .execute();
    return rows.map((r) => ({ userId: r.id, name: r.name, openedAt: r.opened_at }));
  }
}
