import type { AuditNote } from '../domain/audit.js';
import { AuthenticationError, ValidationError } from '../domain/errors.js';
import type { UserPrincipal } from '../domain/principal.js';
import { generateSecret, hashPassword, hashSecret, passwordMatches } from '../security/secrets.js';
import type { UserRecord } from '../storage/repositories/user.repository.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { ServiceContext } from './context.js';

export interface LoginResult {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly user: UserRecord;
}

/** People's logins (email and password) and their bearer sessions. */
export class SessionService {
  /** Compared against for unknown e-mails, so both answers cost one scrypt. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly throttle: AuthThrottle,
  ) {
    this.dummyHash = hashPassword(generateSecret(), ctx.config.passwordHashCost);
    this.dummyHash.catch(() => {});
  }

  /** `audit` learns which person the attempt named (when they exist) and, once logged in, that they acted. */
  async login(input: { email: unknown; password: unknown; ip: string }, audit: AuditNote = {}): Promise<LoginResult> {
    const issues = [];
    if (typeof input.email !== 'string' || input.email.trim() === '') issues.push({ field: 'email', rule: 'required', message: 'is required' });
    if (typeof input.password !== 'string' || input.password === '') issues.push({ field: 'password', rule: 'required', message: 'is required' });
    if (issues.length > 0) throw new ValidationError(issues);
    const email = (input.email as string).trim().toLowerCase();
    const password = input.password as string;

    const { db, repos, config } = this.ctx;
    // Refused (429) before the password is hashed while this e-mail may not try from this address.
    const user = await this.throttle.attempt('login', email, input.ip, async () => {
      const found = await repos.users.findForLogin(db, email);
      if (found) Object.assign(audit, { organisationId: found.organisationId, object: { kind: 'user', id: found.id } } satisfies AuditNote);
      const matches = await passwordMatches(password, found?.passwordHash ?? (await this.dummyHash));
      return found && matches && !found.disabled ? found : undefined;
    });
    if (!user) throw new AuthenticationError('credentials', 'Wrong e-mail or password');
    audit.actor = { kind: 'user', id: user.id };
    const token = generateSecret('oru_');
    const now = this.ctx.now();
    await repos.users.insertSession(
      db,
      { tokenHash: hashSecret(token), userId: user.id, expiresAt: new Date(now.getTime() + config.sessionTtlSeconds * 1000).toISOString() },
      now.toISOString(),
    );
    const profile = await repos.users.findUser(db, user.id);
    return { accessToken: token, expiresIn: config.sessionTtlSeconds, user: profile! };
  }

  async authenticate(token: string): Promise<UserPrincipal> {
    const owner = await this.ctx.repos.users.findSessionOwner(this.ctx.db, hashSecret(token));
    if (!owner) throw new AuthenticationError('invalid', 'The session is invalid or was ended');
    if (owner.expiresAt <= this.ctx.now().toISOString()) throw new AuthenticationError('invalid', 'The session has expired');
    return {
      kind: 'user',
      userId: owner.user.id,
      sessionId: owner.sessionId,
      organisationId: owner.user.organisationId,
      role: owner.user.role,
      centerIds: owner.user.centerIds,
    };
  }

  async profile(principal: UserPrincipal): Promise<UserRecord> {
    const user = await this.ctx.repos.users.findUser(this.ctx.db, principal.userId);
    if (!user) throw new AuthenticationError('invalid', 'The user no longer exists');
    return user;
  }

  async logout(principal: UserPrincipal): Promise<void> {
    await this.ctx.repos.users.deleteSession(this.ctx.db, principal.sessionId);
  }
}
