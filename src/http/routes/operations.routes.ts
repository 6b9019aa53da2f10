import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyPlugin from 'fastify-plugin';
import ipaddr from 'ipaddr.js';
import { Type } from 'typebox';
import type { Platform } from '../../platform.js';
import { OperationsRepository } from '../../storage/repositories/operations.repository.js';
import { errorEnvelope } from '../error-mapping.js';
import { Metrics } from '../metrics.js';
import { closed, successEnvelope } from '../schemas/common.js';

// Probes and scrapes are not rate-limited: a load balancer polling from one address
// must never read a 429 as "down", and a probe must not write the shared counter.
const PUBLIC = { audience: 'public', rateLimit: false } as const;

const ReadinessSchema = closed({
  database: Type.Union([Type.Literal('ok'), Type.String()], { description: '"ok", or why it is not' }),
  blob_store: Type.Union([Type.Literal('ok'), Type.String()], { description: '"ok", or why it is not' }),
});

/** Whether the caller may read the metrics: with the metrics token when one is set, else from this machine only. */
function mayReadMetrics(token: string | null, authorization: string | undefined, ip: string): boolean {
  if (token !== null) {
    const given = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  try {
    return ipaddr.process(ip).range() === 'loopback';
  } catch {
    return false;
  }
}

/**
 * For operators and load balancers: `/healthz` (the process answers),
 * `/readyz` (it can do its work: the database answers and the blob store takes
 * writes; 503 otherwise, so a balancer sends requests elsewhere), `/metrics`
 * (Prometheus). Request latency is observed for every route.
 */
const operationsPlugin: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const operations = new OperationsRepository();
  const { db } = platform.database;
  const metrics = new Metrics({
    queues: () => operations.queues(db),
    callbackFailures: () => operations.callbackFailures(db),
    housekeepingFailures: () => platform.housekeeping.failureCounts(),
    now: () => new Date(),
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestSeconds.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (request.method === 'POST' && reply.statusCode < 300 && /^\/(staff\/)?cases(\/:id\/images)?$/.test(route)) {
      metrics.intakeBytes.inc(Number(request.headers['content-length'] ?? 0) || 0);
    }
  });

  // `/health` is the older name, kept for probes configured with it (undocumented).
  for (const path of ['/healthz', '/health']) {
    app.get(
      path,
      {
        schema: { summary: 'The process is alive', tags: ['operations'], hide: path === '/health', response: { 200: successEnvelope(Type.Literal('ok')) } },
        config: PUBLIC,
      },
      async () => ({ success: true as const, content: 'ok' as const }),
    );
  }

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'The process can do its work: database and blob store reachable',
        tags: ['operations'],
        response: { 200: successEnvelope(ReadinessSchema), 503: Type.Ref('ErrorEnvelope') },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 200);
      const [database, blobStore] = await Promise.all([
        operations.ping(db).then(() => 'ok', reason),
        platform.blobs.checkWritable().then(() => 'ok', reason),
      ]);
      if (database !== 'ok' || blobStore !== 'ok') {
        const failing = [database !== 'ok' && 'the database', blobStore !== 'ok' && 'the blob store'].filter(Boolean).join(' and ');
        return reply.code(503).send(errorEnvelope('not_ready', `Not ready: ${failing} cannot be reached`));
      }
      return { success: true as const, content: { database, blob_store: blobStore } };
    },
  );

  app.get('/metrics', { schema: { hide: true }, config: PUBLIC }, async (request, reply) => {
    if (!mayReadMetrics(platform.config.metricsToken, request.headers.authorization, request.ip)) {
      return reply.code(404).send(errorEnvelope('not_found', 'No route GET /metrics'));
    }
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};

/** Not encapsulated (fastify-plugin): the latency hook must see every route of the app, not only these. */
export const operationsRoutes = fastifyPlugin(operationsPlugin, { name: 'openretina-operations' });
