import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform.js';
import { authenticateUserRequest } from '../authentication.js';
import { COMMON_ERRORS, errorRef, successEnvelope } from '../schemas/common.js';

const UserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('reader'), Type.Literal('staff')]),
  licence_number: Type.Union([Type.String(), Type.Null()], { description: 'Readers: printed on signed reports' }),
  organisation_id: Type.Integer(),
  center_ids: Type.Array(Type.Integer(), { description: 'Staff: the centers they work for' }),
});

const USER_SECURITY = [{ bearer: [] }];

/** Extension: people (readers, staff, admins) log in with e-mail and password. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { sessions } = platform.services;

  app.post(
    '/auth/login',
    {
      schema: {
        summary: 'Log in a person (extension)',
        description: 'E-mail and password as JSON or form. Repeated failures per e-mail or IP answer 429 with Retry-After.',
        tags: ['people'],
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        body: Type.Object({ email: Type.String(), password: Type.String() }),
        response: {
          200: successEnvelope(
            Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer(), user: UserSchema }),
          ),
          ...COMMON_ERRORS,
        },
      },
      attachValidation: true, // the service names missing fields itself
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const result = await sessions.login({ email: body.email, password: body.password, ip: request.ip });
      reply.header('cache-control', 'no-store');
      return {
        success: true as const,
        content: { access_token: result.accessToken, token_type: 'Bearer' as const, expires_in: result.expiresIn, user: result.user },
      };
    },
  );

  app.get(
    '/me',
    {
      schema: { summary: 'The logged-in person (extension)', tags: ['people'], security: USER_SECURITY, response: { 200: successEnvelope(UserSchema), ...COMMON_ERRORS } },
    },
    async (request) => {
      const principal = await authenticateUserRequest(sessions, request);
      request.principal = principal;
      return { success: true as const, content: await sessions.profile(principal) };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: { summary: 'End this session (extension)', tags: ['people'], security: USER_SECURITY, response: { 200: successEnvelope(Type.Boolean()), 401: errorRef } },
    },
    async (request) => {
      const principal = await authenticateUserRequest(sessions, request);
      request.principal = principal;
      await sessions.logout(principal);
      return { success: true as const, content: true };
    },
  );
};
