import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityGauge } from '../../src/workers/activity-gauge.js';

describe('ActivityGauge', () => {
  it('is quiet at once when idle, when the last piece of work ends, or after the longest wait', async () => {
    const gauge = new ActivityGauge();
    // Ordered against other callbacks, not timed: a wall-clock bound failed once on a busy CI machine.
    const nextTurn = () => new Promise<'a later turn'>((resolve) => setImmediate(() => resolve('a later turn')));
    assert.equal(await Promise.race([gauge.quiet(5000).then(() => 'at once' as const), nextTurn()]), 'at once', 'idle: quiet without waiting for a turn');

    const leaveA = gauge.enter();
    const leaveB = gauge.enter();
    assert.equal(gauge.active, 2);
    const left: string[] = [];
    setTimeout(() => {
      left.push('A');
      leaveA();
    }, 20);
    setTimeout(() => {
      left.push('B');
      leaveB();
    }, 60);
    const longestWait = new Promise<'the longest wait'>((resolve) => setTimeout(() => resolve('the longest wait'), 4000).unref());
    assert.equal(await Promise.race([gauge.quiet(5000).then(() => 'quiet' as const), longestWait]), 'quiet', 'woken by the last piece of work ending');
    assert.deepEqual(left, ['A', 'B'], 'not before the last one ended');
    leaveB(); // leaving twice counts once
    assert.equal(gauge.active, 0);

    gauge.enter();
    const started = performance.now();
    await gauge.quiet(80);
    assert.ok(performance.now() - started >= 70, 'busy work does not starve the waiter');
  });
});
