import '../helpers/setup.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { buildApp } from '../../src/http/app.js';
import { openPlatform } from '../../src/platform.js';
import { testConfig } from '../helpers/config.js';
import { type TestDatabase, createTestDatabase, describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type OpenretinaProcess, spawnOpenretina } from '../helpers/process.js';

/** What the upload under way may take after the signal; past it the process exits 1 and the test fails. */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * SIGTERM while an upload is half sent: the server stops taking connections,
 * lets the upload finish and answer 201, then exits 0; the case is stored whole.
 * The upload comes over a keep-alive connection that the client would keep
 * open indefinitely: the server closes it once the answer is out, rather than
 * wait for it until the shutdown deadline and exit 1.
 * Each step waits for the one before (no sleeps): the server has read the
 * upload's head (its 100 Continue) before the signal, it has logged the
 * signal before a new connection is tried, and the rest of the body goes
 * only once that connection was refused.
 */
describeEachDialect('graceful shutdown on SIGTERM', (dialect) => {
  let database: TestDatabase;
  let server: OpenretinaProcess;
  let token = '';
  let image: Buffer;
  // Node's global agent closes an idle socket after 5 s: a client that never does.
  const agent = new http.Agent({ keepAlive: true });

  before(async () => {
    database = await createTestDatabase(dialect);
    const platform = await openPlatform(testConfig(database));
    const seeded = await platform.services.admin.seedDemoIfEmpty();
    await platform.close();
    assert.ok(seeded);
    [server, image] = await Promise.all([
      spawnOpenretina(database, 'serve', { OPENRETINA_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) }),
      makeImage('jpeg', 800, 600),
    ]);
    const answer = await fetch(`${server.baseUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: seeded.client.clientId, client_secret: seeded.client.clientSecret, grant_type: 'client_credentials' }),
    });
    token = ((await answer.json()) as { access_token: string }).access_token;
  });
  after(async () => {
    agent.destroy();
    await server?.kill('SIGKILL');
    await database?.drop();
  });

  it('finishes the upload under way, refuses new connections, closes the kept-alive connection and exits 0', async () => {
    const boundary = 'graceful';
    const head = Buffer.from(
      ['history_number', 'age', 'gender'].map((name, i) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${['GS-1', '60', '1'][i]}\r\n`).join('') +
        `--${boundary}\r\nContent-Disposition: form-data; name="images[]"; filename="od.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = Buffer.concat([head, image, tail]);
    const url = new URL(server.baseUrl);
    let exited: Promise<void> = Promise.resolve();
    let sendTheRest = () => {};
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/cases',
          headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length, expect: '100-continue' },
        },
        (response) => {
          let text = '';
          response.on('data', (c: Buffer) => (text += c.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      // The server has read the head: the request is under way. Half the body now, the rest after the signal.
      request.once('continue', () => {
        const half = Math.floor(body.length / 2);
        request.write(body.subarray(0, half), () => {
          exited = server.kill('SIGTERM');
        });
        sendTheRest = () => request.end(body.subarray(half));
      });
      request.flushHeaders();
    });
    await server.waitFor(/shutting down/, 10_000);
    // The listening socket is closed: a new connection is refused while the upload is still under way.
    // The line is logged just before the close begins, so the first try may still come in ahead of it.
    let refused = false;
    for (let attempt = 0; attempt < 50 && !refused; attempt++) {
      refused = await fetch(`${server.baseUrl}/healthz`).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(refused, 'no new connections after SIGTERM');
    sendTheRest();
    const result = await answered;
    assert.equal(result.status, 201, result.body);
    await exited;
    assert.equal(server.process.exitCode, 0, server.output());

    // What the next process would find: the stored case, read through the app on the same database and blobs.
    const platform = await openPlatform(testConfig(database));
    const app = await buildApp(platform);
    try {
      const caseId = (JSON.parse(result.body) as { content: number }).content;
      const stored = (await app.inject({ method: 'GET', url: `/cases/${caseId}`, headers: { authorization: `Bearer ${token}` } })).json<{
        content: { images: { size: number }[] };
      }>();
      assert.deepEqual(stored.content.images.map((i) => i.size), [image.length], 'the case and its image are stored whole');
    } finally {
      await app.close();
      await platform.close();
    }
  });
});
