import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The CSRF token of a cookie session, derived from the session token with
 * HMAC-SHA256 (OWASP CSRF Prevention Cheat Sheet, "signed double-submit"):
 * nothing is stored, it changes with every session, and only a page that
 * could read it from `/auth/login` or `/me` (same origin) can send it back.
 * The session token itself stays in an httpOnly cookie.
 */
const PURPOSE = 'openretina csrf v1';

export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update(PURPOSE).digest('base64url');
}

/** Constant-time comparison of a request's `X-CSRF-Token` with the session's. */
export function csrfTokenMatches(sessionToken: string, given: string): boolean {
  const expected = Buffer.from(csrfTokenFor(sessionToken), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
