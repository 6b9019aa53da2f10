import type { Kysely, Selectable } from 'kysely';
import type { Database, UserTable } from '../schema.js';

type Db = Kysely<Database>;
export type UserRole = UserTable['role'];

export interface UserRecord {
  readonly id: number;
  readonly organisationId: number;
  readonly email: string;
  readonly role: UserRole;
  readonly name: string;
  readonly licenceNumber: string | null;
  readonly centerIds: readonly number[];
  readonly createdAt: string;
  /** A disabled person cannot log in, and their sessions no longer work. */
  readonly disabled: boolean;
}

/** What an administrator may change of a person; a property left out stays as it is. */
export interface UserChanges {
  readonly name?: string;
  readonly role?: UserRole;
  readonly licenceNumber?: string | null;
  /** When the person was disabled; null: enabled again. */
  readonly disabledAt?: string | null;
}

function toUserRecord(u: Selectable<UserTable>, centerIds: readonly number[]): UserRecord {
  return {
    id: u.id,
    organisationId: u.organisation_id,
    email: u.email,
    role: u.role,
    name: u.name,
    licenceNumber: u.licence_number,
    centerIds,
    createdAt: u.created_at,
    disabled: u.disabled_at !== null,
  };
}

/** People who log in: readers, center staff, admins. */
export class UserRepository {
  async insertUser(
    db: Db,
    values: { organisationId: number; email: string; passwordHash: string; role: UserRole; name: string; licenceNumber: string | null; centerIds: readonly number[] },
    now: string,
  ): Promise<number> {
    const row = await db
      .insertInto('users')
      .values({
        organisation_id: values.organisationId,
        email: values.email,
        password_hash: values.passwordHash,
        role: values.role,
        name: values.name,
        licence_number: values.licenceNumber,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (values.centerIds.length > 0) {
      await db.insertInto('user_centers').values(values.centerIds.map((center_id) => ({ user_id: row.id, center_id }))).execute();
    }
    return row.id;
  }

  async findForLogin(db: Db, email: string): Promise<{ id: number; organisationId: number; passwordHash: string; disabled: boolean } | undefined> {
    const row = await db.selectFrom('users').select(['id', 'organisation_id', 'password_hash', 'disabled_at']).where('email', '=', email).executeTakeFirst();
    return row && { id: row.id, organisationId: row.organisation_id, passwordHash: row.password_hash, disabled: row.disabled_at !== null };
  }

  async insertSession(db: Db, values: { tokenHash: string; userId: number; expiresAt: string }, now: string): Promise<void> {
    await db
      .insertInto('user_sessions')
      .values({ token_hash: values.tokenHash, user_id: values.userId, expires_at: values.expiresAt, created_at: now })
      .execute();
  }

  /** The session's user, unless the session is unknown or the user disabled. */
  async findSessionOwner(
    db: Db,
    tokenHash: string,
  ): Promise<{ sessionId: number; expiresAt: string; user: UserRecord } | undefined> {
    const row = await db
      .selectFrom('user_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id as session_id', 's.expires_at', 'u.id as user_id', 'u.disabled_at'])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row || row.disabled_at !== null) return undefined;
    const user = await this.findUser(db, row.user_id);
    return user && { sessionId: row.session_id, expiresAt: row.expires_at, user };
  }

  async findUser(db: Db, id: number): Promise<UserRecord | undefined> {
    const u = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!u) return undefined;
    const centers = await db.selectFrom('user_centers').select('center_id').where('user_id', '=', id).orderBy('center_id').execute();
    return toUserRecord(u, centers.map((c) => c.center_id));
  }

  async updateUser(db: Db, id: number, changes: UserChanges): Promise<void> {
    const set = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.licenceNumber !== undefined ? { licence_number: changes.licenceNumber } : {}),
      ...(changes.disabledAt !== undefined ? { disabled_at: changes.disabledAt } : {}),
    };
    if (Object.keys(set).length > 0) await db.updateTable('users').set(set).where('id', '=', id).execute();
  }

  async setCenters(db: Db, id: number, centerIds: readonly number[]): Promise<void> {
    await db.deleteFrom('user_centers').where('user_id', '=', id).execute();
    if (centerIds.length > 0) await db.insertInto('user_centers').values(centerIds.map((center_id) => ({ user_id: id, center_id }))).execute();
  }

  async setPasswordHash(db: Db, id: number, passwordHash: string): Promise<void> {
    await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  /** Ends every session of the person (disabled, password reset, role or centers changed). */
  async deleteSessionsOfUser(db: Db, userId: number): Promise<void> {
    await db.deleteFrom('user_sessions').where('user_id', '=', userId).execute();
  }

  async deleteSession(db: Db, sessionId: number): Promise<void> {
    await db.deleteFrom('user_sessions').where('id', '=', sessionId).execute();
  }

  async deleteExpiredSessions(db: Db, now: string): Promise<number> {
    const result = await db.deleteFrom('user_sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async emailExists(db: Db, email: string): Promise<boolean> {
    return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
  }

  /** Every person, or those of one organisation. */
  async listUsers(db: Db, organisationId?: number): Promise<UserRecord[]> {
    let query = db.selectFrom('users').selectAll();
    if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
    const users = await query.orderBy('id').execute();
    if (users.length === 0) return [];
    const links = await db
      .selectFrom('user_centers')
      .select(['user_id', 'center_id'])
      .where('user_id', 'in', users.map((u) => u.id))
      .orderBy('center_id')
      .execute();
    return users.map((u) =>
      toUserRecord(
        u,
        links.filter((l) => l.user_id === u.id).map((l) => l.center_id),
      ),
    );
  }
}
