import type { AuditNote } from '../domain/audit.js';
import { AuthenticationError, NotFoundError, OAuthError } from '../domain/errors.js';
import type { ClientPrincipal } from '../domain/principal.js';
import { UNKNOWN_CLIENT_HASH, generateSecret, hashSecret, secretMatches } from '../security/secrets.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { ServiceContext } from './context.js';
import type { TokenCache } from './token-cache.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The caller's address, for throttling failed attempts. */
  readonly ip: string;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
}

/** OAuth 2.0 client credentials (RFC 6749 §4.4) and bearer tokens (RFC 6750). */
export class AuthService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly throttle: AuthThrottle,
    private readonly tokens: TokenCache,
  ) {}

  /**
   * Throws RateLimitedError, before the secret is compared, while this client id may not try from this address.
   * `audit` learns which client the attempt named (when it exists) and, once authenticated, that it acted.
   */
  async issueToken(credentials: ClientCredentials, audit: AuditNote = {}): Promise<IssuedToken> {
    const { db, repos, config } = this.ctx;
    const client = await this.throttle.attempt('authorize', credentials.clientId, credentials.ip, async () => {
      const found = await repos.apiClients.findForAuthentication(db, credentials.clientId);
      if (found) Object.assign(audit, { organisationId: found.organisationId, object: { kind: 'api_client', id: found.id } } satisfies AuditNote);
      // Compare against a fixed hash for unknown clients so both answers take the same time.
      const matches = secretMatches(credentials.clientSecret, found?.secretHash ?? UNKNOWN_CLIENT_HASH);
      return found && matches && !found.disabled ? found : undefined;
    });
    if (!client) throw new OAuthError('invalid_client', 'Client authentication failed: unknown client_id or wrong client_secret');
    audit.actor = { kind: 'api_client', id: client.id };
    const token = generateSecret('ort_');
    const now = this.ctx.now();
    await repos.apiClients.insertAccessToken(
      db,
      {
        tokenHash: hashSecret(token),
        apiClientId: client.id,
        activeCenterId: client.defaultCenterId,
        expiresAt: new Date(now.getTime() + config.tokenTtlSeconds * 1000).toISOString(),
      },
      now.toISOString(),
    );
    return { accessToken: token, expiresIn: config.tokenTtlSeconds };
  }

  /**
   * The client a bearer token speaks for. `reuse` (safe requests only) lets
   * an owner looked up in the last few seconds stand (services/token-cache.ts);
   * otherwise the database is asked, and the answer remembered.
   */
  async authenticate(token: string, options: { reuse?: boolean } = {}): Promise<ClientPrincipal> {
    const hash = hashSecret(token);
    let owner = options.reuse ? this.tokens.get(hash) : undefined;
    if (owner === undefined) {
      owner = await this.ctx.repos.apiClients.findTokenOwner(this.ctx.db, hash);
      if (owner) this.tokens.set(hash, owner);
    }
    if (!owner) throw new AuthenticationError('invalid', 'The access token is invalid or was revoked');
    if (owner.expiresAt <= this.ctx.now().toISOString()) throw new AuthenticationError('invalid', 'The access token has expired');
    // A center removed from the client after the token was issued falls back to the first one left.
    const activeCenterId = owner.centerIds.includes(owner.activeCenterId) ? owner.activeCenterId : owner.centerIds[0];
    if (activeCenterId === undefined) throw new AuthenticationError('invalid', 'The API client has no center to work for');
    return {
      kind: 'api_client',
      apiClientId: owner.apiClientId,
      organisationId: owner.organisationId,
      tokenId: owner.tokenId,
      activeCenterId,
      centerIds: owner.centerIds,
    };
  }

  /** Moves the token's active center; a center the client may not use does not exist for it. */
  async changeCenter(principal: ClientPrincipal, centerId: number): Promise<void> {
    if (!(await this.ctx.access.mayUseCenter(principal, centerId))) throw new NotFoundError('Center');
    await this.ctx.repos.apiClients.updateActiveCenter(this.ctx.db, principal.tokenId, centerId);
    this.tokens.forgetToken(principal.tokenId);
  }
}
