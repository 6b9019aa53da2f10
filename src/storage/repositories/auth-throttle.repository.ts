import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

export interface ThrottleState {
  readonly attempts: number;
  readonly lockouts: number;
  readonly lockedUntil: string | null;
  readonly expiresAt: string;
}

/**
 * Failed authentication attempts per key (services/auth-throttle.ts decides
 * the keys, limits and lockouts). Every change is one statement, so processes
 * sharing the database share the counts and cannot overrun them. Timestamps
 * are ISO 8601 text: they compare as strings on both dialects.
 */
export class AuthThrottleRepository {
  /**
   * Counts one attempt for `key` unless it is locked or already holds
   * `limit` attempts; true when counted. One upsert: concurrent callers are
   * serialised on the row, so at most `limit` of them get true. A row past
   * its `expires_at` starts afresh; `expiresAt` moves the row's forgetting
   * time forward, never back.
   */
  async reserve(db: Db, key: string, limit: number, now: string, expiresAt: string): Promise<boolean> {
    const row = await db
      .insertInto('auth_throttles')
      .values({ key, attempts: 1, lockouts: 0, locked_until: null, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet((eb) => {
            const expired = eb('auth_throttles.expires_at', '<=', now);
            return {
              attempts: eb.case().when(expired).then(1).else(eb('auth_throttles.attempts', '+', 1)).end(),
              lockouts: eb.case().when(expired).then(0).else(eb.ref('auth_throttles.lockouts')).end(),
              locked_until: eb.case().when(expired).then(null).else(eb.ref('auth_throttles.locked_until')).end(),
              expires_at: eb.case().when('auth_throttles.expires_at', '<', expiresAt).then(expiresAt).else(eb.ref('auth_throttles.expires_at')).end(),
            };
          })
          .where((eb) =>
            eb.or([
              eb('auth_throttles.expires_at', '<=', now),
              eb.and([
                eb.or([eb('auth_throttles.locked_until', 'is', null), eb('auth_throttles.locked_until', '<=', now)]),
                eb('auth_throttles.attempts', '<', limit),
              ]),
            ]),
          ),
      )
      .returning('attempts')
      .executeTakeFirst();
    return row !== undefined;
  }

  async find(db: Db, key: string): Promise<ThrottleState | undefined> {
    const row = await db.selectFrom('auth_throttles').selectAll().where('key', '=', key).executeTakeFirst();
    return row && { attempts: row.attempts, lockouts: row.lockouts, lockedUntil: row.locked_until, expiresAt: row.expires_at };
  }

  /**
   * Locks the key until `lockedUntil` and starts its count again, if it still
   * holds `limit` attempts after `lockouts` lockouts: of several failures that
   * see the key full, only the first locks it. True when this call locked it.
   */
  async lock(db: Db, key: string, values: { limit: number; lockouts: number; lockedUntil: string; expiresAt: string }): Promise<boolean> {
    const result = await db
      .updateTable('auth_throttles')
      .set((eb) => ({
        attempts: 0,
        lockouts: eb('lockouts', '+', 1),
        locked_until: values.lockedUntil,
        expires_at: values.expiresAt,
      }))
      .where('key', '=', key)
      .where('attempts', '>=', values.limit)
      .where('lockouts', '=', values.lockouts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives back one reserved attempt that was never checked, or that succeeded. */
  async release(db: Db, key: string): Promise<void> {
    await db
      .updateTable('auth_throttles')
      .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
      .where('key', '=', key)
      .where('attempts', '>', 0)
      .execute();
  }

  /** Forgets the key's failures and lockouts (the right credentials came from it). */
  async forget(db: Db, key: string): Promise<void> {
    await db.deleteFrom('auth_throttles').where('key', '=', key).execute();
  }

  async deleteExpired(db: Db, now: string): Promise<number> {
    const result = await db.deleteFrom('auth_throttles').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
