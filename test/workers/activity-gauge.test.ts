import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityGauge } from '../../src/workers/activity-gauge.js';

describe('ActivityGauge', () => {
  it('is quiet at once when idle, when the last piece of work ends, or after the longest wait', async () => {
    const gauge = new ActivityGauge();
    let started = performance.now();
    await gauge.quiet(5000);
    assert.ok(performance.now() - started < 50);

    const leaveA = gauge.enter();
    const leaveB = gauge.enter();
    assert.equal(gauge.active, 2);
    started = performance.now();
    setTimeout(leaveA, 20);
    setTimeout(leaveB, 60);
    await gauge.quiet(5000);
    const waited = performance.now() - started;
    assert.ok(waited >= 50 && waited < 1000, `waited ${waited} ms`);
    leaveB(); // leaving twice counts once
    assert.equal(gauge.active, 0);

    gauge.enter();
    started = performance.now();
    await gauge.quiet(80);
    assert.ok(performance.now() - started >= 70, 'busy work does not starve the waiter');
  });
});
