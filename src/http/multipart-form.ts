import type { FastifyRequest } from 'fastify';
import { type FieldIssue, PayloadTooLargeError, ValidationError } from '../domain/errors.js';
import type { RawFields } from '../services/case.service.js';
import type { ImageStaging } from '../media/image-staging.js';

/** `images[]` (seed), `images` (OPTretina SDK) and PHP's indexed `images[0]`. */
const IMAGE_FIELD = /^images(\[\d*\])?$/;

/**
 * Reads a multipart form part by part: text fields are collected, image
 * parts stream straight into the staging area (never held whole in memory).
 * Repeated text fields become arrays so validation can refuse them.
 */
export async function readMultipartForm(request: FastifyRequest, staging: ImageStaging): Promise<RawFields> {
  const fields: Record<string, string | string[]> = {};
  try {
    let imageIndex = 0;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (!IMAGE_FIELD.test(part.fieldname)) {
          part.file.resume();
          throw new ValidationError([{ field: part.fieldname, rule: 'unknown_file_field', message: 'files are accepted only as images[] or images' }]);
        }
        await staging.add(`images[${imageIndex++}]`, part.filename ?? '', part.file);
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

/** Fields of a urlencoded or JSON body, as strings (JSON numbers become their decimal text). */
export function fieldsFromBody(body: unknown): RawFields {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError([{ field: 'body', rule: 'type', message: 'must be a form or a JSON object' }]);
  }
  const fields: Record<string, string | string[]> = {};
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

function addField(fields: Record<string, string | string[]>, name: string, value: string): void {
  const existing = fields[name];
  if (existing === undefined) fields[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else fields[name] = [existing, value];
}
