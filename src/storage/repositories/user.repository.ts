import type { Kysely } from 'kysely';
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

  async emailExists(db: Db, email: string): Promise<boolean> {
    return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
  }

  async listUsers(db: Db): Promise<UserRecord[]> {
    const users = await db.selectFrom('users').selectAll().orderBy('id').execute();
    const links = await db.selectFrom('user_centers').select(['user_id', 'center_id']).orderBy('center_id').execute();
    return users.map((u) => ({
      id: u.id,
      organisationId: u.organisation_id,
      email: u.email,
      role: u.role,
      name: u.name,
      licenceNumber: u.licence_number,
      centerIds: links.filter((l) => l.user_id === u.id).map((l) => l.center_id),
      createdAt: u.created_at,
    }));
  }
}
