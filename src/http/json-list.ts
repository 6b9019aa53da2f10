import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { JSON_BODY } from './content-negotiation.js';

type ItemSchema = { readonly [key: string]: unknown };

/** The shared `Case` schema as the root of a serializer: one object, so Fastify compiles it once per route. */
export const CASE_ITEM: ItemSchema = { $ref: 'Case' };

/**
 * Most characters a chunk of an answer is joined into: at most 96 KB of
 * UTF-8, below the sizes (128 KB) at which V8 and malloc map fresh memory
 * for each string or buffer.
 */
export const CHUNK_CHARACTERS = 32 * 1024;

/**
 * A JSON array's text as pieces: `[`, each item serialised by the route's
 * serializer for `itemSchema` (fast-json-stringify with the shared schemas,
 * as any answer), the commas, `]`. An answer that carries the same array
 * twice (`content` and `cases`) uses the pieces twice.
 */
export function jsonArrayPieces<T extends { [key: string]: unknown }>(reply: FastifyReply, itemSchema: ItemSchema, items: readonly T[]): string[] {
  const serialize = reply.compileSerializationSchema(itemSchema);
  const pieces = ['['];
  items.forEach((item, i) => {
    if (i > 0) pieces.push(',');
    pieces.push(serialize(item));
  });
  pieces.push(']');
  return pieces;
}

/** `pieces` joined in order into as few strings as keep each within `limit` characters (a piece longer than that is a string of its own). */
export function joinIntoChunks(pieces: readonly string[], limit = CHUNK_CHARACTERS): string[] {
  const chunks: string[] = [];
  let pending: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (length + piece.length > limit && pending.length > 0) {
      chunks.push(pending.join(''));
      pending = [];
      length = 0;
    }
    pending.push(piece);
    length += piece.length;
  }
  if (pending.length > 0 || chunks.length === 0) chunks.push(pending.join(''));
  return chunks;
}

/**
 * Answers the JSON text the pieces make, in chunks of at most
 * `CHUNK_CHARACTERS`, with its `Content-Length`.
 *
 * Why: a page of 50 cases is 150 KB of JSON. Made into one string, it cost
 * the list about a millisecond per page on the benchmark machine (a fifth of
 * its main-thread time): fast-json-stringify's text is a rope of many short
 * strings, and flattening it, then encoding it for the socket, each mapped
 * 150 KB of fresh memory (80 page faults per page). Chunks are small strings
 * and buffers, whose memory is reused.
 */
function sendJsonPieces(reply: FastifyReply, pieces: readonly string[]): FastifyReply {
  const chunks = joinIntoChunks(pieces);
  reply.type(JSON_BODY);
  if (chunks.length === 1) return reply.send(chunks[0]);
  let bytes = 0;
  for (const chunk of chunks) bytes += Buffer.byteLength(chunk);
  return reply.header('content-length', bytes).send(Readable.from(chunks));
}

/**
 * A page of a list in its envelope, `{"success":true,"content":[…],"next_cursor":…}`,
 * the keys in the list schemas' order, each item serialised once by
 * `jsonArrayPieces`. `alsoAsCases` repeats the array as `cases` after
 * `content`, as `GET /cases` answers it for the OPTretina SDK.
 */
export function sendListPage(reply: FastifyReply, items: readonly string[], nextCursor: string | null, options: { alsoAsCases?: boolean } = {}): FastifyReply {
  const cases = options.alsoAsCases ? [',"cases":', ...items] : [];
  return sendJsonPieces(reply, ['{"success":true,"content":', ...items, ...cases, `,"next_cursor":${JSON.stringify(nextCursor)}}`]);
}
