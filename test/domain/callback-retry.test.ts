import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, decideAfterAttempt, parseRetryAfter } from '../../src/domain/callback-retry.js';

const now = new Date('2026-11-28T10:00:00.000Z');
const answer = (statusCode: number | null, retryAfter: string | null = null) => ({ statusCode, retryAfter, error: statusCode === null ? 'ECONNREFUSED' : null });
const decide = (statusCode: number | null, attempts: number, random = 0.5, retryAfter: string | null = null) =>
  decideAfterAttempt({ result: answer(statusCode, retryAfter), attempts, scheduleSeconds: DEFAULT_RETRY_SCHEDULE_SECONDS, now, random });
const delaySeconds = (outcome: ReturnType<typeof decide>) => {
  assert.equal(outcome.state, 'pending');
  return outcome.state === 'pending' ? (outcome.retryAt.getTime() - now.getTime()) / 1000 : NaN;
};

describe('callback retry policy', () => {
  it('retries for about three days, growing roughly exponentially', () => {
    const total = DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0);
    assert.ok(total > 2.8 * 86400 && total < 3.2 * 86400, `${total / 3600} h`);
    for (let i = 1; i < 8; i++) assert.ok(DEFAULT_RETRY_SCHEDULE_SECONDS[i]! > DEFAULT_RETRY_SCHEDULE_SECONDS[i - 1]!);
  });

  it('ends on 2xx, stops on 410, and fails after the last retry', () => {
    assert.deepEqual(decide(200, 1), { state: 'delivered' });
    assert.deepEqual(decide(204, 7), { state: 'delivered' });
    assert.equal(decide(410, 1).state, 'failed');
    assert.equal(decide(500, DEFAULT_RETRY_SCHEDULE_SECONDS.length).state, 'pending');
    const last = decide(500, DEFAULT_RETRY_SCHEDULE_SECONDS.length + 1);
    assert.equal(last.state, 'failed');
    assert.match(last.state === 'failed' ? last.reason : '', /after 11 attempts/);
  });

  it('jitters each delay by ±20 %', () => {
    assert.equal(delaySeconds(decide(500, 2, 0.5)), 60);
    assert.equal(delaySeconds(decide(500, 2, 0)), 48);
    assert.ok(delaySeconds(decide(null, 2, 0.999999)) < 72.0001);
    assert.equal(delaySeconds(decide(302, 1, 0.5)), 5, 'a redirect is a failed attempt');
  });

  it('honours Retry-After as seconds or HTTP-date, up to a day', () => {
    assert.equal(delaySeconds(decide(503, 1, 0.5, '120')), 120);
    assert.equal(delaySeconds(decide(429, 1, 0.5, 'Sat, 28 Nov 2026 10:10:00 GMT')), 600);
    assert.equal(delaySeconds(decide(503, 1, 0.5, '999999')), 86400);
    assert.equal(delaySeconds(decide(503, 1, 0.5, 'soon')), 5, 'unreadable: the schedule');
    assert.equal(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', now), 0, 'a past date means now');
  });
});
