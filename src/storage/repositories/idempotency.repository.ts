import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

export type IdempotencyRecord =
  | { readonly state: 'running'; readonly lockedUntil: string }
  | { readonly state: 'done'; readonly requestHash: string; readonly status: number; readonly body: string };

/** Stored answers to `Idempotency-Key` requests, per API client. */
export class IdempotencyRepository {
  async find(db: Db, apiClientId: number, key: string): Promise<IdempotencyRecord | undefined> {
    const row = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('api_client_id', '=', apiClientId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.state === 'done' && row.request_hash !== null && row.response_status !== null && row.response_body !== null) {
      return { state: 'done', requestHash: row.request_hash, status: row.response_status, body: row.response_body };
    }
    return { state: 'running', lockedUntil: row.locked_until };
  }

  /** Takes the key for this attempt; false when another attempt holds it or it is done. */
  async tryClaim(db: Db, apiClientId: number, key: string, now: string, lockedUntil: string): Promise<boolean> {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ api_client_id: apiClientId, idempotency_key: key, state: 'running', created_at: now, locked_until: lockedUntil, request_hash: null, response_status: null, response_body: null })
      .onConflict((oc) => oc.columns(['api_client_id', 'idempotency_key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return true;
    // An attempt that crashed leaves a running row: take it over once its lock expired.
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ locked_until: lockedUntil, created_at: now })
      .where('api_client_id', '=', apiClientId)
      .where('idempotency_key', '=', key)
      .where('state', '=', 'running')
      .where('locked_until', '<', now)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  }

  async complete(db: Db, apiClientId: number, key: string, requestHash: string, status: number, body: string): Promise<void> {
    await db
      .updateTable('idempotency_keys')
      .set({ state: 'done', request_hash: requestHash, response_status: status, response_body: body })
      .where('api_client_id', '=', apiClientId)
      .where('idempotency_key', '=', key)
      .execute();
  }

  /** Frees a key whose attempt ended without a stored answer (invalid input), so the client may retry. */
  async release(db: Db, apiClientId: number, key: string): Promise<void> {
    await db
      .deleteFrom('idempotency_keys')
      .where('api_client_id', '=', apiClientId)
      .where('idempotency_key', '=', key)
      .where('state', '=', 'running')
      .execute();
  }

  async deleteOlderThan(db: Db, cutoff: string): Promise<number> {
    const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
