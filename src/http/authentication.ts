import type { FastifyRequest } from 'fastify';
import { AuthenticationError, ValidationError } from '../domain/errors.js';
import type { ClientPrincipal, UserPrincipal } from '../domain/principal.js';
import type { AuthService } from '../services/auth.service.js';
import type { SessionService } from '../services/session.service.js';

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

export async function authenticateRequest(
  auth: AuthService,
  request: FastifyRequest,
  legacy: boolean,
  formToken?: unknown,
): Promise<ClientPrincipal> {
  const token = findToken(request, legacy, formToken);
  if (token === null) throw new AuthenticationError('missing', 'Authentication required: send "Authorization: Bearer <token>"');
  return auth.authenticate(token);
}

/** People authenticate with `Authorization: Bearer` only; the legacy transports are for API clients. */
export async function authenticateUserRequest(sessions: SessionService, request: FastifyRequest): Promise<UserPrincipal> {
  const token = findToken(request, false);
  if (token === null) throw new AuthenticationError('missing', 'Log in first: send "Authorization: Bearer <token>" from POST /auth/login');
  return sessions.authenticate(token);
}
