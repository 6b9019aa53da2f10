import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { type CallbackPayloadInput, callbackPayload } from '../../domain/callback.js';
import type { DialectName } from '../database.js';
import { QueryShapes, idSlots } from '../query-shapes.js';
import type { CallbackAttemptTable, CallbackDeliveryTable, Database } from '../schema.js';

type Db = Kysely<Database>;

/** One callback of a case: what is sent, where, and how far its delivery got. */
export interface CallbackDeliveryRecord {
  readonly id: number;
  readonly caseId: number;
  /** Stable across retries (Standard Webhooks `webhook-id`). */
  readonly webhookId: string;
  readonly event: string;
  readonly url: string;
  /** The form-encoded body, fixed when the event happened. */
  readonly payload: string;
  readonly state: 'pending' | 'delivered' | 'failed';
  /** Attempts made so far. */
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly lastError: string | null;
}

/**
 * What became of an attempt's record: kept with the delivery moved on; kept,
 * but another worker had taken the delivery over; or not kept, the delivery
 * being gone (erased).
 */
export type AttemptRecording = 'recorded' | 'lease_lost' | 'delivery_gone';

/** One attempt to deliver a callback, as it was recorded. */
export interface CallbackAttemptRecord {
  readonly startedAt: string;
  readonly durationMs: number;
  /** Null when no HTTP answer came (refused, timeout, address not allowed). */
  readonly statusCode: number | null;
  readonly error: string | null;
  /** When the next attempt was due; null when this one ended the delivery. */
  readonly nextAttemptAt: string | null;
}

/** A delivery with its attempts, oldest first: the log a client sees. */
export interface CallbackDeliveryLog extends CallbackDeliveryRecord {
  readonly attemptLog: readonly CallbackAttemptRecord[];
}

/** A claimed delivery with what signing it needs: whose secret, from the case. */
export interface ClaimedDelivery extends CallbackDeliveryRecord {
  readonly organisationId: number;
  readonly apiClientId: number | null;
  readonly leaseToken: string;
}

/** A sealed webhook signing secret; `retireAt` null while it is the current one. */
export interface SigningSecretRecord {
  readonly id: number;
  readonly sealedSecret: string;
  readonly createdAt: string;
  readonly retireAt: string | null;
}

const deliveryRecord = (row: Selectable<CallbackDeliveryTable>): CallbackDeliveryRecord => ({
  id: row.id,
  caseId: row.case_id,
  webhookId: row.webhook_id,
  event: row.event,
  url: row.url,
  payload: row.payload,
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
  lastError: row.last_error,
});

const dueFirst = (a: Selectable<CallbackDeliveryTable>, b: Selectable<CallbackDeliveryTable>): number =>
  a.next_attempt_at < b.next_attempt_at ? -1 : a.next_attempt_at > b.next_attempt_at ? 1 : a.id - b.id;

/** A leased row as the worker sends it: the record with three fields added, not copied into a second object. */
const claimedDelivery = (
  row: Selectable<CallbackDeliveryTable>,
  owner: { readonly organisation_id: number; readonly api_client_id: number | null },
  leaseToken: string,
): ClaimedDelivery => Object.assign(deliveryRecord(row), { organisationId: owner.organisation_id, apiClientId: owner.api_client_id, leaseToken });

const attemptRecord = (row: Selectable<CallbackAttemptTable>): CallbackAttemptRecord => ({
  startedAt: row.started_at,
  durationMs: row.duration_ms,
  statusCode: row.status_code,
  error: row.error,
  nextAttemptAt: row.next_attempt_at,
});

/** Which leased delivery an attempt belongs to. */
export interface AttemptOf {
  readonly id: number;
  readonly leaseToken: string;
}

export interface NewCallbackAttempt {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** The delivery's state after this attempt. */
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly nextAttemptAt: string | null;
  readonly finishedAt: string | null;
}

/** The callback outbox: written with the status change, claimed and updated by the delivery workers. */
export class CallbackRepository {
  /** The worker's statements, run for every attempt: compiled once per shape (storage/query-shapes.ts). */
  private readonly shapes = new QueryShapes();

  constructor(private readonly dialect: DialectName) {}

  /** Records the event for the case's callback URL, if it has one; call inside the status change's transaction. */
  async recordEvent(db: Db, input: CallbackPayloadInput): Promise<boolean> {
    const target = await db.selectFrom('cases').select('callback_url').where('id', '=', input.caseId).executeTakeFirst();
    if (!target?.callback_url) return false;
    await db
      .insertInto('callback_deliveries')
      .values({
        case_id: input.caseId,
        webhook_id: `msg_${randomUUID().replace(/-/g, '')}`,
        event: input.event,
        url: target.callback_url,
        payload: callbackPayload(input),
        state: 'pending',
        next_attempt_at: input.occurredAt,
        locked_until: null,
        lease_token: null,
        last_error: null,
        created_at: input.occurredAt,
        finished_at: null,
      })
      .execute();
    return true;
  }

  /**
   * Leases up to `limit` due deliveries to one worker. On PostgreSQL the
   * candidates are locked with `FOR UPDATE SKIP LOCKED`, so concurrent workers
   * never take the same row and never wait for each other; an expired lease
   * (a worker that died) makes the row due again. SQLite serialises writers,
   * so the same statement is safe there for the one worker it runs. The
   * update returns the rows it leased, so they are not read a second time
   * (joined to their case and center, that read took about 200 µs per lease
   * of 32: `npm run bench:callbacks`); the owners are read once per case.
   */
  async claimDue(db: Db, input: { now: string; leaseUntil: string; limit: number }): Promise<ClaimedDelivery[]> {
    const token = randomUUID();
    const claimed = await this.shapes.rows(db, 'claim', [input.leaseUntil, token, input.now, input.limit], (value) => {
      let due = db
        .selectFrom('callback_deliveries')
        .select('id')
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', value<string>(2))
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', value<string>(2))]))
        .orderBy('next_attempt_at')
        .limit(value<number>(3));
      if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return db
        .updateTable('callback_deliveries')
        .set({ locked_until: value<string>(0), lease_token: value<string>(1) })
        .where('id', 'in', due)
        .returningAll();
    });
    if (claimed.length === 0) return [];
    // Whose secret signs each: one lookup per case (a burst of one client's cases has few), not a join per delivery.
    const caseIds = [...new Set(claimed.map((r) => r.case_id))];
    const owners = await this.shapes.rows(db, `owners:${caseIds.length}`, caseIds, (value) =>
      db
        .selectFrom('cases as c')
        .innerJoin('centers as ce', 'ce.id', 'c.center_id')
        .select(['c.id', 'ce.organisation_id', 'c.api_client_id'])
        .where('c.id', 'in', idSlots(value, caseIds.length)),
    );
    const ownerOf = new Map(owners.map((o) => [o.id, o]));
    const deliveries: ClaimedDelivery[] = [];
    for (const row of claimed.sort(dueFirst)) {
      const owner = ownerOf.get(row.case_id);
      // Erased since (the delivery went with its case): nothing to send.
      if (owner !== undefined) deliveries.push(claimedDelivery(row, owner, token));
    }
    return deliveries;
  }

  /**
   * Keeps the attempt and moves the delivery on, in one transaction. The
   * delivery is updated only while this worker still holds the lease; the
   * attempt is kept either way, because it happened. A delivery that is
   * gone (its case erased while the callback was being sent) leaves nothing
   * to record on.
   */
  async recordAttempt(db: Db, delivery: AttemptOf, attempt: NewCallbackAttempt): Promise<AttemptRecording> {
    const [recording] = await db.transaction().execute((trx) => this.recordAttemptsIn(trx, [{ delivery, attempt }]));
    return recording!;
  }

  /**
   * `recordAttempt` for several attempts, inside a transaction the caller
   * holds (one commit for all); the recordings in the attempts' order.
   */
  async recordAttemptsIn(trx: Db, attempts: readonly { readonly delivery: AttemptOf; readonly attempt: NewCallbackAttempt }[]): Promise<AttemptRecording[]> {
    if (attempts.length === 0) return [];
    // The cases are locked as an erasure locks one (FOR UPDATE) before deleting anything: an erasure
    // under way ends first and its delivery is gone; one that begins after waits, then deletes these attempts too.
    const ids = attempts.map((a) => a.delivery.id);
    const alive = await this.shapes.rows(trx, `alive:${ids.length}`, ids, (value) => {
      const query = trx
        .selectFrom('callback_deliveries as d')
        .innerJoin('cases as c', 'c.id', 'd.case_id')
        .select('d.id')
        .where('d.id', 'in', idSlots(value, ids.length));
      return this.dialect === 'postgres' ? query.forShare('c') : query;
    });
    const living = new Set(alive.map((r) => r.id));
    const kept = attempts.filter((a) => living.has(a.delivery.id));
    if (kept.length > 0) {
      const values = kept.flatMap(({ delivery, attempt }) => [delivery.id, attempt.startedAt, attempt.durationMs, attempt.statusCode, attempt.error, attempt.nextAttemptAt]);
      await this.shapes.execute(trx, `attempts:${kept.length}`, values, (value) =>
        trx.insertInto('callback_attempts').values(
          Array.from({ length: kept.length }, (_, i) => ({
            delivery_id: value<number>(6 * i),
            started_at: value<string>(6 * i + 1),
            duration_ms: value<number>(6 * i + 2),
            status_code: value<number | null>(6 * i + 3),
            error: value<string | null>(6 * i + 4),
            next_attempt_at: value<string | null>(6 * i + 5),
          })),
        ),
      );
    }
    const recordings: AttemptRecording[] = [];
    for (const { delivery, attempt } of attempts) {
      if (!living.has(delivery.id)) {
        recordings.push('delivery_gone');
        continue;
      }
      const values = [attempt.state, attempt.nextAttemptAt ?? attempt.startedAt, attempt.error, attempt.finishedAt, delivery.id, delivery.leaseToken];
      const updated = await this.shapes.execute(trx, 'record-attempt', values, (value) =>
        trx
          .updateTable('callback_deliveries')
          .set((eb) => ({
            state: value<NewCallbackAttempt['state']>(0),
            attempts: eb('attempts', '+', 1),
            next_attempt_at: value<string>(1),
            locked_until: null,
            lease_token: null,
            last_error: value<string | null>(2),
            finished_at: value<string | null>(3),
          }))
          .where('id', '=', value<number>(4))
          .where('lease_token', '=', value<string>(5)),
      );
      recordings.push(Number(updated.numAffectedRows ?? 0) === 1 ? 'recorded' : 'lease_lost');
    }
    return recordings;
  }

  /** The deliveries of a case, oldest first, each with its attempts. */
  async listForCase(db: Db, caseId: number): Promise<CallbackDeliveryLog[]> {
    const deliveries = await db.selectFrom('callback_deliveries').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
    if (deliveries.length === 0) return [];
    const attempts = await db
      .selectFrom('callback_attempts')
      .selectAll()
      .where('delivery_id', 'in', deliveries.map((d) => d.id))
      .orderBy('delivery_id')
      .orderBy('id')
      .execute();
    return deliveries.map((d) => ({
      ...deliveryRecord(d),
      attemptLog: attempts.filter((a) => a.delivery_id === d.id).map(attemptRecord),
    }));
  }

  /**
   * Sends a delivery again from the start of the schedule, with the same
   * `webhook-id` (it is the same message; receivers deduplicate by it).
   * Returns false when the delivery does not belong to the case.
   */
  async redeliver(db: Db, input: { caseId: number; deliveryId: number; now: string }): Promise<boolean> {
    const updated = await db
      .updateTable('callback_deliveries')
      .set({ state: 'pending', attempts: 0, next_attempt_at: input.now, locked_until: null, lease_token: null, finished_at: null })
      .where('id', '=', input.deliveryId)
      .where('case_id', '=', input.caseId)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** The secrets that sign for an owner now: the newest first, then those retiring later than `now`. */
  async signingSecrets(db: Db, owner: { organisationId: number; apiClientId: number | null }, now: string): Promise<SigningSecretRecord[]> {
    const rows = await db
      .selectFrom('webhook_secrets')
      .select(['id', 'sealed_secret', 'created_at', 'retire_at'])
      .where('organisation_id', '=', owner.organisationId)
      .where('api_client_id', owner.apiClientId === null ? 'is' : '=', owner.apiClientId)
      .where((eb) => eb.or([eb('retire_at', 'is', null), eb('retire_at', '>', now)]))
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({ id: r.id, sealedSecret: r.sealed_secret, createdAt: r.created_at, retireAt: r.retire_at }));
  }

  /** Adds a current secret and retires the others at `retireAt`. */
  async addSecret(db: Db, owner: { organisationId: number; apiClientId: number | null }, input: { sealed: string; now: string; retireAt: string }) {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('webhook_secrets')
        .set({ retire_at: input.retireAt })
        .where('organisation_id', '=', owner.organisationId)
        .where('api_client_id', owner.apiClientId === null ? 'is' : '=', owner.apiClientId)
        .where((eb) => eb.or([eb('retire_at', 'is', null), eb('retire_at', '>', input.retireAt)]))
        .execute();
      await trx
        .insertInto('webhook_secrets')
        .values({ organisation_id: owner.organisationId, api_client_id: owner.apiClientId, sealed_secret: input.sealed, created_at: input.now, retire_at: null })
        .execute();
    });
  }
}
