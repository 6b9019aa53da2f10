import { AuthenticationError, RateLimitedError, ValidationError } from '../domain/errors.js';
import type { UserPrincipal } from '../domain/principal.js';
import { FailureThrottle } from '../security/failure-throttle.js';
import { generateSecret, hashPassword, hashSecret, passwordMatches } from '../security/secrets.js';
import type { UserRecord } from '../storage/repositories/user.repository.js';
import type { ServiceContext } from './context.js';

export interface LoginResult {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly user: UserRecord;
}

/** People's logins (email and password) and their bearer sessions. */
export class SessionService {
  private readonly throttle: FailureThrottle;
  /** Compared against for unknown e-mails, so both answers cost one scrypt. */
  private readonly dummyHash: Promise<string>;

  constructor(private readonly ctx: ServiceContext) {
    this.throttle = new FailureThrottle(ctx.config.auth.maxFailures, ctx.config.auth.failureWindowSeconds * 1000);
    this.dummyHash = hashPassword(generateSecret(), ctx.config.passwordHashCost);
    this.dummyHash.catch(() => {});
  }

  async login(input: { email: unknown; password: unknown; ip: string }): Promise<LoginResult> {
    const issues = [];
    if (typeof input.email !== 'string' || input.email.trim() === '') issues.push({ field: 'email', rule: 'required', message: 'is required' });
    if (typeof input.password !== 'string' || input.password === '') issues.push({ field: 'password', rule: 'required', message: 'is required' });
    if (issues.length > 0) throw new ValidationError(issues);
    const email = (input.email as string).trim().toLowerCase();
    const password = input.password as string;

    const keys = [`email:${email}`, `ip:${input.ip}`];
    const wait = this.throttle.retryAfterSecondsForAny(keys);
    if (wait > 0) throw new RateLimitedError('Too many failed logins; try again later', wait);

    const { db, repos, config } = this.ctx;
    const user = await repos.users.findForLogin(db, email);
    const matches = await passwordMatches(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !matches || user.disabled) {
      this.throttle.recordFailures(keys);
      throw new AuthenticationError('credentials', 'Wrong e-mail or password');
    }
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
