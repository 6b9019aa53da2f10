import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../domain/principal.js';
import type { CaseService } from '../services/case.service.js';
import { parseCaseId, parseImageId } from './case-intake.js';
import { COMMON_ERRORS, closed, errorRef } from './schemas/common.js';

/** The route schema of `GET …/cases/{id}/images/{imageId}/dicom`, the same for API clients and staff. */
export function dicomRouteSchema(extra: { tags: string[]; security: readonly Record<string, string[]>[]; summary: string }) {
  return {
    summary: extra.summary,
    description:
      'The DICOM Part 10 file an image came in (`images[].dicom` not null), byte for byte as it was sent, as `application/dicom`. ' +
      'It names the patient: it is served to the clinic that sent it, never to readers, who see the photograph taken from it. 404 for an image sent as JPEG, PNG or TIFF.',
    tags: extra.tags,
    security: [...extra.security],
    params: closed({ id: Type.String(), imageId: Type.String() }),
    produces: ['application/dicom'],
    response: {
      200: { description: 'The DICOM file', content: { 'application/dicom': { schema: Type.String({ format: 'binary' }) } } },
      ...COMMON_ERRORS,
      403: errorRef,
      404: errorRef,
    },
  };
}

/** Sends the DICOM file of an image of a case the principal can see. */
export async function sendDicom(
  cases: CaseService,
  principal: Principal,
  params: { readonly id: string; readonly imageId: string },
  reply: FastifyReply,
): Promise<FastifyReply> {
  const caseId = parseCaseId(params.id);
  const imageId = parseImageId(params.imageId);
  const file = await cases.openDicom(principal, caseId, imageId);
  return reply
    .type('application/dicom')
    .header('content-length', String(file.size))
    .header('content-disposition', `attachment; filename="case-${caseId}-image-${imageId}.dcm"`)
    .header('cache-control', 'private, no-store')
    .send(await file.open());
}
