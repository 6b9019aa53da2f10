import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { passwordHashPool } from './password-hash-pool.js';

/** A random credential (client secret, access token): 32 bytes, base64url. */
export function generateSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** A short public identifier (client_id). */
export function generatePublicId(prefix: string): string {
  return prefix + randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
}

/**
 * Secrets and tokens are 256-bit random strings, so a plain SHA-256 is enough
 * to store them: there is nothing to brute-force, unlike a password.
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A fixed hash compared against when a client id is unknown, so both cases take the same time. */
export const UNKNOWN_CLIENT_HASH = hashSecret('unknown-client');

/** log2 of scrypt's N: OWASP's minimum, N=2^17 with r=8, p=1 (Password Storage Cheat Sheet). */
export const DEFAULT_PASSWORD_HASH_COST = 17;
/** What the setting allows: 2^10 (a few milliseconds a hash) is for tests; at 2^20 one hash needs 1 GiB. */
export const MIN_PASSWORD_HASH_COST = 10;
export const MAX_PASSWORD_HASH_COST = 20;
const SCRYPT_R = 8;
const SCRYPT_P = 1;

/** scrypt needs 128·N·r bytes; Node refuses anything above `maxmem`, so allow that with room to spare. */
const maxmemFor = (N: number, r: number) => 2 * 128 * N * r;

/** On a password-hash thread, at most `OPENRETINA_PASSWORD_HASH_CONCURRENCY` at once, never on libuv's pool (password-hash-pool.ts). */
function scrypt(password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }): Promise<Buffer> {
  return passwordHashPool.scrypt({ password, salt, keylen, ...options });
}

/** `cost` is log2 of N; the hash records N, r and p, so it verifies whatever the setting is later. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  if (!Number.isInteger(cost) || cost < MIN_PASSWORD_HASH_COST || cost > MAX_PASSWORD_HASH_COST) {
    throw new RangeError(`password hash cost must be an integer from ${MIN_PASSWORD_HASH_COST} to ${MAX_PASSWORD_HASH_COST}, got ${cost}`);
  }
  const N = 2 ** cost;
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, 32, { N, r: SCRYPT_R, p: SCRYPT_P, maxmem: maxmemFor(N, SCRYPT_R) });
  return `scrypt$${N}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: maxmemFor(Number(n), Number(r)),
  });
  return timingSafeEqual(actual, expected);
}
