import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../domain/principal.js';
import type { CaseService, RawFields } from '../services/case.service.js';
import type { ImageStaging } from '../media/image-staging.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { MAX_ID } from '../domain/ids.js';
import { presentCaseImage } from './presenters.js';
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

/** An image id from the path: digits only; one beyond any id stored is simply not found. */
export function parseImageId(raw: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw new ValidationError([{ field: 'imageId', rule: 'integer', message: 'must be a positive integer image id' }]);
  if (Number(raw) > MAX_ID) throw new NotFoundError('Image');
  return Number(raw);
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
 * token (OPTretina SDK) and, on a create, `wait_for_checks`. A field put in
 * the URL would otherwise be lost without a word, which the intake never
 * does with a field it cannot use.
 */
function refuseQueryFields(request: FastifyRequest, allowed: readonly string[] = []): void {
  const names = Object.keys((request.query ?? {}) as Record<string, unknown>).filter((name) => name !== 'access_token' && !allowed.includes(name));
  if (names.length > 0) {
    request.raw.resume(); // the body is not read: let it drain, so the answer reaches a client still sending
    throw new ValidationError(names.map((field) => ({ field, rule: 'unknown_field', message: 'is not a parameter of this request: send the fields of a case in the body' })));
  }
}

const WAIT_FOR_CHECKS = 'wait_for_checks';
const WAIT_FOR_CHECKS_HEADER = 'wait-for-checks';

/**
 * How long a create may wait for its images' automatic checks before it
 * answers: `?wait_for_checks=2s` or the header `Wait-For-Checks: 2s` (`2s`,
 * `1.5s`, `2500ms`, or plain seconds), cut to `maxMs`. Null when not asked.
 * Read before the body, so a wrong value is refused before any image is.
 */
export function waitForChecksOf(request: FastifyRequest, maxMs: number): number | null {
  const fromQuery = ((request.query ?? {}) as Record<string, unknown>)[WAIT_FOR_CHECKS];
  const fromHeader = request.headers[WAIT_FOR_CHECKS_HEADER];
  if (fromQuery === undefined && fromHeader === undefined) return null;
  const refuse = (rule: string, message: string) => {
    request.raw.resume(); // the body is not read: let it drain, so the answer reaches a client still sending
    return new ValidationError([{ field: WAIT_FOR_CHECKS, rule, message }]);
  };
  if (fromQuery !== undefined && fromHeader !== undefined) throw refuse('single_value', 'send it once: in the query or as the Wait-For-Checks header');
  const raw = fromQuery ?? fromHeader;
  if (typeof raw !== 'string') throw refuse('single_value', 'must be sent once');
  const match = /^\s*(\d{1,6}(?:\.\d{1,3})?)\s*(ms|s)?\s*$/i.exec(raw);
  if (!match) throw refuse('format', 'must be a duration such as 2s, 1.5s or 2500ms');
  const ms = Number(match[1]) * (match[2]?.toLowerCase() === 'ms' ? 1 : 1000);
  return Math.min(Math.round(ms), maxMs);
}

/** Reads a case form (fields and streamed images) and says who sent it; API clients and staff authenticate differently. */
export type CaseFormReader = (request: FastifyRequest, staging: ImageStaging) => Promise<{ principal: Principal; fields: RawFields }>;

/**
 * `POST …/cases` and `POST …/cases/{id}/images`, the same for every kind of
 * sender: the form streams into a staging area, the service validates and
 * commits it, or discards the staged images. A create asked to wait for the
 * automatic checks (`wait_for_checks`, at most `maxWaitMs`) answers with its
 * images, checked or not, once they are or the time is up; the images are
 * decoded by the image worker, never here.
 */
export function caseIntakeHandlers(cases: CaseService, readForm: CaseFormReader, casePath: (id: number) => string, options: { maxWaitMs: number }) {
  return {
    async create(request: FastifyRequest, reply: FastifyReply) {
      refuseQueryFields(request, [WAIT_FOR_CHECKS]);
      const wait = waitForChecksOf(request, options.maxWaitMs);
      const key = idempotencyKeyOf(request);
      const staging = cases.beginImageStaging({ idempotent: key !== undefined });
      const { principal, fields } = await readForm(request, staging);
      const result = await cases.createCase(principal, fields, staging, key);
      noteAudit(request, { caseId: result.caseId, object: { kind: 'case', id: result.caseId } });
      reply.code(201).header('location', casePath(result.caseId));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      if (wait === null) return { success: true as const, content: result.caseId };
      const checked = await cases.waitForChecks(principal, result.caseId, wait);
      return { success: true as const, content: result.caseId, images: checked.images.map(presentCaseImage) };
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
