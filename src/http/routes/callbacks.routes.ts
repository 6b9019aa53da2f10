import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CALLBACK_EVENTS, DELIVERY_STATES } from '../../domain/callback.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { MAX_ID } from '../../domain/ids.js';
import type { ClientPrincipal } from '../../domain/principal.js';
import type { Platform } from '../../platform.js';
import type { SecretOwner } from '../../services/callback.service.js';
import type { FastifyRequest } from 'fastify';
import { clientOf } from '../authentication.js';
import { noteAudit } from '../audit.js';
import { presentDelivery, presentSigningSecret } from '../presenters.js';
import { BEARER_SECURITY, COMMON_ERRORS, NoBodySchema, closed, errorRef, nullable as Nullable, oneOf, successEnvelope } from '../schemas/common.js';
import { parseCaseId } from '../case-intake.js';

const AttemptSchema = closed({
  started_at: Type.String({ format: 'date-time' }),
  duration_ms: Type.Integer(),
  status_code: Nullable(Type.Integer({ description: 'HTTP status; null when no answer came' })),
  error: Nullable(Type.String({ description: 'Why the attempt did not count as delivered' })),
  next_attempt_at: Nullable(Type.String({ format: 'date-time', description: 'When the next attempt was scheduled; null when this one ended the delivery' })),
});

export const DeliverySchema = closed({
  id: Type.Integer(),
  webhook_id: Type.String({ description: 'Standard Webhooks `webhook-id`, the same on every attempt and redelivery' }),
  event: oneOf(CALLBACK_EVENTS),
  url: Type.String(),
  state: oneOf(DELIVERY_STATES),
  attempts: Type.Integer({ description: 'Attempts since the delivery was created or last redelivered' }),
  next_attempt_at: Nullable(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
  finished_at: Nullable(Type.String({ format: 'date-time' })),
  last_error: Nullable(Type.String()),
  payload: Type.String({ description: 'The form body sent: status, caso, derivation, event, report_version, occurred_at' }),
  attempt_log: Type.Array(AttemptSchema),
});

const DeliveryParamsSchema = closed({ id: Type.String(), deliveryId: Type.String() });

export const SecretSchema = closed({
  webhook_secret: Type.String({ description: 'whsec_… (Standard Webhooks); verify webhook-signature with it' }),
  previous_secret_valid_until: Type.Optional(Type.String({ format: 'date-time', description: 'After a rotation, the old secret also signs until then' })),
});

/** Extension: what happened to a case's callbacks, redelivery, and the client's signing secret. */
export const callbacksRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { callbacks } = platform.services;
  const API_CLIENTS = { audience: 'api_client' } as const;
  const ownerOf = (principal: ClientPrincipal): SecretOwner => ({ organisationId: principal.organisationId, apiClientId: principal.apiClientId });
  /** A client's signing secret is the client's: the object of the audit entry. */
  const secretOf = (request: FastifyRequest, principal: ClientPrincipal): SecretOwner => {
    noteAudit(request, { object: { kind: 'api_client', id: principal.apiClientId } });
    return ownerOf(principal);
  };

  app.get(
    '/cases/:id/callbacks',
    {
      schema: {
        summary: "A case's callbacks and every delivery attempt (extension)",
        tags: ['callbacks'],
        params: closed({ id: Type.String() }),
        security: BEARER_SECURITY,
        response: { 200: successEnvelope(Type.Array(DeliverySchema)), ...COMMON_ERRORS, 404: errorRef },
      },
      config: { ...API_CLIENTS, audit: { action: 'callbacks.read', object: 'case' } },
    },
    async (request) => {
      const principal = clientOf(request);
      return { success: true as const, content: (await callbacks.listForCase(principal, parseCaseId(request.params.id))).map(presentDelivery) };
    },
  );

  app.post(
    '/cases/:id/callbacks/:deliveryId/redeliver',
    {
      schema: {
        summary: 'Send a callback again now (extension)',
        description: 'Whatever its state; the retry schedule starts over and the webhook-id stays the same.',
        tags: ['callbacks'],
        params: DeliveryParamsSchema,
        body: NoBodySchema,
        security: BEARER_SECURITY,
        response: { 202: successEnvelope(Type.Boolean()), ...COMMON_ERRORS, 404: errorRef },
      },
      config: { ...API_CLIENTS, audit: { action: 'callback.redeliver', object: 'callback_delivery' } },
    },
    async (request, reply) => {
      const principal = clientOf(request);
      const deliveryId = /^[1-9][0-9]{0,14}$/.test(request.params.deliveryId) ? Number(request.params.deliveryId) : null;
      if (deliveryId === null) throw new ValidationError([{ field: 'deliveryId', rule: 'integer', message: 'must be a positive integer delivery id' }]);
      if (deliveryId > MAX_ID) throw new NotFoundError('Callback delivery');
      await callbacks.redeliver(principal, parseCaseId(request.params.id), deliveryId);
      reply.code(202);
      return { success: true as const, content: true };
    },
  );

  app.get(
    '/callbacks/secret',
    {
      schema: {
        summary: "This client's callback signing secret (extension)",
        tags: ['callbacks'],
        security: BEARER_SECURITY,
        response: { 200: successEnvelope(SecretSchema), ...COMMON_ERRORS },
      },
      config: { ...API_CLIENTS, audit: { action: 'webhook_secret.read' } },
    },
    async (request, reply) => {
      const principal = clientOf(request);
      reply.header('cache-control', 'no-store');
      return { success: true as const, content: presentSigningSecret({ secret: await callbacks.currentSecret(secretOf(request, principal)) }) };
    },
  );

  app.post(
    '/callbacks/secret/rotate',
    {
      schema: {
        summary: "Rotate this client's callback signing secret (extension)",
        description: 'The old secret keeps signing, alongside the new one, for OPENRETINA_WEBHOOK_ROTATION_GRACE_HOURS.',
        tags: ['callbacks'],
        body: NoBodySchema,
        security: BEARER_SECURITY,
        response: { 200: successEnvelope(SecretSchema), ...COMMON_ERRORS },
      },
      config: { ...API_CLIENTS, audit: { action: 'webhook_secret.rotate' } },
    },
    async (request, reply) => {
      const principal = clientOf(request);
      const rotated = await callbacks.rotateSecret(secretOf(request, principal));
      reply.header('cache-control', 'no-store');
      return { success: true as const, content: presentSigningSecret(rotated) };
    },
  );
};
