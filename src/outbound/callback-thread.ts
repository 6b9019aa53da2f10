/**
 * The callback sender's thread (callback-sender-thread.ts): POSTs what the
 * main thread hands over, `concurrency` at most at once and in the order
 * handed over, through its own keep-alive pools, and answers with each
 * attempt's outcome. Its imports (undici among them) are loaded before it
 * takes the first request, so no attempt's time limit runs while the HTTP
 * client loads; what the main thread posts meanwhile waits in the port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseAllowList } from '../domain/callback-target.js';
import { CallbackAgents } from './callback-agents.js';
import { couldNotSend, postCallback, type SendResult } from './callback-sender.js';
import type { SendReply, SendRequest, SenderThreadData } from './callback-sender-thread.js';

const port = parentPort!;
const data = workerData as SenderThreadData;
const agents = new CallbackAgents({ allow: parseAllowList(data.allow).allow, maxSocketsPerDestination: data.concurrency });

let replies: SendReply[] = [];
const flush = (): void => {
  const batch = replies;
  replies = [];
  port.postMessage(batch);
};

async function send(request: SendRequest): Promise<SendResult> {
  try {
    return await postCallback(new URL(request.url), request.body, request.headers, { timeoutMs: request.timeoutMs, agents });
  } catch (error) {
    return couldNotSend(error);
  }
}

/** Handed over, not yet begun: begun in order, `concurrency` at most at once. */
const queued: SendRequest[] = [];
let inFlight = 0;

function next(): void {
  while (inFlight < data.concurrency && queued.length > 0) {
    const request = queued.shift()!;
    inFlight++;
    void send(request).then((result) => {
      inFlight--;
      // The next one begins at once, without waiting for the main thread.
      next();
      // The answers that come in one turn of this thread's loop cross back in one message.
      if (replies.length === 0) setImmediate(flush);
      replies.push([request.id, result]);
    });
  }
}

port.on('message', (requests: readonly SendRequest[]) => {
  queued.push(...requests);
  next();
});
