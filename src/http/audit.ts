import type { FastifyRequest, onResponseAsyncHookHandler } from 'fastify';
import type { Audience } from '../domain/access.js';
import type { AuditAction, AuditActor, AuditNote, AuditObject, AuditRecord } from '../domain/audit.js';
import { MAX_ID } from '../domain/ids.js';
import type { AuditService } from '../services/audit.service.js';

/** The objects a route's path names: the case (`:id`), one of its images (`:imageId`), one of its callback deliveries (`:deliveryId`). */
const PATH_OBJECTS = { case: 'id', image: 'imageId', callback_delivery: 'deliveryId' } as const;

/** What a route records in the audit trail: its action, and the object its path names. */
export interface RouteAudit {
  readonly action: AuditAction;
  readonly object?: keyof typeof PATH_OBJECTS;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What the route records in the audit trail (src/http/audit.ts): every
     * request to it, whatever the answer, is one entry. Routes without one
     * record only their refusals for credentials (401) or role (403).
     */
    audit?: RouteAudit;
  }
  interface FastifyRequest {
    /** What the handler learnt for the audit entry beyond the principal and path (a created case, a login's person). */
    auditNote: AuditNote | null;
  }
}

/**
 * Adds to the request's audit entry what only the handler knows: the case it
 * created, the center moved to. Returns the request's note, which a service
 * may fill too (the login services say who logged in, or whose account a
 * failed attempt named).
 */
export function noteAudit(request: FastifyRequest, note: AuditNote = {}): AuditNote {
  request.auditNote ??= {};
  return Object.assign(request.auditNote, note);
}

/** An id from the path, or null when it names no possible row (then the entry names no object). */
function idFromPath(raw: unknown): number | null {
  if (typeof raw !== 'string') return null;
  const match = /^([1-9][0-9]{0,14})>?$/.exec(raw);
  if (!match) return null;
  const id = Number(match[1]);
  return id <= MAX_ID ? id : null;
}

/** A route without an audit declaration still records a refusal of the caller's credentials or role. */
function refusalOf(audience: Audience | undefined, status: number): RouteAudit | null {
  if (audience === undefined || audience === 'public') return null;
  if (status === 401) return { action: 'auth.failed' };
  if (status === 403) return { action: 'access.denied' };
  return null;
}

/** The entry a finished request makes, or null when its route records nothing. Ids only: never a field of the body. */
export function auditRecordOf(request: FastifyRequest, status: number): Omit<AuditRecord, 'occurredAt'> | null {
  if (request.is404) return null;
  const config = request.routeOptions.config;
  const spec = config.audit ?? refusalOf(config.audience, status);
  if (spec === null) return null;
  const note = request.auditNote ?? {};
  const params = (request.params ?? {}) as Record<string, unknown>;
  const principal = request.principal;
  const actor: AuditActor =
    note.actor ??
    (principal === null
      ? { kind: 'anonymous', id: null }
      : principal.kind === 'api_client'
        ? { kind: 'api_client', id: principal.apiClientId }
        : { kind: 'user', id: principal.userId });
  let object: AuditObject | null = null;
  if (note.object !== undefined) object = note.object;
  else if (spec.object !== undefined) {
    const id = idFromPath(params[PATH_OBJECTS[spec.object]]);
    object = id === null ? null : { kind: spec.object, id };
  }
  return {
    actor,
    organisationId: note.organisationId !== undefined ? note.organisationId : (principal?.organisationId ?? null),
    ...(note.centerId !== undefined ? { centerId: note.centerId } : {}),
    caseId: note.caseId !== undefined ? note.caseId : spec.object !== undefined ? idFromPath(params.id) : null,
    action: spec.action,
    object,
    requestId: request.id,
    status,
  };
}

/**
 * The one place HTTP requests are audited: after the answer has gone, one
 * append per request (the case's center is looked up in the same statement
 * on PostgreSQL). A failure to record is logged, never answered: the
 * request is already done.
 */
export function auditHook(audit: AuditService): onResponseAsyncHookHandler {
  return async (request, reply) => {
    let record: Omit<AuditRecord, 'occurredAt'> | null;
    try {
      record = auditRecordOf(request, reply.statusCode);
    } catch (error) {
      request.log.error({ err: error }, 'audit entry not recorded');
      return;
    }
    if (record === null) return;
    const action = record.action;
    // Not awaited: the hooks after this one (the latency metric) need not wait for the append; closing the platform does.
    void audit.recordQuietly(record, (error) => request.log.error({ err: error, action }, 'audit entry not recorded'));
  };
}
