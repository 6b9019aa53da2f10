import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError, type FieldIssue, MalformedRequestError, PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import { eyeOfPartName } from '../domain/eyes.js';
import type { RawFields } from '../services/case.service.js';
import type { ImageStaging } from '../media/image-staging.js';

/** `images[]` (seed), `images` (OPTretina SDK), PHP's indexed `images[0]`, and `images[od]` / `images[os]` that name the eye. */
const IMAGE_FIELD = /^images(\[(\d*|od|os|OD|OS)\])?$/;

export interface MultipartOptions {
  /**
   * Runs once, when the first file part arrives and before any of its bytes
   * are read: the sender must be known by then (the OPTretina SDK sends every
   * field, its `access_token` included, before the files), so nothing of an
   * unauthenticated request ever reaches the disk.
   */
  readonly beforeFirstFile?: (fieldsSoFar: RawFields) => Promise<void>;
}

/**
 * Reads a multipart form part by part: text fields are collected, image
 * parts stream straight into the staging area (never held whole in memory).
 * Repeated text fields become arrays so validation can refuse them. A body
 * that is not well-formed multipart (no boundary, a broken part, cut short)
 * is a 400, not a server error.
 */
export async function readMultipartForm(request: FastifyRequest, staging: ImageStaging, options: MultipartOptions = {}): Promise<RawFields> {
  const fields = fieldMap();
  let sawFile = false;
  try {
    let imageIndex = 0;
    const parts = request.parts()[Symbol.asyncIterator]();
    const refusedParts = new Set<unknown>();
    for (;;) {
      const next = await nextPart(parts).catch((error: unknown) => {
        // ImageStaging refused a file over the size limit (and drained it) before busboy's own limit, one byte
        // above, was reached; busboy reports its limit once the form has ended. That file is answered already.
        if ((error as { code?: unknown; part?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE' && refusedParts.has((error as { part?: unknown }).part)) {
          return { done: true as const, value: undefined };
        }
        throw error;
      });
      if (next.done) break;
      const part = next.value;
      if (part.type === 'file') {
        if (!sawFile) {
          sawFile = true;
          await options.beforeFirstFile?.(fields);
        }
        if (!IMAGE_FIELD.test(part.fieldname)) {
          part.file.resume();
          // busboy gives no name for a part whose Content-Disposition has none (a broken body): still a 400, never a 500.
          const field = typeof part.fieldname === 'string' ? part.fieldname : 'file';
          throw new ValidationError([{ field, rule: 'unknown_file_field', message: 'files are accepted only as images[], images, images[od] or images[os]' }]);
        }
        try {
          if (!(await staging.addOrRefuse(`images[${imageIndex++}]`, part.filename ?? '', part.file, eyeOfPartName(part.fieldname)))) refusedParts.add(part);
        } catch (error) {
          // The body ended inside this file: the parser fails the file's stream while staging reads it.
          if (isParserError(error)) throw malformed(error);
          throw error;
        }
        continue;
      }
      if (part.valueTruncated) throw new PayloadTooLargeError(`${part.fieldname} is longer than the field size limit`, part.fieldname);
      if (part.fieldnameTruncated) throw new PayloadTooLargeError('a field name is too long');
      addField(fields, part.fieldname, typeof part.value === 'string' ? part.value : String(part.value ?? ''));
    }
  } catch (error) {
    // The client may still be sending. Discard the rest of the body so the
    // error response reaches it and the keep-alive connection stays usable;
    // left piped into a stalled parser, the connection would hang.
    request.raw.unpipe();
    request.raw.resume();
    throw error;
  }
  return fields;
}

type PartIterator = AsyncIterator<Multipart>;

/** The next part, with the parser's own failures (busboy's "Unexpected end of form", a missing boundary) as a 400. */
async function nextPart(parts: PartIterator): Promise<IteratorResult<Multipart>> {
  try {
    return await parts.next();
  } catch (error) {
    if (error instanceof DomainError || isLimitError(error)) throw error;
    throw malformed(error);
  }
}

function malformed(error: unknown): MalformedRequestError {
  const reason = error instanceof Error ? error.message : String(error);
  return new MalformedRequestError(`The multipart/form-data body is not well-formed: ${reason}`);
}

/** busboy's (dicer's) own failures: an end of body inside a part, no boundary. System errors (a full disk) have a `code`. */
function isParserError(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === undefined && /multipart|boundary/i.test(error.message);
}

/** @fastify/multipart's limit errors keep their own 413 mapping. */
function isLimitError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && typeof (error as { statusCode?: unknown }).statusCode === 'number';
}

/** Fields of a urlencoded or JSON body, as strings (JSON numbers become their decimal text). */
export function fieldsFromBody(body: unknown): RawFields {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError([{ field: 'body', rule: 'type', message: 'must be a form or a JSON object' }]);
  }
  const fields = fieldMap();
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (IMAGE_FIELD.test(name)) {
      issues.push({ field: name, rule: 'multipart_required', message: 'images must be sent as multipart/form-data files' });
    } else if (typeof value === 'string') fields[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value);
    else if (value === null) fields[name] = '';
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) fields[name] = value as string[];
    else issues.push({ field: name, rule: 'type', message: 'must be a string or a number' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return fields;
}

/**
 * Fields by name in an object without a prototype: a field named
 * `__proto__` is a field like any other (refused as unknown), not the
 * object's prototype, silently dropped; `constructor` is not found before it is sent.
 */
function fieldMap(): Record<string, string | string[]> {
  return Object.create(null) as Record<string, string | string[]>;
}

function addField(fields: Record<string, string | string[]>, name: string, value: string): void {
  const existing = fields[name];
  if (existing === undefined) fields[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else fields[name] = [existing, value];
}
