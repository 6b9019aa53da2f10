import http, { type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './error-mapping.js';

/**
 * Refusals that happen before a route runs, in the same envelope as every
 * other answer: Node's HTTP parser (headers too large, a malformed request
 * line, a client too slow to send its headers) and Fastify's router (a path
 * it cannot decode, a path parameter over its length limit).
 */

/** The longest URL we read; a longer one is refused with 414 before anything else (RFC 9110 §15.5.15). */
export const MAX_URL_LENGTH = 8192;

/** Our code for a request that fell silent mid-way (Node has none: it resets such a connection). */
const IDLE_TIMEOUT = 'OPENRETINA_IDLE_TIMEOUT';

const PARSER_ERRORS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers_too_large', message: 'The request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'The request was not received in time' },
  ERR_HTTP_HEADERS_TIMEOUT: { status: 408, code: 'request_timeout', message: 'The request headers were not received in time' },
  [IDLE_TIMEOUT]: { status: 408, code: 'request_timeout', message: 'The rest of the request stopped arriving' },
};

/** Fastify's `clientErrorHandler`: answers what Node's parser refused, then closes the connection. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = error.code === undefined ? undefined : PARSER_ERRORS[error.code];
  const { status, code, message } = known ?? { status: 400, code: 'malformed_request', message: 'The request is not well-formed HTTP' };
  const body = JSON.stringify(errorEnvelope(code, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * A request whose bytes stopped coming for the idle timeout (Node's `timeout` event of a request not
 * yet received whole). Left alone, Node would reset the connection without a word: answer 408 like
 * the other timeouts, unless an answer has begun, and close. The route reading the body then fails,
 * and what it had staged is removed.
 */
export function closeIdleRequest(response: ServerResponse, socket: Socket): void {
  if (response.headersSent) socket.destroy();
  else clientErrorHandler(Object.assign(new Error('no bytes arrived within the idle timeout'), { code: IDLE_TIMEOUT }), socket);
}

/** Fastify's `frameworkErrors`: a URL the router cannot decode, or a path parameter longer than it keeps. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(414).send(errorEnvelope('uri_too_long', 'A part of the URL path is too long'));
    return;
  }
  void reply.code(400).send(errorEnvelope('malformed_request', 'The URL is not well-formed (a bad percent-encoding?)'));
}
