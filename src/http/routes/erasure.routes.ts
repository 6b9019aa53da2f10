import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../platform.js';
import { personOf } from '../authentication.js';
import { presentErasure } from '../presenters.js';
import { COMMON_ERRORS, USER_SECURITY, errorRef, successEnvelope } from '../schemas/common.js';
import { ErasureRequestSchema, ErasureSummarySchema } from '../schemas/erasure.js';

/** Extension, for administrators: erasing a patient of one of their centers (GDPR art. 17). */
export const erasureRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { erasure } = platform.services;

  app.post(
    '/admin/erasures',
    {
      schema: {
        summary: 'Erase a patient of a center (extension)',
        description:
          'Administrators: erases every case of `history_number` in the center, or the cases `case_ids` of the center, with their images, previews, ' +
          'reports and their PDFs, reading claims, rejections, requests for photographs, search terms, callbacks (pending payloads too) and stored ' +
          'Idempotency-Key answers naming them, from the database and the blob store. Nothing is erased unless every case named is there (404). ' +
          'The audit trail keeps an entry `patient.erase` naming the case ids and a keyed hash of each history number, never the number; ' +
          'entries recorded before hold ids only and stay. Not undoable.',
        tags: ['admin'],
        security: USER_SECURITY,
        body: ErasureRequestSchema,
        response: { 200: successEnvelope(ErasureSummarySchema), ...COMMON_ERRORS, 403: errorRef, 404: errorRef },
      },
      // No `audit` declaration: the service appends the erasure's entry in the erasure's own transaction (refusals are recorded by the hook).
      config: { audience: 'admin' },
    },
    async (request) => {
      const { center_id, history_number, case_ids } = request.body;
      const summary = await erasure.erase(
        { kind: 'admin', principal: personOf(request), requestId: request.id },
        { centerId: center_id, historyNumber: history_number, caseIds: case_ids },
      );
      return { success: true as const, content: presentErasure(summary) };
    },
  );
};
