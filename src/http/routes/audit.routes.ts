import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform.js';
import { personOf } from '../authentication.js';
import { presentAuditEntry } from '../presenters.js';
import { AuditEntrySchema, AuditQuerySchema } from '../schemas/audit.js';
import { COMMON_ERRORS, USER_SECURITY, closed, errorRef, nullable } from '../schemas/common.js';

/** Extension, for administrators: the audit trail of their organisation. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { audit } = platform.services;

  app.get(
    '/admin/audit',
    {
      schema: {
        summary: 'The audit trail, newest first (extension)',
        description:
          'Administrators: who read or changed what, logins, token issues and refused authentications, and the CLI’s administrative actions, ' +
          'for their organisation (plus anonymous attempts that name no account). Filter by `case_id`, actor (`actor_kind`, `actor_id`) and time (`from` inclusive, `to` exclusive); ' +
          '`next_cursor` leads to the next page. Ids only: no patient data.',
        tags: ['audit'],
        security: USER_SECURITY,
        querystring: AuditQuerySchema,
        response: {
          200: closed({
            success: Type.Literal(true),
            content: Type.Array(AuditEntrySchema),
            next_cursor: nullable(Type.String(), { description: 'Cursor of the next (older) page; null on the last' }),
          }),
          ...COMMON_ERRORS,
          403: errorRef,
        },
      },
      config: { audience: 'admin', audit: { action: 'audit.read' } },
    },
    async (request) => {
      const { case_id, actor_kind, actor_id, from, to, cursor, limit } = request.query;
      const page = await audit.list(personOf(request), { caseId: case_id, actorKind: actor_kind, actorId: actor_id, from, to, cursor, limit });
      return { success: true as const, content: page.entries.map(presentAuditEntry), next_cursor: page.nextCursor };
    },
  );
};
