import '../helpers/setup.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { type IdleRelease, releaseMemoryWhenIdle } from '../../src/cli/idle-memory.js';

const QUIET_MS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: http.Server;
let base = '';
let releases: IdleRelease[] = [];
let stop: () => void = () => {};
let sink: unknown[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    for (let i = 0; i < 200_000; i++) sink.push({ i, text: `garbage ${i}` });
    sink = [];
    const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
    setTimeout(() => res.end('ok'), delay);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ({ stop } = releaseMemoryWhenIdle(server, QUIET_MS, (released) => releases.push(released)));
});
after(() => {
  stop();
  server.close();
});

async function get(path = '/'): Promise<void> {
  const answer = await fetch(`${base}${path}`);
  assert.equal(await answer.text(), 'ok');
}

it('collects nothing while requests keep coming, then after a quiet spell, three times at most', async () => {
  releases = [];
  const until = performance.now() + 6 * QUIET_MS;
  while (performance.now() < until) {
    await get();
    await sleep(QUIET_MS / 5);
  }
  assert.equal(releases.length, 0, 'no collection while requests came every few ms');
  await sleep(3 * QUIET_MS);
  assert.ok(releases.length >= 1);
  // What it gives back is asserted on a real server (test/process/api-process-memory.test.ts): V8 shrinks its
  // young generation only after about 5 s of low allocation, longer than these tests wait.
  const [first] = releases as [IdleRelease];
  assert.ok(Number.isFinite(first.ms) && first.ms >= 0);
  assert.ok(first.heapBefore > 0 && first.rssBefore > 0);
  await sleep(6 * QUIET_MS);
  const gaveBack = releases.findIndex((released) => released.heapAfter < released.heapBefore * 0.9);
  assert.equal(releases.length, gaveBack === -1 ? 3 : gaveBack + 1, 'tried again until one gave back, three times at most');
});

it('waits for a request still under way, then releases once it has been answered and things are quiet', async () => {
  releases = [];
  await get();
  const slow = get(`/?delay=${5 * QUIET_MS}`);
  await sleep(4 * QUIET_MS);
  assert.equal(releases.length, 0, 'no release while a request is under way');
  await slow;
  await sleep(3 * QUIET_MS);
  assert.ok(releases.length >= 1);
});
