import type { Kysely } from 'kysely';
import type { Derivation } from '../../domain/case.js';
import type { EyeGrading, ReportInput } from '../../domain/grading.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/** One version of a signed report: who signed it, when, what it concluded and why it changed. */
export interface ReportVersionRecord {
  readonly version: number;
  readonly signedAt: string;
  readonly readerName: string;
  readonly readerLicence: string | null;
  readonly derivation: Derivation;
  readonly suggestedDerivation: Derivation;
  /** Why the reader chose another derivation than the grades suggest. */
  readonly overrideReason: string | null;
  /** Why this version replaced the previous one (null for version 1). */
  readonly amendReason: string | null;
  /** Why glaucoma is not suspected in an eye whose cup-to-disc ratio suggests it (null: no such eye). */
  readonly glaucomaOverrideReason: string | null;
  readonly od: EyeGrading;
  readonly os: EyeGrading;
  readonly recommendation: string;
  readonly rescreenMonths: number | null;
}

/** Signed report versions and rejections; rows are only ever added. */
export class ReportRepository {
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
        glaucoma_override_reason: values.input.glaucoma_override_reason,
        signed_at: now,
      })
      .execute();
  }

  /** What the current version of a case's report tells the patient: the conclusion an amendment must restate when it changes. */
  async latestConclusion(db: Db, caseId: number): Promise<{ version: number; derivation: Derivation; recommendation: string; rescreenMonths: number | null } | undefined> {
    const row = await db
      .selectFrom('reports')
      .select(['version', 'derivation', 'recommendation', 'rescreen_months'])
      .where('case_id', '=', caseId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { version: row.version, derivation: row.derivation, recommendation: row.recommendation, rescreenMonths: row.rescreen_months };
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

  /** One report version with its reader and the case's center, for rendering. */
  async findVersionForRendering(db: Db, caseId: number, version: number) {
    const row = await db
      .selectFrom('reports as r')
      .innerJoin('users as u', 'u.id', 'r.reader_id')
      .innerJoin('cases as c', 'c.id', 'r.case_id')
      .innerJoin('centers as ce', 'ce.id', 'c.center_id')
      .select([
        'r.grading_od',
        'r.grading_os',
        'r.derivation',
        'r.recommendation',
        'r.rescreen_months',
        'r.signed_at',
        'r.amend_reason',
        'r.glaucoma_override_reason',
        'u.name as reader_name',
        'u.licence_number',
        'ce.name as center_name',
        'ce.address as center_address',
        'ce.language',
        'ce.timezone',
      ])
      .where('r.case_id', '=', caseId)
      .where('r.version', '=', version)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      od: JSON.parse(row.grading_od) as EyeGrading,
      os: JSON.parse(row.grading_os) as EyeGrading,
      derivation: row.derivation,
      recommendation: row.recommendation,
      rescreenMonths: row.rescreen_months,
      signedAt: row.signed_at,
      readerName: row.reader_name,
      readerLicence: row.licence_number,
      amendReason: row.amend_reason,
      glaucomaOverrideReason: row.glaucoma_override_reason,
      centerName: row.center_name,
      centerAddress: row.center_address,
      language: row.language,
      /** Null: the center follows the instance default. */
      timezone: row.timezone,
    };
  }

  /** Every version of a case's report, oldest first, with who signed it and its findings. */
  async listVersions(db: Db, caseId: number): Promise<ReportVersionRecord[]> {
    const rows = await db
      .selectFrom('reports as r')
      .innerJoin('users as u', 'u.id', 'r.reader_id')
      .select([
        'r.version',
        'r.derivation',
        'r.suggested_derivation',
        'r.override_reason',
        'r.signed_at',
        'r.amend_reason',
        'r.glaucoma_override_reason',
        'r.grading_od',
        'r.grading_os',
        'r.recommendation',
        'r.rescreen_months',
        'u.name as reader_name',
        'u.licence_number',
      ])
      .where('r.case_id', '=', caseId)
      .orderBy('r.version')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      signedAt: r.signed_at,
      readerName: r.reader_name,
      readerLicence: r.licence_number,
      derivation: r.derivation,
      suggestedDerivation: r.suggested_derivation,
      overrideReason: r.override_reason,
      amendReason: r.amend_reason,
      glaucomaOverrideReason: r.glaucoma_override_reason,
      od: JSON.parse(r.grading_od) as EyeGrading,
      os: JSON.parse(r.grading_os) as EyeGrading,
      recommendation: r.recommendation,
      rescreenMonths: r.rescreen_months,
    }));
  }
}
