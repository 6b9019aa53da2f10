import '../helpers/setup.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureWebBuilt } from '../e2e/browser.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

// Serving static files does not touch the database: one dialect is enough.
describe('the web app at /app/', () => {
  let server: TestServer;
  let unbuilt: TestServer;
  let emptyDir: string;

  before(async () => {
    ensureWebBuilt();
    emptyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-noweb-'));
    [server, unbuilt] = await Promise.all([startTestServer('sqlite'), startTestServer('sqlite', { webDir: emptyDir })]);
  });
  after(async () => {
    await Promise.all([server.close(), unbuilt.close()]);
    await fs.rm(emptyDir, { recursive: true, force: true });
  });

  it('sends / and /app to /app/', async () => {
    for (const url of ['/', '/app']) {
      const response = await fetch(`${server.baseUrl}${url}`, { redirect: 'manual' });
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), '/app/');
    }
  });

  it('answers every app route with index.html, never cached, under a strict CSP', async () => {
    for (const url of ['/app/', '/app/reading/cases/12', '/app/cases/new']) {
      const response = await fetch(`${server.baseUrl}${url}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/);
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.match(await response.text(), /<div id="root"><\/div>/);
    }
  });

  it('serves the hashed assets for a year, and nothing outside the build', async () => {
    const html = await (await fetch(`${server.baseUrl}/app/`)).text();
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    const asset = await fetch(`${server.baseUrl}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    // Read it all: an unread body keeps the connection busy and the server's close waits for it.
    assert.ok((await asset.arrayBuffer()).byteLength > 0);
    assert.equal((await fetch(`${server.baseUrl}/app/assets/missing.js`)).status, 404);
    const escape = await fetch(`${server.baseUrl}/app/assets/..%2f..%2fpackage.json`);
    assert.doesNotMatch(await escape.text(), /"name": "openretina"/, 'no file outside the build');
  });

  it('says how to build it when it is not built', async () => {
    const response = await fetch(`${unbuilt.baseUrl}/app/`);
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: { code: string }; content: string };
    assert.equal(body.error.code, 'web_app_not_built');
    assert.match(body.content, /npm run build:web/);
  });
});
