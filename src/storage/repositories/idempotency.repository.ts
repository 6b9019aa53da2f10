import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

export type IdempotencyRecord =
  | { readonly state: 'running'; readonly lockedUntil: string }
  | { readonly state: 'done'; readonly requestHash: string; readonly status: number; readonly body: string };

/** Whose key it is: Idempotency-Keys are scoped to one API client or one person. */
export type IdempotencyOwner = { readonly apiClientId: number } | { readonly userId: number };

function ownedBy(owner: IdempotencyOwner, key: string) {
  return (eb: ExpressionBuilder<Database, 'idempotency_keys'>) =>
    eb.and([
      'apiClientId' in owner ? eb('api_client_id', '=', owner.apiClientId) : eb('user_id', '=', owner.userId),
      eb('idempotency_key', '=', key),
    ]);
}

/** Stored answers to `Idempotency-Key` requests, per API client or person. */
export class IdempotencyRepository {
  async find(db: Db, owner: IdempotencyOwner, key: string): Promise<IdempotencyRecord | undefined> {
    const row = await db.selectFrom('idempotency_keys').selectAll().where(ownedBy(owner, key)).executeTakeFirst();
    if (!row) return undefined;
    if (row.state === 'done' && row.request_hash !== null && row.response_status !== null && row.response_body !== null) {
      return { state: 'done', requestHash: row.request_hash, status: row.response_status, body: row.response_body };
    }
    return { state: 'running', lockedUntil: row.locked_until };
  }

  /** Takes the key for this attempt; false when another attempt holds it or it is done. */
  async tryClaim(db: Db, owner: IdempotencyOwner, key: string, now: string, lockedUntil: string): Promise<boolean> {
    const byClient = 'apiClientId' in owner;
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        api_client_id: byClient ? owner.apiClientId : null,
        user_id: byClient ? null : owner.userId,
        idempotency_key: key,
        state: 'running',
        created_at: now,
        locked_until: lockedUntil,
        request_hash: null,
        response_status: null,
        response_body: null,
      })
      .onConflict((oc) => oc.columns([byClient ? 'api_client_id' : 'user_id', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return true;
    // An attempt that crashed leaves a running row: take it over once its lock expired.
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ locked_until: lockedUntil, created_at: now })
      .where(ownedBy(owner, key))
      .where('state', '=', 'running')
      .where('locked_until', '<', now)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  }

  async complete(db: Db, owner: IdempotencyOwner, key: string, requestHash: string, status: number, body: string): Promise<void> {
    await db
      .updateTable('idempotency_keys')
      .set({ state: 'done', request_hash: requestHash, response_status: status, response_body: body })
      .where(ownedBy(owner, key))
      .execute();
  }

  /** Frees a key whose attempt ended without a stored answer (invalid input), so the client may retry. */
  async release(db: Db, owner: IdempotencyOwner, key: string): Promise<void> {
    await db.deleteFrom('idempotency_keys').where(ownedBy(owner, key)).where('state', '=', 'running').execute();
  }

  async deleteOlderThan(db: Db, cutoff: string): Promise<number> {
    const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
