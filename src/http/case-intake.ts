import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../domain/principal.js';
import type { CaseService, RawFields } from '../services/case.service.js';
import type { ImageStaging } from '../media/image-staging.js';
import { ValidationError } from '../domain/errors.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Case ids are integers. A trailing ">" is tolerated because the seed's own
 * curl example for GET /cases/{id} ends in `<CASE_ID>>`.
 */
export function parseCaseId(raw: string): number {
  const match = /^([1-9][0-9]{0,14})>?$/.exec(raw);
  if (!match) throw new ValidationError([{ field: 'id', rule: 'integer', message: 'must be a positive integer case id' }]);
  return Number(match[1]);
}

/** The request's `Idempotency-Key` (Stripe's semantics), when it has a sane one. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
    throw new ValidationError([{ field: 'Idempotency-Key', rule: 'format', message: 'must be 1 to 255 visible ASCII characters' }]);
  }
  return key;
}

/** Reads a case form (fields and streamed images) and says who sent it; API clients and staff authenticate differently. */
export type CaseFormReader = (request: FastifyRequest, staging: ImageStaging) => Promise<{ principal: Principal; fields: RawFields }>;

/**
 * `POST …/cases` and `POST …/cases/{id}/images`, the same for every kind of
 * sender: the form streams into a staging area, the service validates and
 * commits it, or discards the staged images.
 */
export function caseIntakeHandlers(cases: CaseService, readForm: CaseFormReader, casePath: (id: number) => string) {
  return {
    async create(request: FastifyRequest, reply: FastifyReply) {
      const key = idempotencyKeyOf(request);
      const staging = cases.beginImageStaging({ idempotent: key !== undefined });
      const { principal, fields } = await readForm(request, staging);
      const result = await cases.createCase(principal, fields, staging, key);
      reply.code(201).header('location', casePath(result.caseId));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return { success: true as const, content: result.caseId };
    },
    async addImages(request: FastifyRequest, idParam: string) {
      const caseId = parseCaseId(idParam);
      const staging = cases.beginImageStaging();
      const { principal, fields } = await readForm(request, staging);
      await cases.addImages(principal, caseId, staging, fields);
      return { success: true as const, content: caseId };
    },
  };
}
