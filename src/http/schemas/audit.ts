import { Type } from 'typebox';
import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, AUDIT_OBJECT_KINDS } from '../../domain/audit.js';
import { MAX_ID } from '../../domain/ids.js';
import { closed, nullable, oneOf } from './common.js';

/** Schemas of the audit trail (extension, administrators). Ids only: an entry never carries patient data. */

export const AuditEntrySchema = closed({
  seq: Type.Integer({ description: 'Its place in the chain: 1, 2, 3, … without gaps' }),
  occurred_at: Type.String({ format: 'date-time' }),
  actor: closed(
    {
      kind: oneOf(AUDIT_ACTOR_KINDS, { description: 'api_client, user (a person), cli (the admin command line), anonymous (not authenticated) or dicom (a case made from files a camera sent over DICOM)' }),
      id: nullable(Type.Integer(), { description: "The API client's or person's id; null for cli and anonymous" }),
    },
    { description: 'Who acted' },
  ),
  organisation_id: nullable(Type.Integer(), { description: "The actor's organisation (for a failed login, the account's); null when none is known" }),
  center_id: nullable(Type.Integer(), { description: 'The center of the object (a case’s center), when it has one' }),
  case_id: nullable(Type.Integer(), { description: 'The case acted on (the case, one of its images, reports or callbacks)' }),
  action: oneOf(AUDIT_ACTIONS),
  object: nullable(closed({ kind: oneOf(AUDIT_OBJECT_KINDS), id: Type.Integer() }), { description: 'What was read or changed' }),
  request_id: nullable(Type.String(), { description: 'X-Request-Id of the request; null for the CLI' }),
  status: Type.Integer({ description: 'The HTTP status answered (for the CLI, what the same refusal answers over HTTP; 200 when done)' }),
  detail: nullable(Type.String(), {
    description: 'JSON the hash covers, only on entries that need more than ids: an erasure (patient.erase) names the erased case ids and a keyed hash (HMAC) of the history number, never the number',
  }),
  hash: Type.String({ description: 'SHA-256 (hex) of the previous entry’s hash and this entry’s content' }),
});

export const AuditQuerySchema = closed({
  case_id: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Only entries about this case' })),
  actor_kind: Type.Optional(oneOf(AUDIT_ACTOR_KINDS, { description: 'Only entries of this kind of actor' })),
  actor_id: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Only entries of this actor (with actor_kind)' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Only entries at or after this time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Only entries before this time' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Page size; 100 by default' })),
});
