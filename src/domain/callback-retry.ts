/**
 * What happens after each delivery attempt. The default schedule grows
 * roughly fourfold (5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h,
 * 20 h) and spans about three days, long enough for a clinic's server to come
 * back after a weekend; every delay is jittered by ±20 % so that receivers
 * coming back up are not hit by every retry at once.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [5, 60, 300, 1800, 7200, 18000, 36000, 50400, 72000, 72000];

/** Retry-After is honoured up to this; a receiver cannot park a delivery forever. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

export interface AttemptResult {
  /** HTTP status, or null when no answer came (refused, timed out, address not allowed). */
  readonly statusCode: number | null;
  readonly retryAfter: string | null;
  readonly error: string | null;
}

export type AttemptOutcome =
  | { readonly state: 'delivered' }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'pending'; readonly retryAt: Date };

export function decideAfterAttempt(input: {
  readonly result: AttemptResult;
  /** Attempts made so far, this one included. */
  readonly attempts: number;
  readonly scheduleSeconds: readonly number[];
  readonly now: Date;
  /** A number in [0, 1); `Math.random` in production, fixed in tests. */
  readonly random: number;
}): AttemptOutcome {
  const { result, attempts, scheduleSeconds, now } = input;
  const status = result.statusCode;
  if (status !== null && status >= 200 && status < 300) return { state: 'delivered' };
  // 410 Gone: the receiver says this endpoint will never take callbacks again.
  if (status === 410) return { state: 'failed', reason: 'the receiver answered 410 Gone' };
  if (attempts > scheduleSeconds.length) return { state: 'failed', reason: `no 2xx answer after ${attempts} attempts` };
  const scheduled = scheduleSeconds[attempts - 1]! * (0.8 + 0.4 * input.random);
  const asked = parseRetryAfter(result.retryAfter, now);
  const delaySeconds = asked === null ? scheduled : Math.min(asked, MAX_RETRY_AFTER_SECONDS);
  return { state: 'pending', retryAt: new Date(now.getTime() + delaySeconds * 1000) };
}

/** `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, (date - now.getTime()) / 1000);
}
