import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform.js';
import { clientOf } from '../authentication.js';
import { noteAudit } from '../audit.js';
import { presentCenter } from '../presenters.js';
import { BEARER_SECURITY, COMMON_ERRORS, centerReportProperties, closed, idValue, errorRef, successEnvelope } from '../schemas/common.js';

export const CenterSchema = closed({
  id: Type.Integer(),
  name: Type.String(),
  ...centerReportProperties,
  active: Type.Boolean({ description: 'New cases go to the active center; GET /cases lists it' }),
});

const ChangeCenterBodySchema = closed({
  center_id: idValue('Center identifier (a JSON integer, or its digits in a form)'),
  access_token: Type.Optional(Type.String({ description: 'Legacy: the token as a form field (OPTretina SDK)' })),
});

const API_CLIENTS = { audience: 'api_client' } as const;

export const centersRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { auth, centers } = platform.services;

  app.get(
    '/centers',
    {
      schema: {
        summary: 'The centers this API client may work for',
        tags: ['centers'],
        security: BEARER_SECURITY,
        querystring: closed({ access_token: Type.Optional(Type.String({ description: 'Legacy: the token in the query (OPTretina SDK)' })) }),
        response: { 200: successEnvelope(Type.Array(CenterSchema)), ...COMMON_ERRORS },
      },
      config: API_CLIENTS,
    },
    async (request) => ({ success: true as const, content: (await centers.listCenters(clientOf(request))).map(presentCenter) }),
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
        body: ChangeCenterBodySchema,
        response: { 200: successEnvelope(CenterSchema), ...COMMON_ERRORS, 404: errorRef },
      },
      config: { ...API_CLIENTS, audit: { action: 'center.change' } },
    },
    async (request) => {
      const principal = clientOf(request);
      const centerId = Number(request.body.center_id);
      // The center asked for, whether or not the client may use it (a 404 then).
      noteAudit(request, { object: { kind: 'center', id: centerId }, ...(principal.centerIds.includes(centerId) ? { centerId } : {}) });
      await auth.changeCenter(principal, centerId);
      const list = await centers.listCenters({ ...principal, activeCenterId: centerId });
      return { success: true as const, content: presentCenter(list.find((c) => c.id === centerId)!) };
    },
  );
};
