/**
 * The baseline of the read and list figures: a bare Fastify (the same
 * version as ours, no plugins, no logger) whose routes return a fixed JSON
 * document, parsed once at start and serialised by Fastify on every request
 * as ours is. No authentication, no database, no audit.
 *
 *   BARE_PORT=<port> BARE_BODY_FILE=<json> node --import tsx bench/bare-fastify.ts
 *
 * With BARE_CONTENT_TYPE (e.g. application/pdf) the file's bytes are sent
 * as they are, read once at start, instead.
 *
 * Serves the document at every GET path (`/cases/:id`, `/cases`, …); prints
 * `bare-fastify listening on …` when ready; exits on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.env.BARE_PORT ?? '0');
const file = process.env.BARE_BODY_FILE;
if (file === undefined || file === '') {
  process.stderr.write('BARE_BODY_FILE is required\n');
  process.exit(2);
}
const contentType = process.env.BARE_CONTENT_TYPE;
const bytes = readFileSync(file);
const document: unknown = contentType === undefined ? JSON.parse(bytes.toString('utf8')) : null;

const app = Fastify({ logger: false });
app.get('/*', async (_request, reply) => (contentType === undefined ? document : reply.type(contentType).send(bytes)));
await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`bare-fastify listening on http://127.0.0.1:${port}\n`);

const shutdown = (): void => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(0),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
