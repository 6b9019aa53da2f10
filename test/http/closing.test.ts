import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestServer, startTestServer } from '../helpers/server.js';

/** Larger than what the loopback's socket buffers hold, so the answer is still going out while the client does not read. */
const ASSET_BYTES = 32 * 1024 * 1024;

/**
 * app.close() (SIGTERM in `serve`, tested with a real process in
 * test/process/graceful-shutdown) while an answer is half sent on a keep-alive
 * connection: its headers left before the close began, so they could not say
 * `Connection: close`. The answer is finished, then the connection closed, and
 * the close completes, rather than wait for the client to hang up.
 * About HTTP connections only: on SQLite alone.
 */
describe('closing the app with an answer under way on a keep-alive connection', () => {
  let server: TestServer;
  let webDir: string;

  before(async () => {
    webDir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-closing-'));
    await fs.mkdir(path.join(webDir, 'assets'));
    const asset = path.join(webDir, 'assets', 'large.js');
    await fs.writeFile(asset, '');
    // Sparse: no time spent writing 32 MB of zeros.
    await fs.truncate(asset, ASSET_BYTES);
    server = await startTestServer('sqlite', { webDir });
  });
  after(async () => {
    await server.platform.close();
    await server.database.drop();
    await fs.rm(webDir, { recursive: true, force: true });
  });

  it('finishes the answer, then closes the connection, and the close completes', { timeout: 60_000 }, async () => {
    const url = new URL(server.baseUrl);
    const socket = net.connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    socket.write(`GET /app/assets/large.js HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`);
    const chunks: Buffer[] = [];
    let received = 0;
    let headersSeen = false;
    const headersIn = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (!headersSeen && Buffer.concat(chunks).includes('\r\n\r\n')) {
          headersSeen = true;
          resolve();
        }
      });
    });
    const closed = once(socket, 'close');
    await headersIn;
    // The client stops reading: the server's writes back up with most of the answer unsent.
    socket.pause();

    const appClosed = server.app.close();
    // Reading again only once the close is under way (the listening socket closed).
    while (server.app.server.listening) await new Promise((resolve) => setTimeout(resolve, 10));
    socket.resume();
    await closed;
    await appClosed;

    const text = Buffer.concat(chunks);
    const headEnd = text.indexOf('\r\n\r\n');
    const head = text.subarray(0, headEnd).toString('latin1');
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.match(head, /\r\nconnection: keep-alive\r\n/i, 'the headers promised to keep the connection');
    assert.equal(received - headEnd - 4, ASSET_BYTES, 'the whole answer arrived before the connection closed');
  });
});
