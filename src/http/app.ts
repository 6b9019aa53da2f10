import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import type { ErrorObject } from 'ajv';
import { DomainError, type FieldIssue, OAuthError, ValidationError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Platform } from '../platform.js';
import { hashSecret } from '../security/secrets.js';
import { SESSION_COOKIE, authenticationHook } from './authentication.js';
import { auditHook } from './audit.js';
import { validatorCompiler, issuesOfValidation } from './validation.js';
import { buildSerializer, keptValidators } from './compiled-schemas.js';
import { errorEnvelope, mapDomainError } from './error-mapping.js';
import { MAX_URL_LENGTH, clientErrorHandler, closeIdleRequest, frameworkErrors } from './protocol-errors.js';
import { databaseRateLimitStore } from './rate-limit-store.js';
import { redactUrl } from './redaction.js';
import { adminRoutes } from './routes/admin.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { erasureRoutes } from './routes/erasure.routes.js';
import { authorizeRoutes } from './routes/authorize.routes.js';
import { callbacksRoutes } from './routes/callbacks.routes.js';
import { casesRoutes } from './routes/cases.routes.js';
import { centersRoutes } from './routes/centers.routes.js';
import { readingReportsRoutes } from './routes/reading-reports.routes.js';
import { readingRoutes } from './routes/reading.routes.js';
import { sessionRoutes } from './routes/session.routes.js';
import { staffRoutes } from './routes/staff.routes.js';
import { operationsRoutes } from './routes/operations.routes.js';
import { webAppRoutes } from './routes/web-app.routes.js';
import { CaseSchema } from './schemas/cases.js';
import { ErrorEnvelopeSchema, OAuthErrorSchema } from './schemas/common.js';
import { fastifyTrustProxy } from './trust-proxy.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Refusals of this route are RFC 6749 §5.2 bodies (the token endpoint), parse errors included. */
    oauthErrors?: boolean;
  }
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface AppOptions {
  /** A pino logger; by default one at the configured level writing to stdout. */
  readonly logger?: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const RATE_LIMIT_WINDOW_MS = 60_000;

export async function buildApp(platform: Platform, options: AppOptions = {}): Promise<App> {
  const { config } = platform;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: { level: config.logLevel } }),
    // One line per request is written in onResponse, with the URL redacted.
    logController: new LogController({ disableRequestLogging: true }),
    // A client's X-Request-Id is kept when it is sane, so both sides can correlate.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // OPTretina's SDK joins a base URL ending in "/" with "/cases", so it asks
    // for "//cases"; its host took that as "/cases" (RFC 3986 leaves the
    // meaning of an empty segment to the server). Every route here does too.
    routerOptions: { ignoreDuplicateSlashes: true },
    bodyLimit: 1024 * 1024,
    // Slow clients (https://nodejs.org/api/http.html#serverheaderstimeout): the headers, the whole
    // request and any silence during a request each have a limit (README, Settings), so a client that
    // trickles or stalls holds no connection, nor an upload's staged files, for long. Between requests
    // a keep-alive connection waits 72 s (Fastify's default): longer than the 60 s idle timeout of
    // common load balancers, so that they close it first and never send a request into our close.
    http: {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // How often Node looks for requests past those two deadlines; its 30 s would let a 20 s headers timeout run to 50.
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(config.headersTimeoutMs / 10))),
    },
    requestTimeout: config.requestTimeoutMs,
    // Node's `server.timeout`: no byte either way for this long during a request ends it (closeIdleRequest below).
    connectionTimeout: config.idleTimeoutMs,
    return503OnClosing: true,
    clientErrorHandler,
    frameworkErrors,
    schemaController: { compilersFactory: { buildSerializer } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(keptValidators(validatorCompiler));
  app.decorateRequest('principal', null);
  app.decorateRequest('personSession', null);
  app.decorateRequest('auditNote', null);
  // Every route says who may call it: a route without an audience is a programming error, caught at start-up.
  app.addHook('onRoute', (route) => {
    if (route.config?.audience !== undefined) return;
    // The API reference's own pages and files (@fastify/swagger-ui) are public.
    if (route.url.startsWith('/docs')) route.config = { ...route.config, audience: 'public' };
    else throw new Error(`route ${String(route.method)} ${route.url} declares no audience (config.audience)`);
  });
  app.addHook('preValidation', authenticationHook(platform.services, config.legacyTokenTransport));
  app.addSchema(ErrorEnvelopeSchema);
  app.addSchema(OAuthErrorSchema);
  app.addSchema(CaseSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'openretina',
        version: '1.0.0',
        description:
          'Tele-retina screening API, wire-compatible with the OPTretina Web API. Extensions never break an OPTretina client.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Token from POST /authorize' },
          accessTokenQuery: { type: 'apiKey', in: 'query', name: 'access_token', description: 'Legacy (OPTretina SDK)' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'People in the web app: the cookie from POST /auth/login with "cookie": true; POSTs also need X-CSRF-Token',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(cookie);
  await app.register(formbody);
  await app.register(multipart, {
    // One above our own limits: busboy silently truncates at its limit, while
    // ImageStaging refuses with a 413 that names the image. Busboy's limits
    // only guard against what ImageStaging never sees.
    limits: {
      fileSize: config.intake.maxImageBytes + 1,
      files: config.intake.maxImagesPerCase + 1,
      fields: config.intake.maxFields,
      fieldSize: config.intake.maxFieldBytes,
      parts: config.intake.maxFields + config.intake.maxImagesPerCase,
      headerPairs: 100,
    },
  });
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: RATE_LIMIT_WINDOW_MS,
    // Counted in the database, so that API processes sharing it share the limit.
    store: databaseRateLimitStore(platform.services.rateLimits, RATE_LIMIT_WINDOW_MS),
    // Per token when there is one, so clients behind one NAT do not starve each other.
    keyGenerator: (request) => {
      const credential = request.headers.authorization ?? request.cookies[SESSION_COOKIE];
      return credential ? `t:${hashSecret(credential).slice(0, 32)}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Rate limit exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });

  // From app.close() on (SIGTERM in `serve`), every answer closes its connection. Closing the
  // listening socket ends only the idle keep-alive connections; one whose request was under
  // way would stay open for the client to reuse and hold the close up until the client
  // hung up, past the shutdown deadline (exit 1). `Connection: close` tells the client not
  // to reuse it; an answer whose headers left before the close began cannot carry that, so
  // its connection is closed as idle once the answer is out.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', async (request, reply) => {
    // A request that stops arriving (`connectionTimeout` above) is answered 408, not reset without a word.
    request.raw.once('timeout', (socket: Socket) => closeIdleRequest(reply.raw, socket));
    reply.header('x-request-id', request.id);
    if (request.url.length > MAX_URL_LENGTH) {
      return reply.code(414).send(errorEnvelope('uri_too_long', `The URL is longer than ${MAX_URL_LENGTH} characters`));
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    // Responses carry patient data or credentials: never cache them anywhere.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (closing) app.server.closeIdleConnections();
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        client: request.principal?.kind === 'api_client' ? request.principal.apiClientId : undefined,
        user: request.principal?.kind === 'user' ? request.principal.userId : undefined,
      },
      'request',
    );
  });
  // One audit entry per request to a route that declares one (and every refused credential), after the answer has gone.
  app.addHook('onResponse', auditHook(platform.services.audit));

  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      const mapped = mapDomainError(error, { basicAuthUsed: /^basic /i.test(request.headers.authorization ?? '') });
      return reply.code(mapped.status).headers(mapped.headers).send(mapped.body);
    }
    const { status, code, message, fields } = describeFrameworkError(error);
    if (status >= 400 && status < 500 && status !== 429 && request.routeOptions.config?.oauthErrors) {
      // The token endpoint answers what it cannot read (a body it cannot parse, an unusable media type, one too large)
      // as RFC 6749 §5.2 says, a 400 invalid_request, like every other refusal of its own.
      const mapped = mapDomainError(new OAuthError('invalid_request', message));
      return reply.code(mapped.status).headers(mapped.headers).send(mapped.body);
    }
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    if (status === 429) reply.header('retry-after', String(reply.getHeader('retry-after') ?? 60));
    return reply.code(status).send(errorEnvelope(code, message, fields));
  });

  app.setNotFoundHandler((request, reply) => {
    if (!['GET', 'HEAD', 'POST', 'OPTIONS'].includes(request.method)) {
      return reply.code(405).header('allow', 'GET, HEAD, POST').send(errorEnvelope('method_not_allowed', `${request.method} is not allowed`));
    }
    return reply.code(404).send(errorEnvelope('not_found', `No route ${request.method} ${redactUrl(request.url).split('?')[0]}`));
  });

  // First, and not encapsulated: its latency hook observes every route registered after it.
  await app.register(operationsRoutes, { platform });
  await app.register(authorizeRoutes, { platform });
  await app.register(casesRoutes, { platform });
  await app.register(callbacksRoutes, { platform });
  await app.register(centersRoutes, { platform });
  await app.register(sessionRoutes, { platform });
  await app.register(readingRoutes, { platform });
  await app.register(staffRoutes, { platform });
  await app.register(readingReportsRoutes, { platform });
  await app.register(auditRoutes, { platform });
  await app.register(erasureRoutes, { platform });
  await app.register(adminRoutes, { platform });
  await app.register(webAppRoutes, { platform });
  app.get('/openapi.json', { schema: { hide: true }, config: { audience: 'public' } }, async () => app.swagger());

  return app as unknown as App;
}

/** Fastify and plugin errors (parsing, schema validation, limits) into status, code and fields. */
function describeFrameworkError(error: FastifyError): { status: number; code: string; message: string; fields?: FieldIssue[] } {
  if (error.validation) {
    // Issues named and worded like the domain's own, so a person reads the same kind of message either way.
    const refused = new ValidationError(issuesOfValidation(error.validation as ErrorObject[], error.validationContext ?? 'body'));
    return { status: 400, code: refused.code, message: refused.message, fields: [...refused.issues] };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'Unsupported Content-Type for this endpoint' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { status: 413, code: 'payload_too_large', message: error.message };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_PROTO_VIOLATION':
      return { status: 400, code: 'malformed_request', message: error.message };
  }
  if (error.code === 'ENOSPC' || error.code === 'EDQUOT') {
    // The write was refused and what it had written removed (staging and the blob store clean up after themselves).
    return { status: 507, code: 'insufficient_storage', message: 'The server has no room to store this right now; nothing was stored. Try again later.' };
  }
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) return { status, code: 'internal_error', message: 'Internal server error' };
  return { status, code: status === 429 ? 'rate_limited' : 'bad_request', message: error.message };
}
