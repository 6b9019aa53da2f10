import '../helpers/setup.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string } };

/** What an operator and a load balancer ask: alive, ready, and the figures to watch. */
describeEachDialect('operations: health, readiness, metrics', (dialect) => {
  let server: TestServer;
  let token = '';

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
  });
  after(() => server.close());

  it('/healthz says the process is alive; /readyz that the database and the blob store are there', async () => {
    assert.deepEqual(await json(await fetch(`${server.baseUrl}/healthz`)), { success: true, content: 'ok' });
    const ready = await fetch(`${server.baseUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual((await json<Envelope>(ready)).content, { database: 'ok', blob_store: 'ok' });
  });

  it('serves Prometheus metrics to this machine: request latency per route, intake bytes, queue depth and age, callback failures', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'OPS-1', gender: '0', age: '50' })) form.append(k, v);
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'od.jpg');
    assert.equal((await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(token), body: form })).status, 201);
    assert.equal((await fetch(`${server.baseUrl}/cases`, { headers: bearer(token) })).status, 200);

    const response = await fetch(`${server.baseUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await response.text();
    assert.match(text, /openretina_http_request_duration_seconds_count\{method="GET",route="\/cases",status="200"\} [1-9]/);
    assert.match(text, /openretina_intake_bytes_total [1-9]\d*/);
    assert.match(text, /openretina_queue_depth\{kind="previews"\} 1/, 'the new image waits for its preview (no worker runs here)');
    assert.match(text, /openretina_queue_oldest_age_seconds\{kind="previews"\} \d/);
    assert.match(text, /openretina_queue_depth\{kind="callbacks"\} 0/);
    assert.match(text, /openretina_callback_failures\{kind="attempt"\} 0/);
    assert.doesNotMatch(text, /OPS-1/, 'no patient data');
  });
});

describeEachDialect('operations: not ready, and metrics behind a token', (dialect) => {
  let server: TestServer;
  let blocker = '';

  before(async () => {
    // A blob store whose root cannot be created: a file stands where its directory should be.
    blocker = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-notready-')), 'file');
    await fs.writeFile(blocker, 'not a directory');
    server = await startTestServer(dialect, { blobDir: path.join(blocker, 'blobs'), metricsToken: 'metrics-secret-token' });
  });
  after(async () => {
    await server.close();
    await fs.rm(path.dirname(blocker), { recursive: true, force: true });
  });

  it('/readyz answers 503 naming what is missing, while /healthz still answers', async () => {
    const ready = await fetch(`${server.baseUrl}/readyz`);
    assert.equal(ready.status, 503);
    const body = await json<Envelope<string>>(ready);
    assert.equal(body.error?.code, 'not_ready');
    assert.match(body.content, /the blob store/);
    assert.doesNotMatch(body.content, /the database/);
    assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
  });

  it('/metrics needs the token when one is set', async () => {
    assert.equal((await fetch(`${server.baseUrl}/metrics`)).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-same-len' } })).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: 'Bearer metrics-secret-token' } })).status, 200);
  });
});
