import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OAuthError } from '../../domain/errors.js';
import { noteAudit } from '../audit.js';
import { closed } from '../schemas/common.js';
import type { Platform } from '../../platform.js';

const TokenResponseSchema = closed({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the token expires' }),
});

/**
 * The token request. RFC 6749 §3.2 says a token endpoint MUST ignore
 * parameters it does not know (the OPTretina SDK sends an empty
 * `redirect_uri`), so other fields are admitted, as text; the handler checks
 * each one it uses and answers every refusal as §5.2 says.
 */
const AuthorizeBodySchema = Type.Object(
  {
    client_id: Type.Optional(Type.String({ description: 'Client identifier' })),
    client_secret: Type.Optional(Type.String({ description: 'Client secret' })),
    grant_type: Type.Optional(Type.Literal('client_credentials')),
    redirect_uri: Type.Optional(Type.String({ description: 'Ignored (sent empty by the OPTretina SDK)' })),
  },
  { additionalProperties: Type.String() },
);

/**
 * `POST /authorize`: OAuth 2.0 client credentials grant (RFC 6749 §4.4), with
 * credentials in the body (form or JSON) or HTTP Basic (§2.3.1).
 */
export const authorizeRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  // Any other body type is an invalid_request (RFC 6749 §5.2), not a bare 415.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, { __unparsed: body }));

  app.post(
    '/authorize',
    {
      schema: {
        summary: 'Get an access token',
        description:
          'Client credentials grant. Body as application/x-www-form-urlencoded or application/json, or the credentials as HTTP Basic. Errors follow RFC 6749 §5.2.',
        tags: ['auth'],
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        body: AuthorizeBodySchema,
        response: { 200: TokenResponseSchema, 400: Type.Ref('OAuthError'), 401: Type.Ref('OAuthError'), 429: Type.Ref('ErrorEnvelope') },
      },
      attachValidation: true,
      config: { oauthErrors: true, audience: 'public', audit: { action: 'token.issue' } },
    },
    async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      if (query && 'client_secret' in query) {
        throw new OAuthError('invalid_request', 'client_secret must not be sent in the URL (RFC 6749 §2.3.1)');
      }
      const body = request.body as unknown;
      if (body === undefined || body === null || typeof body !== 'object' || '__unparsed' in body) {
        throw new OAuthError('invalid_request', 'Send the request as application/x-www-form-urlencoded or application/json');
      }
      const fields = body as Record<string, unknown>;
      for (const [name, value] of Object.entries(fields)) {
        if (Array.isArray(value)) throw new OAuthError('invalid_request', `${name} is repeated`);
        if (value !== undefined && typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be a string`);
        // No credential holds one, and PostgreSQL cannot even compare a text with one.
        if (typeof value === 'string' && value.includes('\0')) throw new OAuthError('invalid_request', `${name} must not contain NUL characters`);
      }
      const str = (name: string): string | undefined => {
        const value = fields[name];
        return typeof value === 'string' && value !== '' ? value : undefined;
      };

      let clientId = str('client_id');
      let clientSecret = str('client_secret');
      const basic = parseBasic(request.headers.authorization);
      if (basic) {
        if (clientSecret !== undefined || (clientId !== undefined && clientId !== basic.clientId)) {
          throw new OAuthError('invalid_request', 'Send client credentials either as HTTP Basic or in the body, not both');
        }
        ({ clientId, clientSecret } = basic);
      }

      const grantType = str('grant_type');
      if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is missing; it must be client_credentials');
      if (grantType !== 'client_credentials') {
        throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported; use client_credentials`);
      }
      if (clientId === undefined) throw new OAuthError('invalid_request', 'client_id is missing');
      if (clientSecret === undefined) {
        const hint = clientId.includes('client_secret=') ? ' (is an "&" missing before client_secret?)' : '';
        throw new OAuthError('invalid_request', `client_secret is missing${hint}`);
      }

      const token = await platform.services.auth.issueToken({ clientId, clientSecret, ip: request.ip }, noteAudit(request));
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return { access_token: token.accessToken, token_type: 'Bearer' as const, expires_in: token.expiresIn };
    },
  );
};

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding. */
function parseBasic(header: string | undefined): { clientId: string; clientSecret: string } | null {
  if (!header || !/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_request', 'Malformed HTTP Basic credentials');
  let credentials: { clientId: string; clientSecret: string };
  try {
    const unescape = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    credentials = { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError('invalid_request', 'Malformed HTTP Basic credentials');
  }
  // As in the body: no credential holds a NUL, and PostgreSQL cannot compare a text with one.
  if (credentials.clientId.includes('\0') || credentials.clientSecret.includes('\0')) throw new OAuthError('invalid_request', 'Malformed HTTP Basic credentials');
  return credentials;
}
