import { EventEmitter } from 'node:events';
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

/** An answer's body is read to its end (so its connection serves the next callback) up to this many bytes; past it, the connection is closed. */
const ANSWER_BODY_LIMIT = 64 * 1024;

/** An attempt that got no HTTP answer, and why. */
export const notSent = (error: string, durationMs = 0): SendResult => ({ statusCode: null, retryAfter: null, error, durationMs });

/** An attempt that failed before it could be made (a bad URL, a sender that threw). */
export const couldNotSend = (error: unknown): SendResult => notSent(`could not send: ${error instanceof Error ? error.message : String(error)}`);

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
  // One timer for the whole attempt, the wait for a destination and the request; then, for the answer's body.
  // The request is aborted through an EventEmitter: undici takes one as a signal, and an AbortController per
  // callback doubled what a callback cost the client (a throwaway probe: 51 µs of CPU against 31).
  const abort = new EventEmitter();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.emit('abort');
  }, options.timeoutMs);
  const timeoutResult = () => notSent(`timed out after ${options.timeoutMs} ms`, elapsed());
  let destination = options.agents.acquire(url);
  if (destination instanceof Promise) {
    const acquiring = destination;
    const first = await Promise.race([acquiring, new Promise<'timeout'>((resolve) => abort.once('abort', () => resolve('timeout')))]);
    if (first === 'timeout') {
      void acquiring.then((late) => late.ok && late.release());
      return timeoutResult();
    }
    destination = first;
  }
  if (!destination.ok) {
    clearTimeout(timer);
    return notSent(destination.error, elapsed());
  }
  const { pool, release } = destination;
  try {
    const response = await pool.request({
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'openretina-callbacks/1',
        ...headers,
      },
      body,
      signal: abort,
    });
    const status = response.statusCode;
    const header = (name: string): string | undefined => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const retryAfter = header('retry-after') ?? null;
    let error: string | null = null;
    const location = header('location');
    if (status >= 300 && status < 400) error = `redirect not followed (HTTP ${status}${location ? `, Location: ${location.slice(0, 200)}` : ''})`;
    else if (status < 200 || status >= 300) error = `HTTP ${status}`;
    const result: SendResult = { statusCode: status, retryAfter, error, durationMs: elapsed() };
    // The attempt is decided: the destination may be dropped from now on (that would only close the connection
    // under the body below).
    release();
    // The answer's body is not needed: it is read to its end, so the connection can serve the next callback,
    // but only within the time limit and the size above; otherwise the connection is closed.
    void response.body
      .dump({ limit: ANSWER_BODY_LIMIT })
      .catch(() => {})
      .finally(() => clearTimeout(timer));
    return result;
  } catch (error) {
    clearTimeout(timer);
    release();
    if (timedOut) return timeoutResult();
    const failure = error as NodeJS.ErrnoException;
    return notSent(failure.code === 'EADDRNOTALLOWED' ? failure.message : `${failure.code ?? 'error'}: ${failure.message}`.slice(0, 500), elapsed());
  }
}
