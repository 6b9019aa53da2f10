import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ValidationError } from '../../domain/errors.js';
import type { ClientPrincipal } from '../../domain/principal.js';
import type { Platform } from '../../platform.js';
import type { SecretOwner } from '../../services/callback.service.js';
import { authenticateRequest } from '../authentication.js';
import { BEARER_SECURITY, COMMON_ERRORS, errorRef, successEnvelope } from '../schemas/common.js';
import { parseCaseId } from '../case-intake.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const AttemptSchema = Type.Object({
  started_at: Type.String({ format: 'date-time' }),
  duration_ms: Type.Integer(),
  status_code: Nullable(Type.Integer({ description: 'HTTP status; null when no answer came' })),
  error: Nullable(Type.String({ description: 'Why the attempt did not count as delivered' })),
  next_attempt_at: Nullable(Type.String({ format: 'date-time', description: 'When the next attempt was scheduled; null when this one ended the delivery' })),
});

const DeliverySchema = Type.Object({
  id: Type.Integer(),
  webhook_id: Type.String({ description: 'Standard Webhooks `webhook-id`, the same on every attempt and redelivery' }),
  event: Type.Union([Type.Literal('case.reported'), Type.Literal('report.amended'), Type.Literal('case.rejected')]),
  url: Type.String(),
  state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer({ description: 'Attempts since the delivery was created or last redelivered' }),
  next_attempt_at: Nullable(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
  finished_at: Nullable(Type.String({ format: 'date-time' })),
  last_error: Nullable(Type.String()),
  payload: Type.String({ description: 'The form body sent: status, caso, derivation, event, report_version, occurred_at' }),
  attempt_log: Type.Array(AttemptSchema),
});

const DeliveryParamsSchema = Type.Object({ id: Type.String(), deliveryId: Type.String() });

const SecretSchema = Type.Object({
  webhook_secret: Type.String({ description: 'whsec_… (Standard Webhooks); verify webhook-signature with it' }),
  previous_secret_valid_until: Type.Optional(Type.String({ format: 'date-time', description: 'After a rotation, the old secret also signs until then' })),
});

/** Extension: what happened to a case's callbacks, redelivery, and the client's signing secret. */
export const callbacksRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { auth, callbacks } = platform.services;
  const legacy = platform.config.legacyTokenTransport;

  const requireClient = async (request: FastifyRequest): Promise<ClientPrincipal> => {
    request.principal = await authenticateRequest(auth, request, legacy);
    return request.principal;
  };
  const ownerOf = (principal: ClientPrincipal): SecretOwner => ({ organisationId: principal.organisationId, apiClientId: principal.apiClientId });

  app.get(
    '/cases/:id/callbacks',
    {
      schema: {
        summary: "A case's callbacks and every delivery attempt (extension)",
        tags: ['callbacks'],
        params: Type.Object({ id: Type.String() }),
        security: BEARER_SECURITY,
        response: { 200: successEnvelope(Type.Array(DeliverySchema)), ...COMMON_ERRORS, 404: errorRef },
      },
    },
    async (request) => {
      const principal = await requireClient(request);
      return { success: true as const, content: await callbacks.listForCase(principal, parseCaseId(request.params.id)) };
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
        security: BEARER_SECURITY,
        response: { 202: successEnvelope(Type.Boolean()), ...COMMON_ERRORS, 404: errorRef },
      },
    },
    async (request, reply) => {
      const principal = await requireClient(request);
      const deliveryId = /^[1-9][0-9]{0,14}$/.test(request.params.deliveryId) ? Number(request.params.deliveryId) : null;
      if (deliveryId === null) throw new ValidationError([{ field: 'deliveryId', rule: 'integer', message: 'must be a positive integer delivery id' }]);
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
    },
    async (request, reply) => {
      const principal = await requireClient(request);
      reply.header('cache-control', 'no-store');
      return { success: true as const, content: { webhook_secret: await callbacks.currentSecret(ownerOf(principal)) } };
    },
  );

  app.post(
    '/callbacks/secret/rotate',
    {
      schema: {
        summary: "Rotate this client's callback signing secret (extension)",
        description: 'The old secret keeps signing, alongside the new one, for OPENRETINA_WEBHOOK_ROTATION_GRACE_HOURS.',
        tags: ['callbacks'],
        security: BEARER_SECURITY,
        response: { 200: successEnvelope(SecretSchema), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = await requireClient(request);
      const rotated = await callbacks.rotateSecret(ownerOf(principal));
      reply.header('cache-control', 'no-store');
      return { success: true as const, content: { webhook_secret: rotated.secret, previous_secret_valid_until: rotated.previous_valid_until } };
    },
  );
};
