import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import { type CallbackAllowList, checkAddress, hostOf } from '../domain/callback-target.js';

export interface SendResult {
  /** Null when no HTTP answer came. */
  readonly statusCode: number | null;
  readonly retryAfter: string | null;
  readonly error: string | null;
  readonly durationMs: number;
}

export interface SendOptions {
  readonly timeoutMs: number;
  readonly allow: CallbackAllowList;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Resolves like `dns.lookup` but hands the socket only addresses that pass
 * the callback rules, so the address checked is the address connected to:
 * a name that answers a public address to a check and a private one to the
 * connection (DNS rebinding) has no window in between.
 */
function pinnedLookup(allow: CallbackAllowList) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const permitted = addresses.filter((a) => checkAddress(a.address, allow).ok);
      if (permitted.length === 0) {
        const refused = addresses.map((a) => a.address).join(', ');
        return callback(Object.assign(new Error(`address not allowed: ${hostname} resolves to ${refused}`), { code: 'EADDRNOTALLOWED' }), []);
      }
      if (options.all) return callback(null, permitted);
      callback(null, permitted[0]!.address, permitted[0]!.family);
    });
  };
}

/**
 * POSTs one callback. No redirects are followed (a 3xx is a failed attempt:
 * following it would let a receiver point the server anywhere), no
 * connection is reused (every attempt resolves and checks afresh), and the
 * whole attempt, connection included, has one time limit.
 */
export function postCallback(url: URL, body: string, headers: Readonly<Record<string, string>>, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const host = hostOf(url);
  const hostAllowlisted = options.allow.hosts.has(host);
  if (!hostAllowlisted && ipaddr.isValid(host)) {
    const check = checkAddress(host, options.allow);
    if (!check.ok) return Promise.resolve({ statusCode: null, retryAfter: null, error: `address not allowed: ${check.message}`, durationMs: 0 });
  }

  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'openretina-callbacks/1',
        ...headers,
      },
      ...(hostAllowlisted ? {} : { lookup: pinnedLookup(options.allow) }),
    });
    const timer = setTimeout(() => {
      finish({ statusCode: null, retryAfter: null, error: `timed out after ${options.timeoutMs} ms` });
      request.destroy();
    }, options.timeoutMs);
    request.on('socket', (socket: Socket) => {
      // The last guard: whatever path led here, the peer must be allowed.
      socket.once('connect', () => {
        const peer = socket.remoteAddress;
        if (!hostAllowlisted && peer !== undefined && !checkAddress(peer, options.allow).ok) {
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
      // The answer's body is not needed; read what comes until the time limit so the receiver is not cut off mid-write.
      response.resume();
      response.once('end', () => request.destroy());
      setTimeout(() => request.destroy(), Math.max(0, options.timeoutMs - elapsed())).unref();
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({ statusCode: null, retryAfter: null, error: error.code === 'EADDRNOTALLOWED' ? error.message : `${error.code ?? 'error'}: ${error.message}`.slice(0, 500) });
    });
    request.end(body);
  });
}
