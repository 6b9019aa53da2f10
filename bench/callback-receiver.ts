/**
 * The clinic's callback endpoint of the callbacks figure, in a process of its
 * own so neither sender shares its event loop: answers every POST 204 at once
 * and counts them, stamping the first and the last on the machine's monotonic
 * clock (µs). `GET /stats` tells them; `POST /reset` starts again.
 *
 *   RECEIVER_PORT=<port> node --import tsx bench/callback-receiver.ts
 */
import http from 'node:http';

const port = Number(process.env.RECEIVER_PORT ?? '0');
let count = 0;
let first = 0;
let last = 0;
let bytes = 0;

const now = (): number => Number(process.hrtime.bigint() / 1000n);

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ count, first, last, bytes }));
    return;
  }
  if (request.url === '/reset') {
    count = 0;
    first = 0;
    last = 0;
    bytes = 0;
    response.writeHead(204).end();
    return;
  }
  request.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  request.on('end', () => {
    const t = now();
    if (count === 0) first = t;
    last = t;
    count++;
    response.writeHead(204).end();
  });
});
server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`callback-receiver listening on http://127.0.0.1:${port}\n`));
const shutdown = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
