/**
 * The baseline of the intake benchmark: a bare `node:http` server that does
 * nothing but stream each request body to a new file and answer 201 with a
 * small JSON. No parsing, no hashing, no database, no fsync (unless
 * BARE_FSYNC=1). Started as a child process by `bench/intake.bench.ts`:
 *
 *   BARE_PORT=<port> BARE_DIR=<dir> node --import tsx bench/bare-server.ts
 *
 * Prints `bare-server listening on http://host:port` when ready; exits on
 * SIGINT/SIGTERM (so `--cpu-prof` can write its profile).
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const host = process.env.BARE_HOST ?? '127.0.0.1';
const port = Number(process.env.BARE_PORT ?? '0');
const dir = process.env.BARE_DIR;
const fsync = process.env.BARE_FSYNC === '1';
if (dir === undefined || dir === '') {
  process.stderr.write('BARE_DIR is required\n');
  process.exit(2);
}
await fs.mkdir(dir, { recursive: true });

let counter = 0;

const server = http.createServer((request, response) => {
  const id = ++counter;
  const file = path.join(dir, `${process.pid}-${id}.body`);
  pipeline(request, createWriteStream(file, { flags: 'wx', flush: fsync })).then(
    () => {
      const body = JSON.stringify({ success: true, content: id });
      response.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    },
    (error: unknown) => {
      process.stderr.write(`bare-server: request ${id} failed: ${String(error)}\n`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      response.end('{"success":false}');
    },
  );
});
// Same keep-alive horizon as Fastify's default, so idle sockets of the load generator survive between phases.
server.keepAliveTimeout = 72_000;

server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`bare-server listening on http://${host}:${actual}${fsync ? ' (fsync)' : ''}\n`);
});

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
