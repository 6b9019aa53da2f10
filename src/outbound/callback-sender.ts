import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { checkAddress } from '../domain/callback-target.js';
import type { CallbackAgents } from './callback-agents.js';

export interface SendResult {
  /** Null when no HTTP answer came. */
  readonly statusCode: number | null;
  readonly retryAfter: string | null;
  readonly error: string | null;
  readonly durationMs: number;
}

export interface SendOptions {
  readonly timeoutMs: number;
  /** The keep-alive connections, whose every new connection is checked against the callback rules. */
  readonly agents: CallbackAgents;
}

const notSent = (error: string, durationMs: number): SendResult => ({ statusCode: null, retryAfter: null, error, durationMs });

/**
 * POSTs one callback. No redirects are followed (a 3xx is a failed attempt:
 * following it would let a receiver point the server anywhere), connections
 * are reused per destination (`CallbackAgents`: every new one is resolved
 * and checked), and the whole attempt, resolution and connection included,
 * has one time limit.
 */
export async function postCallback(url: URL, body: string, headers: Readonly<Record<string, string>>, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // One timer for the whole attempt (a callback is sent thousands of times a minute in a burst): what it
  // ends depends on how far the attempt got, first the wait for a destination, then the request.
  let onDeadline: () => void = () => {};
  const timer = setTimeout(() => onDeadline(), options.timeoutMs);
  const timedOut = () => notSent(`timed out after ${options.timeoutMs} ms`, elapsed());
  let destination = options.agents.acquire(url);
  if (destination instanceof Promise) {
    const acquiring = destination;
    const first = await Promise.race([acquiring, new Promise<'timeout'>((resolve) => (onDeadline = () => resolve('timeout')))]);
    if (first === 'timeout') {
      void acquiring.then((late) => late.ok && late.release());
      return timedOut();
    }
    destination = first;
  }
  if (!destination.ok) {
    clearTimeout(timer);
    return notSent(destination.error, elapsed());
  }
  const { agent, pinned, release } = destination;

  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, durationMs: elapsed() });
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'openretina-callbacks/1',
        ...headers,
      },
    });
    // Once the request is over, whichever way, its time limit is too.
    request.once('close', () => {
      clearTimeout(timer);
      release();
    });
    onDeadline = () => {
      finish({ statusCode: null, retryAfter: null, error: `timed out after ${options.timeoutMs} ms` });
      request.destroy();
    };
    request.on('socket', (socket: Socket) => {
      // The last guard, on each new connection: whatever path led here, the peer must be allowed.
      // A reused connection was checked when it opened.
      if (pinned === null || !socket.connecting) return;
      socket.once('connect', () => {
        const peer = socket.remoteAddress;
        if (peer !== undefined && !checkAddress(peer, options.agents.allow).ok) {
          finish({ statusCode: null, retryAfter: null, error: `address not allowed: connected to ${peer}` });
          request.destroy();
        }
      });
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? null;
      const retryAfter = typeof response.headers['retry-after'] === 'string' ? response.headers['retry-after'] : null;
      let error: string | null = null;
      if (status !== null && status >= 300 && status < 400) error = `redirect not followed (HTTP ${status}${response.headers.location ? `, Location: ${response.headers.location.slice(0, 200)}` : ''})`;
      else if (status !== null && (status < 200 || status >= 300)) error = `HTTP ${status}`;
      finish({ statusCode: status, retryAfter, error });
      // The answer's body is not needed; it is read to its end, so the connection can serve the next
      // callback, but only until the time limit: a receiver that keeps writing loses the connection.
      onDeadline = () => request.destroy();
      response.once('end', () => clearTimeout(timer));
      response.resume();
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({ statusCode: null, retryAfter: null, error: error.code === 'EADDRNOTALLOWED' ? error.message : `${error.code ?? 'error'}: ${error.message}`.slice(0, 500) });
    });
    request.end(body);
  });
}
