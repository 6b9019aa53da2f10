import { Type } from 'typebox';
import { MAX_ERASED_CASE_IDS } from '../../domain/erasure.js';
import { MAX_ID } from '../../domain/ids.js';
import { closed } from './common.js';

/** Erasure of a patient (extension, administrators). */

export const ErasureRequestSchema = closed(
  {
    center_id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'The center whose patient is erased (one of your organisation)' }),
    history_number: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Erase every case of the center with this history number' })),
    case_ids: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: MAX_ID }), {
        minItems: 1,
        maxItems: MAX_ERASED_CASE_IDS,
        description: 'Or erase these cases of the center (all must be there, or nothing is erased)',
      }),
    ),
  },
  { description: 'Give either history_number or case_ids' },
);

export const ErasureSummarySchema = closed({
  center_id: Type.Integer(),
  case_ids: Type.Array(Type.Integer(), { description: 'The cases erased' }),
  history_number_hmacs: Type.Array(Type.String(), {
    description: 'What the audit trail keeps of the patient: a keyed hash (HMAC-SHA256) of each history number, never the number',
  }),
  cases: Type.Integer(),
  images: Type.Integer(),
  previews: Type.Integer({ description: 'Previews and thumbnails' }),
  reports: Type.Integer({ description: 'Report versions signed' }),
  callbacks: Type.Integer({ description: 'Callback deliveries, pending or done, with their payloads' }),
  idempotency_keys: Type.Integer({ description: 'Stored Idempotency-Key answers that named the cases' }),
  dicom_inbox_studies: Type.Integer({ description: 'Studies received over DICOM (network intake) whose PatientID is the history number, still waiting to become a case or kept as failed, erased with their files' }),
  blobs_deleted: Type.Integer({ description: 'Files removed from the blob store (originals, previews, report PDFs, DICOM inbox files)' }),
  blobs_left: Type.Integer({ description: 'Files whose removal failed; housekeeping removes them within its next runs (no row names them any more)' }),
});
