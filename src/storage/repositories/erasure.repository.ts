import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import type { Database } from '../schema.js';
import { imageBlobKeys } from './case.repository.js';

type Db = Kysely<Database>;

/** A case about to be erased: its id and the history number its pseudonym is made of. */
export interface ErasedCase {
  readonly id: number;
  readonly historyNumber: string | null;
}

/** How many rows of each kind an erasure deleted. */
export interface ErasedRows {
  readonly cases: number;
  readonly images: number;
  readonly previews: number;
  readonly reports: number;
  readonly callbacks: number;
  readonly idempotencyKeys: number;
}

/**
 * The SQL of erasure: finding a patient's cases in one center, and deleting
 * every row that references them. Every table naming a case or one of its
 * images is here (src/storage/schema.ts); the audit trail is not, since it
 * holds ids only and is append-only.
 */
export class ErasureRepository {
  constructor(private readonly dialect: DialectName) {}

  /**
   * The cases of a center with this history number, or of these ids, locked
   * on PostgreSQL until the transaction ends, so a signature or an upload
   * running at the same moment waits and then finds no case.
   */
  async lockCases(db: Db, centerId: number, target: { historyNumber: string } | { caseIds: readonly number[] }): Promise<ErasedCase[]> {
    let query = db.selectFrom('cases').select(['id', 'history_number']).where('center_id', '=', centerId);
    query = 'historyNumber' in target ? query.where('history_number', '=', target.historyNumber) : query.where('id', 'in', [...target.caseIds]);
    if (this.dialect === 'postgres') query = query.forUpdate();
    const rows = await query.orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, historyNumber: r.history_number }));
  }

  /**
   * The images of the cases: their ids and the keys of their originals, the
   * DICOM file an image came in included (its header names the patient).
   */
  async imagesOf(db: Db, caseIds: readonly number[]): Promise<{ id: number; blobKeys: string[] }[]> {
    if (caseIds.length === 0) return [];
    const rows = await db.selectFrom('case_images').select(['id', 'blob_key', 'dicom_blob_key']).where('case_id', 'in', [...caseIds]).orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, blobKeys: imageBlobKeys(r) }));
  }

  /** The keys of the images' stored variants (previews, thumbnails). */
  async variantKeysOf(db: Db, imageIds: readonly number[]): Promise<string[]> {
    if (imageIds.length === 0) return [];
    const rows = await db.selectFrom('image_variants').select('blob_key').where('image_id', 'in', [...imageIds]).execute();
    return rows.map((r) => r.blob_key);
  }

  /**
   * Deletes every row of the cases, children first. Idempotency records
   * whose stored answer is one of these cases go too (their body is the
   * created case's id), so a replay cannot point at an erased case.
   */
  async deleteCases(db: Db, caseIds: readonly number[], imageIds: readonly number[]): Promise<ErasedRows> {
    const ids = [...caseIds];
    // `in ()` is no SQL: an erasure of a patient known only to the DICOM inbox has no case.
    if (ids.length === 0) return { cases: 0, images: 0, previews: 0, reports: 0, callbacks: 0, idempotencyKeys: 0 };
    const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);
    const deliveries = db.selectFrom('callback_deliveries').select('id').where('case_id', 'in', ids);
    await db.deleteFrom('callback_attempts').where('delivery_id', 'in', deliveries).execute();
    const callbacks = count(await db.deleteFrom('callback_deliveries').where('case_id', 'in', ids).executeTakeFirstOrThrow());
    const idempotencyKeys = count(
      await db
        .deleteFrom('idempotency_keys')
        .where('response_status', '=', 201)
        .where('response_body', 'in', ids.map(String))
        .executeTakeFirstOrThrow(),
    );
    let previews = 0;
    if (imageIds.length > 0) {
      previews = count(await db.deleteFrom('image_variants').where('image_id', 'in', [...imageIds]).executeTakeFirstOrThrow());
      await db.deleteFrom('preview_jobs').where('image_id', 'in', [...imageIds]).execute();
    }
    const images = count(await db.deleteFrom('case_images').where('case_id', 'in', ids).executeTakeFirstOrThrow());
    await db.deleteFrom('case_search_terms').where('case_id', 'in', ids).execute();
    await db.deleteFrom('image_requests').where('case_id', 'in', ids).execute();
    await db.deleteFrom('case_claims').where('case_id', 'in', ids).execute();
    await db.deleteFrom('case_rejections').where('case_id', 'in', ids).execute();
    // DICOM studies that became these cases (kept so later files join them) name the patient too; files of
    // them still waiting lose their rows here and the orphan sweep removes them.
    const studies = db.selectFrom('dicom_studies').select('id').where('case_id', 'in', ids);
    await db.deleteFrom('dicom_instances').where('study_id', 'in', studies).execute();
    await db.deleteFrom('dicom_studies').where('case_id', 'in', ids).execute();
    const reports = count(await db.deleteFrom('reports').where('case_id', 'in', ids).executeTakeFirstOrThrow());
    const cases = count(await db.deleteFrom('cases').where('id', 'in', ids).executeTakeFirstOrThrow());
    return { cases, images, previews, reports, callbacks, idempotencyKeys };
  }

  /** Of `ids`, the cases that exist (housekeeping keeps the report files of those). */
  async existingCaseIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await db.selectFrom('cases').select('id').where('id', 'in', [...ids]).execute();
    return new Set(rows.map((r) => r.id));
  }
}
