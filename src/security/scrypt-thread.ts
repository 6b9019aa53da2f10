/**
 * The body of a password-hash thread (password-hash-pool.ts): scrypt runs
 * here synchronously, on this thread, never on libuv's thread pool, which
 * file I/O needs. One request at a time, answered in order.
 */
import { scryptSync } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { ScryptReply, ScryptRequest } from './password-hash-pool.js';

if (!parentPort) throw new Error('scrypt-thread runs only as a worker thread');
const port = parentPort;

port.on('message', (request: ScryptRequest) => {
  let reply: ScryptReply;
  try {
    const { password, salt, keylen, N, r, p, maxmem } = request;
    reply = { key: scryptSync(password, salt, keylen, { N, r, p, maxmem }) };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
