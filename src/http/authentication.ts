import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { type Audience, admits, audienceDescription, isPersonAudience } from '../domain/access.js';
import { AuthenticationError, ForbiddenError, ValidationError } from '../domain/errors.js';
import { isRecord } from '../domain/grading.js';
import { csrfTokenMatches } from '../security/csrf.js';
import type { ClientPrincipal, UserPrincipal } from '../domain/principal.js';
import type { AuthService } from '../services/auth.service.js';
import type { SessionService } from '../services/session.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (domain/access.ts); the authentication hook enforces it. Every route declares one. */
    audience?: Audience;
  }
  interface FastifyRequest {
    /** How a person's session came (cookie sessions have a CSRF token); null for API clients and public routes. */
    personSession: Pick<PersonAuthentication, 'via' | 'token'> | null;
  }
}

/**
 * Finds the bearer token of a request (RFC 6750 §2): the Authorization
 * header, and, for OPTretina SDK compatibility, `access_token` in the query
 * or a form body. More than one is refused, as §2 requires.
 */
export function findToken(request: FastifyRequest, legacy: boolean, formToken?: unknown): string | null {
  const found: string[] = [];
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
    if (!match) throw new AuthenticationError('invalid', 'The Authorization header must be "Bearer <token>"');
    found.push(match[1]!);
  }
  if (legacy) {
    const query = (request.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof query === 'string' && query !== '') found.push(query);
    if (Array.isArray(query)) throw tooMany();
    if (typeof formToken === 'string' && formToken !== '') found.push(formToken);
    if (Array.isArray(formToken)) throw tooMany();
  }
  if (found.length > 1) throw tooMany();
  return found[0] ?? null;
}

function tooMany(): ValidationError {
  return new ValidationError([{ field: 'access_token', rule: 'single_transport', message: 'send the token one way only (RFC 6750 §2)' }]);
}

/**
 * The one authentication step, run before validation for every route: the
 * route's declared audience says which credentials count, and the caller
 * found is stored on the request. An API client's multipart form may carry
 * its token as a field (the OPTretina SDK's way); with no token in the header
 * or query, that request is left to the form reader, which authenticates with
 * `authenticateFormToken` before it keeps any image.
 */
export function authenticationHook(services: { auth: AuthService; sessions: SessionService }, legacy: boolean): preValidationAsyncHookHandler {
  return async (request) => {
    if (request.is404) return;
    const audience = request.routeOptions.config.audience;
    if (audience === undefined) throw new Error(`route ${request.routeOptions.url ?? request.url} declares no audience`);
    if (audience === 'public') return;
    if (audience === 'api_client') {
      const multipart = request.isMultipart();
      const formToken = !multipart && isRecord(request.body) ? request.body.access_token : undefined;
      const token = findToken(request, legacy, formToken);
      // A read may rest on a token looked up moments ago; a write always asks the database (services/token-cache.ts).
      if (token !== null) request.principal = await services.auth.authenticate(token, { reuse: SAFE_METHODS.has(request.method) });
      else if (!(multipart && legacy)) throw new AuthenticationError('missing', 'Authentication required: send "Authorization: Bearer <token>"');
      return;
    }
    if (!isPersonAudience(audience)) throw new Error(`unknown audience ${String(audience)}`);
    const { principal, via, token } = await authenticatePerson(services.sessions, request);
    request.principal = principal;
    request.personSession = { via, token };
    if (!admits(audience, principal)) throw new ForbiddenError(`Only ${audienceDescription(audience)} may use this`);
  };
}

/** The API client a route's hook authenticated (routes of audience `api_client`). */
export function clientOf(request: FastifyRequest): ClientPrincipal {
  const principal = request.principal;
  if (principal?.kind !== 'api_client') throw new AuthenticationError('missing', 'Authentication required: send "Authorization: Bearer <token>"');
  return principal;
}

/** The person a route's hook authenticated (routes of a person audience). */
export function personOf(request: FastifyRequest): UserPrincipal {
  const principal = request.principal;
  if (principal?.kind !== 'user') throw new AuthenticationError('missing', 'Log in first');
  return principal;
}

/**
 * A multipart request whose token comes in the form: authenticates it once
 * the `access_token` field has been read. A header or query token already
 * found makes a form token a second transport, which RFC 6750 §2 refuses.
 */
export async function authenticateFormToken(auth: AuthService, request: FastifyRequest, legacy: boolean, formToken: unknown): Promise<ClientPrincipal> {
  if (request.principal !== null) {
    if (formToken !== undefined) findToken(request, legacy, formToken);
    return clientOf(request);
  }
  const token = findToken(request, legacy, formToken);
  if (token === null) throw new AuthenticationError('missing', 'Authentication required: send "Authorization: Bearer <token>"');
  request.principal = await auth.authenticate(token);
  return request.principal;
}

/** The web app's session cookie: the same kind of `oru_` session token, httpOnly. */
export const SESSION_COOKIE = 'openretina_session';

export interface PersonAuthentication {
  readonly principal: UserPrincipal;
  /** How the session token came: cookie sessions have a CSRF token, bearer ones need none. */
  readonly via: 'bearer' | 'cookie';
  readonly token: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * People authenticate with `Authorization: Bearer` (API use) or with the web
 * app's session cookie; the legacy transports are for API clients only, and
 * API-client routes never read the cookie. A cookie-authenticated unsafe
 * request must come from our own pages: same origin and the session's CSRF token.
 */
export async function authenticatePerson(sessions: SessionService, request: FastifyRequest): Promise<PersonAuthentication> {
  const bearer = findToken(request, false);
  if (bearer !== null) return { principal: await sessions.authenticate(bearer), via: 'bearer', token: bearer };
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie === undefined || cookie === '') {
    throw new AuthenticationError('missing', 'Log in first: send "Authorization: Bearer <token>" from POST /auth/login');
  }
  if (!SAFE_METHODS.has(request.method)) {
    requireSameOrigin(request);
    const given = request.headers['x-csrf-token'];
    if (typeof given !== 'string' || given === '') {
      throw new ForbiddenError('This request needs the X-CSRF-Token header from POST /auth/login or GET /me', 'csrf_token_missing');
    }
    if (!csrfTokenMatches(cookie, given)) throw new ForbiddenError('The X-CSRF-Token header does not belong to this session', 'csrf_token_invalid');
  }
  return { principal: await sessions.authenticate(cookie), via: 'cookie', token: cookie };
}

/**
 * Refuses a browser request sent by another site: `Sec-Fetch-Site` (Fetch
 * Metadata) and `Origin` (RFC 6454) are checked when the browser sends them.
 */
export function requireSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw new ForbiddenError(`Cross-site request refused (Sec-Fetch-Site: ${String(site)})`, 'cross_site_request');
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
    throw new ForbiddenError('Cross-site request refused (Origin is not this server)', 'cross_site_request');
  }
}
