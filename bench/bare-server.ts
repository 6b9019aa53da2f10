/**
 * The baseline of the intake benchmark: a bare `node:http` server that does
 * nothing but stream each request body to a new file and answer 201 with a
 * small JSON. No parsing, no hashing, no database, no fsync (unless
 * BARE_FSYNC=1). Started as a child process by `bench/intake.bench.ts`:
 *
 *   BARE_PORT=<port> BARE_DIR=<dir> node --import tsx bench/bare-server.ts
 *
 * BARE_CPU_NS_PER_BYTE=<ns> makes it spin that long on its event loop for
 * every byte of a body as the byte arrives: the calibration of
 * `bench:intake --calibrate`, which gives it the main-thread CPU per request
 * our server spends beyond it, and nothing else of ours.
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
const cpuNsPerByte = Number(process.env.BARE_CPU_NS_PER_BYTE ?? '0');
if (dir === undefined || dir === '') {
  process.stderr.write('BARE_DIR is required\n');
  process.exit(2);
}
await fs.mkdir(dir, { recursive: true });

let counter = 0;

/** Busy on the event loop, as parsing and handling the bytes would be. */
function spin(bytes: number): void {
  const until = performance.now() + (bytes * cpuNsPerByte) / 1e6;
  while (performance.now() < until);
}

const server = http.createServer((request, response) => {
  const id = ++counter;
  const file = path.join(dir, `${process.pid}-${id}.body`);
  if (cpuNsPerByte > 0) request.on('data', (chunk: Buffer) => spin(chunk.length));
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
  const spinning = cpuNsPerByte > 0 ? ` (spinning ${cpuNsPerByte.toFixed(3)} ns per body byte)` : '';
  process.stdout.write(`bare-server listening on http://${host}:${actual}${fsync ? ' (fsync)' : ''}${spinning}\n`);
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
