import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PREVIEW_MAX_ATTEMPTS, outcomeAfterFailure, previewRetryDelayMs } from '../../src/domain/preview.js';

describe('preview jobs', () => {
  it('retry after 30 s, 2 min, 8 min, then give up', () => {
    assert.deepEqual([1, 2, 3].map(previewRetryDelayMs), [30_000, 120_000, 480_000]);
    const now = new Date('2026-01-01T00:00:00.000Z');
    assert.deepEqual(outcomeAfterFailure(1, now), { state: 'pending', nextAttemptAt: '2026-01-01T00:00:30.000Z' });
    assert.deepEqual(outcomeAfterFailure(PREVIEW_MAX_ATTEMPTS - 1, now).state, 'pending');
    assert.deepEqual(outcomeAfterFailure(PREVIEW_MAX_ATTEMPTS, now), { state: 'failed' });
  });
});
