import type { Kysely, Selectable } from 'kysely';
import type { CenterTable, Database } from '../schema.js';

type Db = Kysely<Database>;

/** A center as stored; services make it a domain `Center` (domain/center.ts `centerOf`), with the instance's time zone when it has none. */
export interface CenterRecord {
  readonly id: number;
  readonly organisationId: number;
  readonly name: string;
  readonly language: string;
  /** IANA time zone of its own; null: the instance default. */
  readonly timezone: string | null;
  /** Printed under its name on its reports; null: none. */
  readonly address: string | null;
  readonly createdAt: string;
}

/** What an administrator may change of a center; a property left out stays as it is. */
export interface CenterChanges {
  readonly name?: string;
  readonly language?: string;
  readonly timezone?: string | null;
  readonly address?: string | null;
}

export interface OrganisationRecord {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
}

const centerRecord = (row: Selectable<CenterTable>): CenterRecord => ({
  id: row.id,
  organisationId: row.organisation_id,
  name: row.name,
  language: row.language,
  timezone: row.timezone,
  address: row.address,
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

  /** Every organisation, or only the one named. */
  async listOrganisations(db: Db, onlyId?: number): Promise<OrganisationRecord[]> {
    let query = db.selectFrom('organisations').select(['id', 'name', 'created_at']);
    if (onlyId !== undefined) query = query.where('id', '=', onlyId);
    const rows = await query.orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  async renameOrganisation(db: Db, id: number, name: string): Promise<boolean> {
    const result = await db.updateTable('organisations').set({ name }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertCenter(
    db: Db,
    values: { organisationId: number; name: string; language: string; timezone: string | null; address?: string | null },
    now: string,
  ): Promise<CenterRecord> {
    const row = await db
      .insertInto('centers')
      .values({
        organisation_id: values.organisationId,
        name: values.name,
        language: values.language,
        timezone: values.timezone,
        address: values.address ?? null,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return centerRecord(row);
  }

  async listCenters(db: Db, organisationId?: number): Promise<CenterRecord[]> {
    let query = db.selectFrom('centers').selectAll();
    if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
    return (await query.orderBy('id').execute()).map(centerRecord);
  }

  async findCenter(db: Db, id: number): Promise<CenterRecord | undefined> {
    const row = await db.selectFrom('centers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && centerRecord(row);
  }

  /** Changes what is given and returns the center as it now is. */
  async updateCenter(db: Db, id: number, changes: CenterChanges): Promise<CenterRecord | undefined> {
    const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    if (Object.keys(set).length > 0) await db.updateTable('centers').set(set).where('id', '=', id).execute();
    return this.findCenter(db, id);
  }

  async findCentersByIds(db: Db, ids: readonly number[]): Promise<CenterRecord[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom('centers').selectAll().where('id', 'in', [...ids]).orderBy('id').execute()).map(centerRecord);
  }
}
