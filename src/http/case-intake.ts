import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../domain/principal.js';
import type { CaseService, RawFields } from '../services/case.service.js';
import type { ImageStaging } from '../media/image-staging.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { MAX_ID } from '../domain/ids.js';
import { noteAudit } from './audit.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Case ids are integers. A trailing ">" is tolerated because the seed's own
 * curl example for GET /cases/{id} ends in `<CASE_ID>>`. One beyond the
 * largest id is no case (404), like any other missing one.
 */
export function parseCaseId(raw: string): number {
  const match = /^([1-9][0-9]{0,14})>?$/.exec(raw);
  if (!match) throw new ValidationError([{ field: 'id', rule: 'integer', message: 'must be a positive integer case id' }]);
  const id = Number(match[1]);
  if (id > MAX_ID) throw new NotFoundError('Case');
  return id;
}

/** The request's `Idempotency-Key` (Stripe's semantics), when it has a sane one. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))) {
    throw new ValidationError([{ field: 'Idempotency-Key', rule: 'format', message: 'must be 1 to 255 visible ASCII characters' }]);
  }
  return key;
}

/**
 * The intake's fields travel in the body; the query may carry only the
 * token (OPTretina SDK). A field put in the URL would otherwise be lost
 * without a word, which the intake never does with a field it cannot use.
 */
function refuseQueryFields(request: FastifyRequest): void {
  const names = Object.keys((request.query ?? {}) as Record<string, unknown>).filter((name) => name !== 'access_token');
  if (names.length > 0) {
    request.raw.resume(); // the body is not read: let it drain, so the answer reaches a client still sending
    throw new ValidationError(names.map((field) => ({ field, rule: 'unknown_field', message: 'is not a parameter of this request: send the fields of a case in the body' })));
  }
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
      refuseQueryFields(request);
      const key = idempotencyKeyOf(request);
      const staging = cases.beginImageStaging({ idempotent: key !== undefined });
      const { principal, fields } = await readForm(request, staging);
      const result = await cases.createCase(principal, fields, staging, key);
      noteAudit(request, { caseId: result.caseId, object: { kind: 'case', id: result.caseId } });
      reply.code(201).header('location', casePath(result.caseId));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return { success: true as const, content: result.caseId };
    },
    async addImages(request: FastifyRequest, idParam: string) {
      const caseId = parseCaseId(idParam);
      refuseQueryFields(request);
      const staging = cases.beginImageStaging();
      const { principal, fields } = await readForm(request, staging);
      await cases.addImages(principal, caseId, staging, fields);
      return { success: true as const, content: caseId };
    },
  };
}
