import {
  type ErasureInput,
  type ErasureTarget,
  HISTORY_NUMBER_PSEUDONYM,
  erasureDetail,
  erasureTargetOf,
  pseudonymSubject,
} from '../domain/erasure.js';
import { NotFoundError } from '../domain/errors.js';
import type { UserPrincipal } from '../domain/principal.js';
import type { ErasedRows } from '../storage/repositories/erasure.repository.js';
import { variantPrefixOf } from './preview.service.js';
import { ReportService } from './report.service.js';
import type { ServiceContext } from './context.js';

/** Who erases: an administrator (their organisation's centers only) or the command line (any center). */
export type Eraser = { readonly kind: 'admin'; readonly principal: UserPrincipal; readonly requestId: string | null } | { readonly kind: 'cli' };

export interface ErasureSummary extends ErasedRows {
  readonly centerId: number;
  readonly caseIds: readonly number[];
  /** The keyed hashes the audit trail keeps, one per distinct history number of the erased cases. */
  readonly historyNumberHmacs: readonly string[];
  /** Studies received over DICOM that had not become a case yet, with their files. */
  readonly dicomInboxStudies: number;
  /** Files removed from the blob store. */
  readonly blobsDeleted: number;
  /** Files whose removal failed: housekeeping's sweep of unnamed files removes them later. */
  readonly blobsLeft: number;
}

/**
 * Erases a patient of a center (GDPR art. 17): the cases and everything of
 * theirs, in the database and in the blob store, and leaves a pseudonymous
 * trace in the audit trail.
 *
 * Order: the rows go first, in one transaction with the audit entry, so the
 * patient disappears from every answer at once and the erasure is recorded
 * if and only if it happened. The files go after the commit: a file deleted
 * before a rollback would break a case that is still there. A file whose
 * deletion fails (or a crash in between) is then a file no row names, which
 * housekeeping's sweep already removes (originals and previews no row
 * names, and report PDFs of cases that no longer exist).
 */
export class ErasureService {
  constructor(private readonly ctx: ServiceContext) {}

  async erase(eraser: Eraser, input: ErasureInput): Promise<ErasureSummary> {
    if (eraser.kind === 'admin') this.ctx.access.require(eraser.principal, 'admin');
    const target = erasureTargetOf(input);
    const { db, repos, secrets } = this.ctx;
    const center = (await repos.tenancy.findCentersByIds(db, [target.centerId]))[0];
    // Another organisation's center looks exactly like one that does not exist.
    if (!center || (eraser.kind === 'admin' && center.organisationId !== eraser.principal.organisationId)) throw new NotFoundError('Center');

    const erased = await db.transaction().execute(async (trx) => {
      const cases = await repos.erasure.lockCases(trx, center.id, 'historyNumber' in target ? { historyNumber: target.historyNumber } : { caseIds: target.caseIds });
      // Files received over DICOM whose study has not become a case yet (still quiet, or kept as failed) name the
      // patient too: their PatientID is the history number the case would have.
      const inbox = 'historyNumber' in target ? await repos.dicomInbox.erasePatient(trx, center.id, target.historyNumber) : { studies: 0, blobKeys: [] };
      if ((cases.length === 0 && inbox.studies === 0) || ('caseIds' in target && cases.length !== target.caseIds.length)) throw new NotFoundError(notFoundWhat(target));
      const caseIds = cases.map((c) => c.id);
      const images = await repos.erasure.imagesOf(trx, caseIds);
      const imageIds = images.map((i) => i.id);
      const variantKeys = await repos.erasure.variantKeysOf(trx, imageIds);
      const rows = await repos.erasure.deleteCases(trx, caseIds, imageIds);
      const numbers = new Set([...cases.map((c) => c.historyNumber).filter((n): n is string => n !== null), ...('historyNumber' in target && inbox.studies > 0 ? [target.historyNumber] : [])]);
      const historyNumberHmacs = [...numbers].map((n) => secrets.pseudonym(HISTORY_NUMBER_PSEUDONYM, pseudonymSubject(center.id, n))).sort();
      await repos.audit.append(trx, {
        occurredAt: this.ctx.now().toISOString(),
        actor: eraser.kind === 'admin' ? { kind: 'user', id: eraser.principal.userId } : { kind: 'cli', id: null },
        organisationId: center.organisationId,
        centerId: center.id,
        caseId: null,
        action: 'patient.erase',
        object: { kind: 'center', id: center.id },
        requestId: eraser.kind === 'admin' ? eraser.requestId : null,
        status: 200,
        detail: erasureDetail({ by: 'historyNumber' in target ? 'history_number' : 'case_ids', history_number_hmacs: historyNumberHmacs, case_ids: caseIds, cases: caseIds.length }),
      });
      return { caseIds, imageIds, keys: [...images.flatMap((i) => i.blobKeys), ...variantKeys, ...inbox.blobKeys], rows: { ...rows, dicomInboxStudies: inbox.studies }, historyNumberHmacs };
    });

    const files = await this.deleteFiles(erased.caseIds, erased.imageIds, erased.keys);
    return { centerId: center.id, caseIds: erased.caseIds, historyNumberHmacs: erased.historyNumberHmacs, ...erased.rows, ...files };
  }

  /**
   * The originals and variants the rows named, then whatever else lies under
   * each image's preview folder and each case's report folder: a preview job
   * or a PDF rendering that was running during the erasure may have written
   * there without a row.
   */
  private async deleteFiles(caseIds: readonly number[], imageIds: readonly number[], keys: readonly string[]): Promise<{ blobsDeleted: number; blobsLeft: number }> {
    const { blobs } = this.ctx;
    let blobsDeleted = 0;
    let blobsLeft = 0;
    const remove = async (key: string) => {
      try {
        await blobs.delete(key);
        blobsDeleted++;
      } catch {
        blobsLeft++;
      }
    };
    const seen = new Set(keys);
    for (const key of keys) await remove(key);
    const folders = [...imageIds.map(variantPrefixOf), ...caseIds.map(ReportService.prefixOf)];
    for (const folder of folders) {
      try {
        for await (const blob of blobs.list(folder)) {
          if (seen.has(blob.key)) continue;
          seen.add(blob.key);
          await remove(blob.key);
        }
      } catch {
        // Listing failed: what the folder holds is named by no row, and the sweep removes it.
        blobsLeft++;
      }
    }
    return { blobsDeleted, blobsLeft };
  }
}

function notFoundWhat(target: ErasureTarget): string {
  return 'historyNumber' in target ? 'Patient' : 'Case';
}
