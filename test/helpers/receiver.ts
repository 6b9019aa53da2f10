import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/** How the receiver answers one request: a status and headers (once `after` settles, when given), or 'hang' (never answers). */
export type Answer = { status: number; headers?: Record<string, string>; after?: Promise<unknown> } | 'hang';

/** A clinic's callback endpoint on 127.0.0.1 that records what it gets and answers as told. */
export interface Receiver {
  readonly url: string;
  readonly received: ReceivedCallback[];
  /** Answers for the next requests, in order; afterwards `fallback`. */
  answers: Answer[];
  fallback: Answer;
  /** Resolves when `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
  close(): Promise<void>;
}

/** `now` stamps each request's `at`: the platform's clock when the test moves it. */
export async function startReceiver(options: { now?: () => number } = {}): Promise<Receiver> {
  const now = options.now ?? Date.now;
  const received: ReceivedCallback[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: '',
    received,
    answers: [],
    fallback: { status: 204 },
    waitFor(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${count} callbacks in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(received.slice()); } });
      });
    },
    close: async () => {
      for (const response of hanging) response.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: now() });
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const answer = receiver.answers.shift() ?? receiver.fallback;
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      const reply = () => {
        response.writeHead(answer.status, answer.headers);
        response.end('ok');
      };
      if (answer.after) void answer.after.finally(reply);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, { url: `http://127.0.0.1:${port}` });
}
