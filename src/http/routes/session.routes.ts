import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform.js';
import { csrfTokenFor } from '../../security/csrf.js';
import { USER_ROLES } from '../../domain/principal.js';
import { SESSION_COOKIE, personOf, requireSameOrigin } from '../authentication.js';
import { noteAudit } from '../audit.js';
import { presentProfile } from '../presenters.js';
import { COMMON_ERRORS, NoBodySchema, USER_SECURITY, closed, errorRef, nullable, oneOf, successEnvelope } from '../schemas/common.js';

export const UserSchema = closed({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: oneOf(USER_ROLES),
  licence_number: nullable(Type.String(), { description: 'Readers: printed on signed reports' }),
  organisation_id: Type.Integer(),
  center_ids: Type.Array(Type.Integer(), { description: 'Staff: the centers they work for' }),
});

const MeSchema = closed({
  ...UserSchema.properties,
  csrf_token: Type.Optional(Type.String({ description: 'Cookie sessions only: send it as X-CSRF-Token with every POST' })),
});

const BearerLoginSchema = closed({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer(), user: UserSchema });
const CookieLoginSchema = closed(
  { token_type: Type.Literal('cookie'), csrf_token: Type.String(), expires_in: Type.Integer(), user: UserSchema },
  { description: 'With "cookie": true: the session is in an httpOnly cookie; send csrf_token as X-CSRF-Token with every POST' },
);


/** Extension: people (readers, staff, admins) log in with e-mail and password. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { sessions } = platform.services;

  /** The web app's session cookie (RFC 6265bis: httpOnly, SameSite=Strict; Secure over https). */
  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, token: string, maxAge: number) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: platform.config.secureCookies || request.protocol === 'https',
      maxAge,
    });

  app.post(
    '/auth/login',
    {
      schema: {
        summary: 'Log in a person (extension)',
        description:
          'E-mail and password as JSON or form. By default the answer carries a bearer token; with `"cookie": true` (the web app) the session goes into an httpOnly cookie ' +
          'and the answer carries the CSRF token instead. Repeated failures per e-mail or IP answer 429 with Retry-After.',
        tags: ['people'],
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        body: closed({
          email: Type.String({ maxLength: 254 }),
          password: Type.String({ maxLength: 1024 }),
          cookie: Type.Optional(
            Type.Union([Type.Boolean(), oneOf(['true', 'false'] as const)], {
              description: 'Start a cookie session (web app); "true" or "false" in a form',
              'x-error': 'must be true or false',
            }),
          ),
        }),
        response: {
          200: successEnvelope(Type.Union([BearerLoginSchema, CookieLoginSchema])),
          ...COMMON_ERRORS,
          403: errorRef,
        },
      },
      config: { audience: 'public', audit: { action: 'session.login' } },
    },
    async (request, reply) => {
      const body = request.body;
      const cookie = body.cookie === true || body.cookie === 'true';
      // Login CSRF: another site must not log the browser into its own account.
      if (cookie) requireSameOrigin(request);
      const result = await sessions.login({ email: body.email, password: body.password, ip: request.ip }, noteAudit(request));
      reply.header('cache-control', 'no-store');
      if (cookie) {
        setSessionCookie(request, reply, result.accessToken, result.expiresIn);
        return {
          success: true as const,
          content: { token_type: 'cookie' as const, csrf_token: csrfTokenFor(result.accessToken), expires_in: result.expiresIn, user: presentProfile(result.user) },
        };
      }
      return {
        success: true as const,
        content: { access_token: result.accessToken, token_type: 'Bearer' as const, expires_in: result.expiresIn, user: presentProfile(result.user) },
      };
    },
  );

  app.get(
    '/me',
    {
      schema: { summary: 'The logged-in person (extension)', tags: ['people'], security: USER_SECURITY, response: { 200: successEnvelope(MeSchema), ...COMMON_ERRORS } },
      config: { audience: 'person' },
    },
    async (request) => {
      const profile = presentProfile(await sessions.profile(personOf(request)));
      const session = request.personSession;
      return { success: true as const, content: session?.via === 'cookie' ? { ...profile, csrf_token: csrfTokenFor(session.token) } : profile };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        summary: 'End this session (extension)',
        description: 'Ends the session and clears the web app’s cookie.',
        tags: ['people'],
        security: USER_SECURITY,
        body: NoBodySchema,
        response: { 200: successEnvelope(Type.Boolean()), 401: errorRef, 403: errorRef },
      },
      config: { audience: 'person', audit: { action: 'session.logout' } },
    },
    async (request, reply) => {
      await sessions.logout(personOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { success: true as const, content: true };
    },
  );
};
