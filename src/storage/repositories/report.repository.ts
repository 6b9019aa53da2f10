import type { Kysely } from 'kysely';
import type { Derivation } from '../../domain/case.js';
import type { ReportInput } from '../../domain/grading.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** Signed report versions and rejections; rows are only ever added. */
export class ReportRepository {
  async latestVersion(db: Db, caseId: number): Promise<number> {
    const row = await db
      .selectFrom('reports')
      .select((eb) => eb.fn.max<number>('version').as('v'))
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    return Number(row?.v ?? 0);
  }

  async insertReport(
    db: Db,
    values: { caseId: number; version: number; readerId: number; input: ReportInput; suggested: Derivation; derivation: Derivation; amendReason: string | null },
    now: string,
  ): Promise<void> {
    await db
      .insertInto('reports')
      .values({
        case_id: values.caseId,
        version: values.version,
        reader_id: values.readerId,
        grading_od: JSON.stringify(values.input.od),
        grading_os: JSON.stringify(values.input.os),
        suggested_derivation: values.suggested,
        derivation: values.derivation,
        override_reason: values.derivation === values.suggested ? null : values.input.override_reason,
        recommendation: values.input.recommendation,
        rescreen_months: values.input.rescreen_months,
        amend_reason: values.amendReason,
        signed_at: now,
      })
      .execute();
  }

  async markReported(db: Db, caseId: number, derivation: Derivation, version: number, now: string, firstSigning: boolean): Promise<void> {
    await db
      .updateTable('cases')
      .set({ status: 'reported', derivation, report_version: version, updated_at: now, ...(firstSigning ? { reported_at: now } : {}) })
      .where('id', '=', caseId)
      .execute();
  }

  async insertRejection(db: Db, values: { caseId: number; readerId: number; reason: string; text: string | null }, now: string): Promise<void> {
    await db.insertInto('case_rejections').values({ case_id: values.caseId, reader_id: values.readerId, reason: values.reason, text: values.text, rejected_at: now }).execute();
    await db.updateTable('cases').set({ status: 'rejected', updated_at: now }).where('id', '=', values.caseId).execute();
  }

  async listVersions(db: Db, caseId: number) {
    return db
      .selectFrom('reports as r')
      .innerJoin('users as u', 'u.id', 'r.reader_id')
      .select(['r.version', 'r.derivation', 'r.signed_at', 'r.amend_reason', 'u.name as reader_name'])
      .where('r.case_id', '=', caseId)
      .orderBy('r.version')
      .execute();
  }
}
