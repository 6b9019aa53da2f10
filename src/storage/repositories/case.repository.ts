import { type Kysely, type Selectable, sql } from 'kysely';
import type { Case, CaseAmendment, CaseFindings, CaseImage, CaseRejection, CaseStatus, ImageRequest } from '../../domain/case.js';
import type { DicomSopClass } from '../../domain/dicom.js';
import type { Eye, EyeSource } from '../../domain/eyes.js';
import type { StoredImageChecks } from '../../domain/image-checks.js';
import { type EyeGrading, type RejectionReason, moreUrgent } from '../../domain/grading.js';
import { type CaseIntake, INTAKE_FIELD_NAMES } from '../../domain/intake.js';
import { type SearchWord, prefixUpperBound, searchTermsOf } from '../../domain/search.js';
import type { ByteRange } from '../blob/blob-store.js';
import type { DialectName } from '../database.js';
import { QueryShapes, idSlots } from '../query-shapes.js';
import type { CaseImageTable, CaseTable, Database } from '../schema.js';

type Db = Kysely<Database>;

export interface NewCaseImage {
  readonly blobKey: string;
  /** Null when the blob is the image; else where in the blob (the DICOM file it came in) its `size` bytes start. */
  readonly blobOffset: number | null;
  readonly fileName: string;
  readonly size: number;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  /** Null when the image was stored without hashing (the image worker records it). */
  readonly sha256: string | null;
  readonly eye: Eye | null;
  readonly eyeSource: EyeSource | null;
  /** The DICOM file the photograph was taken from, kept as it came (the photograph may be a range of it: `blobOffset`). */
  readonly dicom: { readonly blobKey: string; readonly size: number; readonly sopClass: DicomSopClass } | null;
}

export interface CaseListFilter {
  readonly status?: CaseStatus;
  readonly updatedSince?: string;
  /** Words that must each find the case (staff search, src/domain/search.ts): by its id or the beginning of one of its terms. */
  readonly search?: readonly SearchWord[];
  /** Keyset cursor: only cases with a smaller id (newest first). */
  readonly beforeId?: number;
  readonly limit: number;
}

function toCaseImage(row: Selectable<CaseImageTable>): CaseImage {
  return {
    id: row.id,
    fileName: row.file_name,
    size: Number(row.size),
    contentType: row.content_type,
    width: row.width,
    height: row.height,
    sha256: row.sha256,
    createdAt: row.created_at,
    eye: row.eye,
    eyeSource: row.eye_source as EyeSource | null,
    status: row.check_status,
    statusReason: row.check_reason,
    checks: row.checks === null ? null : (JSON.parse(row.checks) as StoredImageChecks),
    dicom: row.dicom_blob_key === null ? null : { size: Number(row.dicom_size), sopClass: row.dicom_sop_class as DicomSopClass },
  };
}

/** The current report's findings of a reported case and, when it amends an earlier version, what it changed. */
interface CurrentReport {
  readonly findings: CaseFindings;
  readonly amendment: CaseAmendment | null;
}

function toCase(
  row: Selectable<CaseTable>,
  images: readonly CaseImage[],
  report: CurrentReport | null,
  rejection: CaseRejection | null,
  imageRequest: ImageRequest | null,
): Case {
  return {
    id: row.id,
    status: row.status,
    derivation: row.derivation,
    centerId: row.center_id,
    intake: Object.fromEntries(INTAKE_FIELD_NAMES.map((name) => [name, row[name]])) as CaseIntake,
    images,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    reportedAt: row.reported_at,
    reportVersion: row.report_version,
    findings: report?.findings ?? null,
    rejection,
    imageRequest,
    amendment: report?.amendment ?? null,
  };
}

/** A case as read, and the revision (migration 0031) its row had then. */
export interface RevisedCase {
  readonly case: Case;
  readonly revision: number;
}

/** Cases and their images. Every read takes the center ids the caller may see. */
export class CaseRepository {
  private readonly shapes = new QueryShapes();

  constructor(private readonly dialect: DialectName) {}

  async insertCase(db: Db, values: { centerId: number; apiClientId: number | null; userId: number | null; intake: CaseIntake }, now: string): Promise<number> {
    const row = await db
      .insertInto('cases')
      .values({
        ...values.intake,
        center_id: values.centerId,
        api_client_id: values.apiClientId,
        user_id: values.userId,
        status: 'pending',
        derivation: null,
        created_at: now,
        updated_at: now,
        reported_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const terms = searchTermsOf({ historyNumber: values.intake.history_number, firstName: values.intake.first_name, lastName: values.intake.last_name });
    if (terms.length > 0) await db.insertInto('case_search_terms').values(terms.map((term) => ({ term, case_id: row.id }))).execute();
    return row.id;
  }

  /** Stores the image rows; returns their ids, in order. */
  async insertImages(db: Db, caseId: number, images: readonly NewCaseImage[], now: string): Promise<number[]> {
    if (images.length === 0) return [];
    const rows = await db
      .insertInto('case_images')
      .values(
        images.map((image) => ({
          case_id: caseId,
          blob_key: image.blobKey,
          blob_offset: image.blobOffset,
          file_name: image.fileName,
          size: image.size,
          content_type: image.contentType,
          width: image.width,
          height: image.height,
          sha256: image.sha256,
          created_at: now,
          eye: image.eye,
          eye_source: image.eyeSource,
          eye_set_by: null,
          eye_set_at: null,
          dicom_blob_key: image.dicom?.blobKey ?? null,
          dicom_size: image.dicom?.size ?? null,
          dicom_sop_class: image.dicom?.sopClass ?? null,
        })),
      )
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async findCaseForViewer(db: Db, id: number, centerIds: readonly number[]): Promise<Case | undefined> {
    return (await this.findRevisedCaseForViewer(db, id, centerIds))?.case;
  }

  /**
   * A case the viewer may see and the revision it was read at. The revision
   * comes with the case's row, before its parts are read, so what is read is
   * never older than the revision says (it may be newer: then the next
   * revision differs, and the case is read again).
   */
  async findRevisedCaseForViewer(db: Db, id: number, centerIds: readonly number[]): Promise<RevisedCase | undefined> {
    if (centerIds.length === 0) return undefined;
    // Reading one case is the API's most frequent request: its queries are compiled once per shape (storage/query-shapes.ts).
    const row = await this.shapes.first(db, `case-for-viewer:${centerIds.length}`, [id, ...centerIds], (value) =>
      db
        .selectFrom('cases')
        .selectAll()
        .where('id', '=', value<number>(0))
        .where('center_id', 'in', idSlots(value, centerIds.length, 1)),
    );
    if (!row) return undefined;
    const images = await this.shapes.rows(db, 'images-of-case', [id], (value) =>
      db.selectFrom('case_images').selectAll().where('case_id', '=', value<number>(0)).orderBy('id'),
    );
    const reports = await this.currentReports(db, [row]);
    const rejections = await this.rejections(db, [row]);
    const requests = await this.openImageRequests(db, [row]);
    return {
      case: toCase(row, images.map(toCaseImage), reports.get(row.id) ?? null, rejections.get(row.id) ?? null, requests.get(row.id) ?? null),
      revision: row.revision,
    };
  }

  /** The current revision (migration 0031) of a case the viewer may see: whether a case read before is still what a read would find. */
  async revisionForViewer(db: Db, id: number, centerIds: readonly number[]): Promise<number | undefined> {
    if (centerIds.length === 0) return undefined;
    const row = await this.shapes.first(db, `revision-for-viewer:${centerIds.length}`, [id, ...centerIds], (value) =>
      db
        .selectFrom('cases')
        .select('revision')
        .where('id', '=', value<number>(0))
        .where('center_id', 'in', idSlots(value, centerIds.length, 1)),
    );
    return row?.revision;
  }

  /** Of a case the viewer may see, whether and at which version it is reported: a report download's one query. */
  async reportStateForViewer(db: Db, id: number, centerIds: readonly number[]): Promise<{ id: number; status: CaseStatus; reportVersion: number | null } | undefined> {
    if (centerIds.length === 0) return undefined;
    const row = await this.shapes.first(db, `report-state:${centerIds.length}`, [id, ...centerIds], (value) =>
      db
        .selectFrom('cases')
        .select(['id', 'status', 'report_version'])
        .where('id', '=', value<number>(0))
        .where('center_id', 'in', idSlots(value, centerIds.length, 1)),
    );
    return row && { id: row.id, status: row.status, reportVersion: row.report_version };
  }

  /** Cases of the given centers, newest first. */
  async listCasesOfCenters(db: Db, centerIds: readonly number[], filter: CaseListFilter): Promise<Case[]> {
    if (centerIds.length === 0) return [];
    let query = db.selectFrom('cases').selectAll().where('center_id', 'in', [...centerIds]);
    if (filter.status) query = query.where('status', '=', filter.status);
    for (const word of filter.search ?? []) {
      // Each word narrows the list: the case it names, or the cases with a term it begins (an index range of case_search_terms).
      query = query.where((eb) => {
        if (word.kind === 'case_id') return eb('id', '=', word.id);
        const terms = eb.selectFrom('case_search_terms').select('case_id');
        const found =
          word.kind === 'number'
            ? terms.where('term', '=', word.term)
            : ((upper) => (upper === null ? terms.where('term', '>=', word.term) : terms.where('term', '>=', word.term).where('term', '<', upper)))(prefixUpperBound(word.term));
        const byTerm = eb('id', 'in', found);
        return word.kind === 'number' && word.id !== null ? eb.or([eb('id', '=', word.id), byTerm]) : byTerm;
      });
    }
    if (filter.updatedSince) query = query.where('updated_at', '>=', filter.updatedSince);
    if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
    const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
    if (rows.length === 0) return [];
    const images = await db
      .selectFrom('case_images')
      .selectAll()
      .where(
        'case_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    const byCase = new Map<number, CaseImage[]>();
    for (const image of images) {
      const list = byCase.get(image.case_id) ?? [];
      list.push(toCaseImage(image));
      byCase.set(image.case_id, list);
    }
    const reports = await this.currentReports(db, rows);
    const rejections = await this.rejections(db, rows);
    const requests = await this.openImageRequests(db, rows);
    return rows.map((row) => toCase(row, byCase.get(row.id) ?? [], reports.get(row.id) ?? null, rejections.get(row.id) ?? null, requests.get(row.id) ?? null));
  }

  /** The open request for new photographs of each pending case that has one. */
  private async openImageRequests(db: Db, rows: readonly Selectable<CaseTable>[]): Promise<Map<number, ImageRequest>> {
    const pending = rows.filter((r) => r.status === 'pending').map((r) => r.id);
    const found = new Map<number, ImageRequest>();
    if (pending.length === 0) return found;
    const open = await this.shapes.rows(db, `open-image-requests:${pending.length}`, pending, (value) =>
      db
        .selectFrom('image_requests')
        .select(['case_id', 'reason', 'text', 'requested_at'])
        .where('case_id', 'in', idSlots(value, pending.length))
        .where('fulfilled_at', 'is', null)
        .orderBy('id'),
    );
    for (const r of open) found.set(r.case_id, { reason: r.reason as RejectionReason, text: r.text, requestedAt: r.requested_at });
    return found;
  }

  /** Why each rejected case was rejected (a case is rejected once: its one row). */
  private async rejections(db: Db, rows: readonly Selectable<CaseTable>[]): Promise<Map<number, CaseRejection>> {
    const rejected = rows.filter((r) => r.status === 'rejected').map((r) => r.id);
    const found = new Map<number, CaseRejection>();
    if (rejected.length === 0) return found;
    const stored = await this.shapes.rows(db, `rejections:${rejected.length}`, rejected, (value) =>
      db
        .selectFrom('case_rejections')
        .select(['case_id', 'reason', 'text', 'rejected_at'])
        .where('case_id', 'in', idSlots(value, rejected.length))
        .orderBy('id'),
    );
    for (const r of stored) found.set(r.case_id, { reason: r.reason as RejectionReason, text: r.text, rejectedAt: r.rejected_at });
    return found;
  }

  /** Each reported case's current report version: its findings, and against the version before it, what an amendment changed. */
  private async currentReports(db: Db, rows: readonly Selectable<CaseTable>[]): Promise<Map<number, CurrentReport>> {
    const reported = rows.filter((r) => r.report_version !== null);
    const found = new Map<number, CurrentReport>();
    if (reported.length === 0) return found;
    // Each case's current version and the one before it.
    const wanted = reported.flatMap((r) => [r.id, r.report_version!, r.report_version! - 1]);
    const versions = await this.shapes.rows(db, `current-reports:${reported.length}`, wanted, (value) =>
      db
        .selectFrom('reports')
        .select(['case_id', 'version', 'derivation', 'grading_od', 'grading_os', 'glaucoma_override_reason', 'recommendation', 'rescreen_months', 'amend_reason', 'signed_at'])
        .where((eb) =>
          eb.or(reported.map((_, k) => eb.and([eb('case_id', '=', value<number>(3 * k)), eb('version', 'in', [value<number>(3 * k + 1), value<number>(3 * k + 2)])]))),
        ),
    );
    for (const row of reported) {
      const current = versions.find((v) => v.case_id === row.id && v.version === row.report_version);
      if (!current) continue;
      const previous = versions.find((v) => v.case_id === row.id && v.version === row.report_version! - 1);
      found.set(row.id, {
        findings: {
          od: JSON.parse(current.grading_od) as EyeGrading,
          os: JSON.parse(current.grading_os) as EyeGrading,
          glaucomaOverrideReason: current.glaucoma_override_reason,
          recommendation: current.recommendation,
          rescreenMonths: current.rescreen_months,
        },
        amendment:
          previous === undefined
            ? null
            : {
                previousDerivation: previous.derivation,
                moreUrgent: moreUrgent(current.derivation, previous.derivation),
                reason: current.amend_reason ?? '',
                amendedAt: current.signed_at,
              },
      });
    }
    return found;
  }

  /**
   * The status and image totals of a case (bytes as stored: a DICOM file's with its photograph's), locking its row on PostgreSQL so
   * that concurrent uploads to one case see each other's totals.
   */
  async lockCaseForImageUpload(
    db: Db,
    id: number,
    centerIds: readonly number[],
  ): Promise<{ status: CaseStatus; imageCount: number; imageBytes: number } | undefined> {
    if (centerIds.length === 0) return undefined;
    let query = db.selectFrom('cases').select(['status']).where('id', '=', id).where('center_id', 'in', [...centerIds]);
    if (this.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    const totals = await db
      .selectFrom('case_images')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>(sql`size + coalesce(dicom_size, 0)`), eb.lit(0)).as('bytes')])
      .where('case_id', '=', id)
      .executeTakeFirstOrThrow();
    return { status: row.status, imageCount: Number(totals.n), imageBytes: Number(totals.bytes) };
  }

  async touchCase(db: Db, id: number, now: string): Promise<void> {
    await db.updateTable('cases').set({ updated_at: now }).where('id', '=', id).execute();
  }

  async statusOf(db: Db, id: number): Promise<CaseStatus | undefined> {
    return (await db.selectFrom('cases').select('status').where('id', '=', id).executeTakeFirst())?.status;
  }

  /** Records which eye an image of the case shows, and who said so; false when the case has no such image. */
  async setImageEye(db: Db, caseId: number, imageId: number, laterality: { eye: Eye | null; source: EyeSource | null; setBy: number; at: string }): Promise<boolean> {
    const result = await db
      .updateTable('case_images')
      .set({ eye: laterality.eye, eye_source: laterality.source, eye_set_by: laterality.setBy, eye_set_at: laterality.at })
      .where('id', '=', imageId)
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Where the bytes of an image as it was received (or taken from its DICOM file) are stored. */
  async originalOfImage(db: Db, imageId: number): Promise<StoredOriginal | undefined> {
    const row = await db.selectFrom('case_images').select(['blob_key', 'blob_offset', 'size']).where('id', '=', imageId).executeTakeFirst();
    return row ? storedOriginal(row) : undefined;
  }

  /** The stored DICOM file an image of that case was taken from. */
  async dicomBlobKeyOfImage(db: Db, caseId: number, imageId: number): Promise<string | undefined> {
    const row = await db.selectFrom('case_images').select('dicom_blob_key').where('id', '=', imageId).where('case_id', '=', caseId).executeTakeFirst();
    return row?.dicom_blob_key ?? undefined;
  }

  /** Of the given blob keys, those that an image row references: as its photograph or as the DICOM file it came from. */
  async referencedBlobKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db
      .selectFrom('case_images')
      .select(['blob_key', 'dicom_blob_key'])
      .where((eb) => eb.or([eb('blob_key', 'in', [...keys]), eb('dicom_blob_key', 'in', [...keys])]))
      .execute();
    return new Set(rows.flatMap((r) => imageBlobKeys(r)));
  }
}

/**
 * The keys of the files an image row names: its photograph's and the DICOM
 * file's it came in, once each (a photograph kept as a range of its DICOM
 * file names that file twice).
 */
export function imageBlobKeys(row: { blob_key: string; dicom_blob_key: string | null }): string[] {
  return row.dicom_blob_key === null || row.dicom_blob_key === row.blob_key ? [row.blob_key] : [row.blob_key, row.dicom_blob_key];
}

/** An image's stored bytes: a whole blob, or a byte range of one (a photograph inside the DICOM file it came in). */
export interface StoredOriginal {
  readonly blobKey: string;
  readonly range: ByteRange | undefined;
}

export function storedOriginal(row: { blob_key: string; blob_offset: number | string | null; size: number | string }): StoredOriginal {
  if (row.blob_offset === null) return { blobKey: row.blob_key, range: undefined };
  const start = Number(row.blob_offset);
  return { blobKey: row.blob_key, range: { start, end: start + Number(row.size) - 1 } };
}
