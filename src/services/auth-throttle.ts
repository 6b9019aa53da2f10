import ipaddr from 'ipaddr.js';
import type { Kysely } from 'kysely';
import type { AuthLimits } from '../config.js';
import { RateLimitedError } from '../domain/errors.js';
import { hashSecret } from '../security/secrets.js';
import type { AuthThrottleRepository } from '../storage/repositories/auth-throttle.repository.js';
import type { Database } from '../storage/schema.js';

/** What is being authenticated: API clients at `/authorize`, people at `/auth/login`. */
export type AuthScope = 'authorize' | 'login';

const REFUSAL: Record<AuthScope, string> = {
  authorize: 'Too many failed authentication attempts; try again later',
  login: 'Too many failed logins; try again later',
};

interface ThrottleKey {
  readonly hash: string;
  readonly limit: number;
}

/**
 * The address a throttle counts: IPv4 as it is (an IPv4-mapped IPv6 address
 * as its IPv4), IPv6 by its /64, the smallest network one subscriber gets.
 */
export function throttledAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${address.toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

/**
 * Failed `/authorize` and `/auth/login` attempts (RFC 6749 §2.3.1; OWASP API2),
 * counted in the database so that every process shares them.
 *
 * - Each attempt is reserved before the secret or password is checked, in
 *   one statement (AuthThrottleRepository.reserve), so concurrent attempts
 *   beyond the limit are refused unchecked.
 * - The lockout is per account *and* address: failures from one address never
 *   lock the account out of another, nor another account out of this
 *   address. `maxFailures` failures lock the pair for `lockoutSeconds`, each
 *   further lockout twice as long up to `maxLockoutSeconds`.
 * - The address alone has a higher ceiling, `maxAddressFailures`, against
 *   spraying one address's attempts over many accounts.
 * - The right credentials forgive the pair and give the address its attempt
 *   back; failures and lockouts are forgotten `failureWindowSeconds` after a
 *   key's last attempt or lockout.
 */
export class AuthThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: AuthThrottleRepository,
    private readonly limits: AuthLimits,
    private readonly now: () => Date,
  ) {}

  /**
   * Runs `check` (the credential comparison) under the throttle: it yields
   * what it authenticated, or undefined when the credentials are wrong.
   * Throws RateLimitedError, with the seconds to wait, without calling
   * `check` when the pair or the address may not try now.
   */
  async attempt<T>(scope: AuthScope, account: string, ip: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const address = throttledAddress(ip);
    const pair: ThrottleKey = { hash: hashSecret(`${scope}\npair\n${account}\n${address}`), limit: this.limits.maxFailures };
    const addressAlone: ThrottleKey = { hash: hashSecret(`${scope}\naddress\n${address}`), limit: this.limits.maxAddressFailures };
    const keys = [pair, addressAlone];
    await this.reserve(keys, REFUSAL[scope]);
    let verdict: T | undefined;
    try {
      verdict = await check();
    } catch (error) {
      // No verdict: the attempt was not a failure.
      for (const key of keys) await this.repo.release(this.db, key.hash);
      throw error;
    }
    if (verdict === undefined) {
      for (const key of keys) await this.lockIfFull(key);
    } else {
      await this.repo.forget(this.db, pair.hash);
      await this.repo.release(this.db, addressAlone.hash);
    }
    return verdict;
  }

  /** The lockout after `lockouts` earlier ones: the first, doubled each time, capped. */
  lockoutSeconds(lockouts: number): number {
    return Math.min(this.limits.lockoutSeconds * 2 ** Math.min(lockouts, 32), this.limits.maxLockoutSeconds);
  }

  private async reserve(keys: readonly ThrottleKey[], refusal: string): Promise<void> {
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.limits.failureWindowSeconds * 1000).toISOString();
    const reserved: ThrottleKey[] = [];
    for (const key of keys) {
      if (!(await this.repo.reserve(this.db, key.hash, key.limit, now.toISOString(), expiresAt))) {
        for (const earlier of reserved) await this.repo.release(this.db, earlier.hash);
        throw new RateLimitedError(refusal, await this.retryAfterSeconds(key, now));
      }
      reserved.push(key);
    }
  }

  /** Locks a key whose attempts reached its limit, unless another failure just did. */
  private async lockIfFull(key: ThrottleKey): Promise<void> {
    const state = await this.repo.find(this.db, key.hash);
    const now = this.now();
    if (!state || state.attempts < key.limit || (state.lockedUntil !== null && state.lockedUntil > now.toISOString())) return;
    const lockedUntil = new Date(now.getTime() + this.lockoutSeconds(state.lockouts) * 1000);
    await this.repo.lock(this.db, key.hash, {
      limit: key.limit,
      lockouts: state.lockouts,
      lockedUntil: lockedUntil.toISOString(),
      expiresAt: new Date(lockedUntil.getTime() + this.limits.failureWindowSeconds * 1000).toISOString(),
    });
  }

  /** Until the lockout ends; a key full of attempts still being checked is free again (or locked) within a second. */
  private async retryAfterSeconds(key: ThrottleKey, now: Date): Promise<number> {
    const state = await this.repo.find(this.db, key.hash);
    if (!state?.lockedUntil) return 1;
    return Math.max(1, Math.ceil((new Date(state.lockedUntil).getTime() - now.getTime()) / 1000));
  }
}
