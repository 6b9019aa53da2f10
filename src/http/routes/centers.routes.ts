import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ValidationError } from '../../domain/errors.js';
import type { Platform } from '../../platform.js';
import { authenticateRequest } from '../authentication.js';
import { BEARER_SECURITY, COMMON_ERRORS, errorRef, successEnvelope } from '../schemas/common.js';

const CenterSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  language: Type.String({ description: 'Language of its reports' }),
  active: Type.Boolean({ description: 'New cases go to the active center; GET /cases lists it' }),
});

export const centersRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { auth, centers } = platform.services;
  const legacy = platform.config.legacyTokenTransport;

  app.get(
    '/centers',
    {
      schema: {
        summary: 'The centers this API client may work for',
        tags: ['centers'],
        security: BEARER_SECURITY,
        querystring: Type.Object({ access_token: Type.Optional(Type.String()) }),
        response: { 200: successEnvelope(Type.Array(CenterSchema)), ...COMMON_ERRORS },
      },
    },
    async (request) => {
      request.principal = await authenticateRequest(auth, request, legacy);
      return { success: true as const, content: await centers.listCenters(request.principal) };
    },
  );

  app.post(
    '/change-center',
    {
      schema: {
        summary: 'Make a center the active one for this token',
        description: 'Form or JSON body. A center the client may not work for is a 404.',
        tags: ['centers'],
        security: BEARER_SECURITY,
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: Type.Object({
          center_id: Type.Union([Type.Integer(), Type.String()], { description: 'Center identifier' }),
          access_token: Type.Optional(Type.String({ description: 'Legacy: the token as a form field' })),
        }),
        response: { 200: successEnvelope(CenterSchema), ...COMMON_ERRORS, 404: errorRef },
      },
      attachValidation: true,
    },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      request.principal = await authenticateRequest(auth, request, legacy, body.access_token);
      const raw = body.center_id;
      const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
      if (!/^[1-9][0-9]{0,14}$/.test(text)) {
        throw new ValidationError([
          raw === undefined || text === ''
            ? { field: 'center_id', rule: 'required', message: 'is required' }
            : { field: 'center_id', rule: 'integer', message: 'must be a positive integer center id' },
        ]);
      }
      const centerId = Number(text);
      await auth.changeCenter(request.principal, centerId);
      const list = await centers.listCenters({ ...request.principal, activeCenterId: centerId });
      return { success: true as const, content: list.find((c) => c.id === centerId)! };
    },
  );
};
