import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Platform } from '../../platform.js';
import { errorEnvelope } from '../error-mapping.js';

/**
 * The page itself may only load this origin's scripts and styles (inline
 * style attributes are React's), frame only this origin (the report PDF)
 * and be framed by nobody.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names built assets by their content hash: they never change, so browsers may keep them. */
const HASHED_ASSET = /^assets\/[A-Za-z0-9._-]+$/;

/**
 * The web app (web/, built by `npm run build:web` into the configured
 * directory), served at /app/ from the same origin as the API, so the
 * session cookie can be SameSite=Strict. Any other path below /app/ is the
 * app's own route: it gets index.html (the app routes in the browser).
 */
export const webAppRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const root = platform.config.webDir;
  // Encapsulated here: reply.sendFile exists for these routes only.
  await app.register(fastifyStatic, { root, serve: false });

  const sendIndex = (reply: FastifyReply) => {
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      return reply.code(503).send(errorEnvelope('web_app_not_built', `The web app is not built in ${root}: run npm run build:web`));
    }
    return reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .sendFile('index.html', { cacheControl: false });
  };

  const PUBLIC = { audience: 'public' } as const;
  app.get('/', { schema: { hide: true }, config: PUBLIC }, async (_request, reply) => reply.redirect('/app/'));
  app.get('/app', { schema: { hide: true }, config: PUBLIC }, async (_request, reply) => reply.redirect('/app/'));
  app.get('/app/*', { schema: { hide: true }, config: PUBLIC }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (HASHED_ASSET.test(file)) return reply.sendFile(file, { maxAge: '365d', immutable: true });
    return sendIndex(reply);
  });
};
