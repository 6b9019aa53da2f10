import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type TestDatabase, createTestDatabase } from '../helpers/dialects.js';
import { type OpenretinaProcess, spawnOpenretina } from '../helpers/process.js';

/**
 * What an API process (`serve` with its workers off) keeps resident
 * (`bench/README.md`, intake memory): seeding the demo on first start draws
 * its photographs in a child process, so libvips is never mapped here; and
 * once nothing has been asked of it for OPENRETINA_IDLE_MEMORY_SECONDS (5 s
 * by default) it gives back the heap the last requests grew.
 */
describe('an API process on its first start, workers off', () => {
  let database: TestDatabase;
  let server: OpenretinaProcess;
  let token = '';

  before(async () => {
    database = await createTestDatabase('sqlite');
    server = await spawnOpenretina(database, 'serve', { OPENRETINA_SEED_DEMO: 'true', OPENRETINA_WORKERS: 'false', OPENRETINA_LOG_LEVEL: 'debug' });
    const id = /client_id:\s+(orc_\S+)/.exec(server.output())?.[1];
    const secret = /client_secret:\s+(ors_\S+)/.exec(server.output())?.[1];
    assert.ok(id && secret, server.output());
    const answer = await fetch(`${server.baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: id, client_secret: secret, grant_type: 'client_credentials' }),
    });
    token = ((await answer.json()) as { access_token: string }).access_token;
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await database?.drop();
  });

  it('has seeded the demo case with both photographs, drawn without loading libvips into itself', async () => {
    const demoCaseId = /demo case #(\d+)/.exec(server.output())?.[1];
    assert.ok(demoCaseId, server.output());
    const answer = await fetch(`${server.baseUrl}/cases/${demoCaseId}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200);
    const demoCase = ((await answer.json()) as { content: { images: Array<{ eye: string; content_type: string; width: number; height: number }> } }).content;
    assert.deepEqual(
      demoCase.images.map(({ eye, content_type, width, height }) => ({ eye, content_type, width, height })).sort((a, b) => a.eye.localeCompare(b.eye)),
      [
        { eye: 'od', content_type: 'image/jpeg', width: 2048, height: 1536 },
        { eye: 'os', content_type: 'image/jpeg', width: 2048, height: 1536 },
      ],
    );
    const maps = `/proc/${server.process.pid}/maps`;
    if (existsSync(maps)) assert.doesNotMatch(readFileSync(maps, 'utf8'), /libvips|sharp-/);
  });

  it('gives back heap once quiet', async () => {
    const answer = await fetch(`${server.baseUrl}/cases`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200);
    // A collection that gives back nothing (V8 still counting the start's allocation) is tried again after the next quiet period.
    const released = () =>
      [...server.output().matchAll(/\{[^\n]*"msg":"idle: memory returned"[^\n]*\}/g)].map(
        (match) => JSON.parse(match[0]) as { heapBeforeMB: number; heapAfterMB: number; rssBeforeMB: number },
      );
    const deadline = Date.now() + 40_000;
    while (!released().some((r) => r.heapAfterMB < r.heapBeforeMB) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    const gaveBack = released().find((r) => r.heapAfterMB < r.heapBeforeMB);
    assert.ok(gaveBack, server.output());
    // The pages V8 gave up leave the process's resident memory a moment later.
    const status = `/proc/${server.process.pid}/status`;
    if (existsSync(status)) {
      let rssMB = Number.POSITIVE_INFINITY;
      for (let tries = 0; tries < 20 && rssMB >= gaveBack.rssBeforeMB; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        rssMB = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1]) / 1024;
      }
      assert.ok(rssMB < gaveBack.rssBeforeMB, `${rssMB.toFixed(0)} MB resident after, ${gaveBack.rssBeforeMB} MB before`);
    }
    assert.ok(released().length <= 3, JSON.stringify(released()));
  });
});
