import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** A center as stored; services make it a domain `Center` (domain/center.ts `centerOf`), with the instance's time zone when it has none. */
export interface CenterRecord {
  readonly id: number;
  readonly organisationId: number;
  readonly name: string;
  readonly language: string;
  /** IANA time zone of its own; null: the instance default. */
  readonly timezone: string | null;
  readonly createdAt: string;
}

export interface OrganisationRecord {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
}

const centerRecord = (row: { id: number; organisation_id: number; name: string; language: string; timezone: string | null; created_at: string }): CenterRecord => ({
  id: row.id,
  organisationId: row.organisation_id,
  name: row.name,
  language: row.language,
  timezone: row.timezone,
  createdAt: row.created_at,
});

/** Organisations and their centers. */
export class TenancyRepository {
  /**
   * Claims a once-per-installation task: true for exactly one caller, however
   * many processes ask at the same moment (the insert of an existing primary
   * key does nothing).
   */
  async claimOnce(db: Db, name: string, now: string): Promise<boolean> {
    const result = await db.insertInto('one_time_claims').values({ name, claimed_at: now }).onConflict((oc) => oc.column('name').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async countOrganisations(db: Db): Promise<number> {
    const row = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertOrganisation(db: Db, name: string, now: string): Promise<number> {
    const row = await db.insertInto('organisations').values({ name, created_at: now }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async findOrganisation(db: Db, id: number): Promise<{ id: number; name: string } | undefined> {
    return db.selectFrom('organisations').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  }

  async listOrganisations(db: Db): Promise<OrganisationRecord[]> {
    const rows = await db.selectFrom('organisations').select(['id', 'name', 'created_at']).orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  async insertCenter(db: Db, values: { organisationId: number; name: string; language: string; timezone: string | null }, now: string): Promise<CenterRecord> {
    const row = await db
      .insertInto('centers')
      .values({ organisation_id: values.organisationId, name: values.name, language: values.language, timezone: values.timezone, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return centerRecord(row);
  }

  async listCenters(db: Db, organisationId?: number): Promise<CenterRecord[]> {
    let query = db.selectFrom('centers').selectAll();
    if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
    return (await query.orderBy('id').execute()).map(centerRecord);
  }

  async findCentersByIds(db: Db, ids: readonly number[]): Promise<CenterRecord[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom('centers').selectAll().where('id', 'in', [...ids]).orderBy('id').execute()).map(centerRecord);
  }
}
