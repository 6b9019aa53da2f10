import type { Kysely } from 'kysely';
import type { Derivation } from '../../domain/case.js';
import type { Claim } from '../../domain/reading.js';
import type { DialectName } from '../database.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

export interface WorklistRow {
  readonly id: number;
  readonly centerId: number;
  readonly centerName: string;
  readonly createdAt: string;
  readonly age: number | null;
  readonly gender: number | null;
  readonly diabetes: number | null;
  readonly imageCount: number;
  readonly claim: Claim | null;
  /** The name of the reader holding `claim`. */
  readonly claimHolder: string | null;
}

/** Which pending cases a worklist shows. */
export interface WorklistFilter {
  readonly centerIds: readonly number[];
  /** Only cases with a larger id (the next page). */
  readonly afterId: number;
  readonly limit: number;
  /** With `overdue`: cases submitted at or before this instant are overdue (now minus the turnaround). */
  readonly overdueCutoff?: string;
  /** true: only overdue cases; false: only those still in time; absent: both. */
  readonly overdue?: boolean;
}

/** A reported case in a reader's list: enough to recognise it (anonymised) and open it. */
export interface ReportedCaseRecord {
  readonly id: number;
  readonly centerId: number;
  readonly age: number | null;
  readonly gender: number | null;
  readonly derivation: Derivation | null;
  readonly reportVersion: number | null;
  readonly reportedAt: string | null;
  /** When the current version was signed (the first signing or the latest amendment). */
  readonly updatedAt: string;
}

/** Queries of the reading workflow: the worklist and readers' claims. */
export class ReadingRepository {
  constructor(private readonly dialect: DialectName) {}

  /** Pending cases with readable images in the given centers, oldest first, after `afterId`; `imageCount` counts those a reader sees. */
  async listWorklist(db: Db, filter: WorklistFilter): Promise<WorklistRow[]> {
    const { centerIds, afterId, limit } = filter;
    if (centerIds.length === 0) return [];
    let query = db
      .selectFrom('cases as c')
      .innerJoin('centers as z', 'z.id', 'c.center_id')
      .leftJoin('case_claims as k', 'k.case_id', 'c.id')
      .leftJoin('users as u', 'u.id', 'k.reader_id')
      .select((eb) => [
        'c.id',
        'c.center_id',
        'z.name as center_name',
        'u.name as holder_name',
        'c.created_at',
        'c.age',
        'c.gender',
        'c.diabetes',
        'k.reader_id',
        'k.expires_at',
        eb.selectFrom('case_images as i').select(eb.fn.countAll<number>().as('n')).whereRef('i.case_id', '=', 'c.id').where('i.check_status', '!=', 'unreadable').as('image_count'),
      ])
      .where('c.status', '=', 'pending')
      .where('c.center_id', 'in', [...centerIds])
      .where('c.id', '>', afterId)
      // A case none of whose photographs can be decoded waits for the clinic's new ones (waitingFor in src/domain/case.ts says the same).
      .where((eb) => eb.exists(eb.selectFrom('case_images as i2').select('i2.id').whereRef('i2.case_id', '=', 'c.id').where('i2.check_status', '!=', 'unreadable')))
      // A case whose photographs a reader asked the clinic to send again waits for them, not for a reader.
      .where((eb) => eb.not(eb.exists(eb.selectFrom('image_requests as q').select('q.id').whereRef('q.case_id', '=', 'c.id').where('q.fulfilled_at', 'is', null))));
    if (filter.overdue !== undefined && filter.overdueCutoff !== undefined) {
      query = query.where('c.created_at', filter.overdue ? '<=' : '>', filter.overdueCutoff);
    }
    const rows = await query.orderBy('c.id', 'asc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      centerId: r.center_id,
      centerName: r.center_name,
      createdAt: r.created_at,
      age: r.age,
      gender: r.gender,
      diabetes: r.diabetes,
      imageCount: Number(r.image_count),
      claim: r.reader_id !== null && r.expires_at !== null ? { readerId: r.reader_id, expiresAt: r.expires_at } : null,
      claimHolder: r.holder_name,
    }));
  }

  /** Reported cases of the given centers, the most recently signed or amended first. */
  async listReported(db: Db, centerIds: readonly number[], limit: number): Promise<ReportedCaseRecord[]> {
    if (centerIds.length === 0) return [];
    const rows = await db
      .selectFrom('cases')
      .select(['id', 'center_id', 'age', 'gender', 'derivation', 'report_version', 'reported_at', 'updated_at'])
      .where('status', '=', 'reported')
      .where('center_id', 'in', [...centerIds])
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      centerId: r.center_id,
      age: r.age,
      gender: r.gender,
      derivation: r.derivation,
      reportVersion: r.report_version,
      reportedAt: r.reported_at,
      updatedAt: r.updated_at,
    }));
  }

  /**
   * Locks the case row until the transaction ends, so claims, signatures and
   * amendments of one case take turns. SQLite needs none: its single writer
   * connection already serialises transactions.
   */
  async lockCase(db: Db, caseId: number): Promise<void> {
    if (this.dialect === 'postgres') await db.selectFrom('cases').select('id').where('id', '=', caseId).forUpdate().execute();
  }

  /** The claim on a case, with the case row locked (see `lockCase`). */
  async findClaimForUpdate(db: Db, caseId: number): Promise<Claim | null> {
    await this.lockCase(db, caseId);
    return this.findClaim(db, caseId);
  }

  async findClaim(db: Db, caseId: number): Promise<Claim | null> {
    const row = await db.selectFrom('case_claims').select(['reader_id', 'expires_at']).where('case_id', '=', caseId).executeTakeFirst();
    return row ? { readerId: row.reader_id, expiresAt: row.expires_at } : null;
  }

  async saveClaim(db: Db, caseId: number, readerId: number, now: string, expiresAt: string): Promise<void> {
    await db
      .insertInto('case_claims')
      .values({ case_id: caseId, reader_id: readerId, claimed_at: now, expires_at: expiresAt })
      .onConflict((oc) => oc.column('case_id').doUpdateSet({ reader_id: readerId, claimed_at: now, expires_at: expiresAt }))
      .execute();
  }

  async deleteClaim(db: Db, caseId: number, readerId: number): Promise<boolean> {
    const result = await db.deleteFrom('case_claims').where('case_id', '=', caseId).where('reader_id', '=', readerId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Ids of earlier cases of the same patient at the same center (by history number, else by name). */
  /** A reader asks the clinic for new photographs of a case. */
  async insertImageRequest(db: Db, values: { caseId: number; readerId: number; reason: string; text: string | null }, now: string): Promise<void> {
    await db
      .insertInto('image_requests')
      .values({ case_id: values.caseId, reader_id: values.readerId, reason: values.reason, text: values.text, requested_at: now, fulfilled_at: null })
      .execute();
  }

  /** New photographs arrived: every open request of the case is answered, and the case is back on the worklist. */
  async fulfilImageRequests(db: Db, caseId: number, now: string): Promise<number> {
    const result = await db.updateTable('image_requests').set({ fulfilled_at: now }).where('case_id', '=', caseId).where('fulfilled_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async earlierCaseIdsOfPatient(db: Db, caseId: number): Promise<number[]> {
    const current = await db
      .selectFrom('cases')
      .select(['center_id', 'history_number', 'first_name', 'last_name'])
      .where('id', '=', caseId)
      .executeTakeFirst();
    if (!current) return [];
    // A rejected submission was never read: it is not a visit to compare with (its photographs could not be graded).
    let query = db.selectFrom('cases').select('id').where('center_id', '=', current.center_id).where('id', '<', caseId).where('status', '!=', 'rejected');
    if (current.history_number !== null) query = query.where('history_number', '=', current.history_number);
    else if (current.first_name !== null && current.last_name !== null) {
      query = query.where('history_number', 'is', null).where('first_name', '=', current.first_name).where('last_name', '=', current.last_name);
    } else return [];
    return (await query.orderBy('id', 'desc').limit(10).execute()).map((r) => r.id);
  }
}
