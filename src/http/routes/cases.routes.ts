import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Case } from '../../domain/case.js';
import { AuthenticationError } from '../../domain/errors.js';
import type { ClientPrincipal } from '../../domain/principal.js';
import type { Platform } from '../../platform.js';
import type { RawFields } from '../../services/case.service.js';
import type { ImageStaging } from '../../media/image-staging.js';
import { authenticateFormToken, clientOf } from '../authentication.js';
import { noteAudit } from '../audit.js';
import { presentCase } from '../presenters.js';
import { JSON_BODY } from '../content-negotiation.js';
import { CASE_ITEM, jsonArrayPieces, sendListPage } from '../json-list.js';
import { caseIntakeHandlers, parseCaseId } from '../case-intake.js';
import { dicomRouteSchema, sendDicom } from '../dicom-reply.js';
import { fieldsFromBody, readMultipartForm } from '../multipart-form.js';
import { ReportFormatQuerySchema, ReportNotModifiedSchema, ReportResponseSchema, sendReportPdf } from '../report-reply.js';
import {
  AddImagesBodySchema,
  CaseIdParamsSchema,
  CreateCaseBodySchema,
  CreateCaseQuerySchema,
  CreatedCaseSchema,
  WaitForChecksHeaderSchema,
  ListCasesQuerySchema,
} from '../schemas/cases.js';
import { BEARER_SECURITY, COMMON_ERRORS, errorRef, successEnvelope } from '../schemas/common.js';

const contractCase = (c: Case) => presentCase(c, `/cases/report/${c.id}`);
const API_CLIENTS = { audience: 'api_client' } as const;

/**
 * `GET /cases/{id}`'s JSON for each case object the service answered with.
 * The service answers the very same object while the case is unchanged
 * (services/case-read-cache.ts), so a case polled again is not presented and
 * serialised again; a changed case is a new object, and a case object no
 * longer kept anywhere takes its JSON with it.
 */
const caseBodies = new WeakMap<Case, string>();

export const casesRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { cases, auth } = platform.services;
  const legacy = platform.config.legacyTokenTransport;

  /**
   * Reads the fields and streams the images of a form. The authentication
   * hook has found the token in the header, query or urlencoded body; a
   * multipart form may carry it as a field instead (OPTretina SDK), which
   * must come before the first file: the token is checked there, before a
   * byte of any image is read, and a file with no token before it is a 401
   * at once. Staged images are discarded when anything fails.
   */
  const readForm = async (request: FastifyRequest, staging: ImageStaging): Promise<{ principal: ClientPrincipal; fields: RawFields }> => {
    try {
      if (!request.isMultipart()) return { principal: clientOf(request), fields: fieldsFromBody(request.body) };
      const fields = await readMultipartForm(request, staging, {
        beforeFirstFile: async (soFar) => {
          if (request.principal === null && soFar.access_token === undefined) {
            throw new AuthenticationError('missing', 'Authentication required: send the access token before the files (or as "Authorization: Bearer <token>")');
          }
          await authenticateFormToken(auth, request, legacy, soFar.access_token);
        },
      });
      return { principal: await authenticateFormToken(auth, request, legacy, fields.access_token), fields };
    } catch (error) {
      await staging.discard();
      throw error;
    }
  };
  const intake = caseIntakeHandlers(cases, readForm, (id) => `/cases/${id}`, { maxWaitMs: platform.config.checks.maxWaitMs });

  app.post(
    '/cases',
    {
      schema: {
        summary: 'Create a case',
        description:
          'multipart/form-data with the intake fields and the images (`images[]` or `images`), in the active center. ' +
          'An `Idempotency-Key` header makes retries safe: the same key and request return the first answer; the same key with another request is a 422; while the first is still running, a 409. ' +
          '`wait_for_checks` (query) or `Wait-For-Checks` (header), an extension, makes the 201 wait a little for the automatic checks of the images and carry them in `images`.',
        tags: ['cases'],
        consumes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ maxLength: 255, description: 'Client-chosen unique key for safe retries' })),
          'wait-for-checks': WaitForChecksHeaderSchema,
        }),
        querystring: CreateCaseQuerySchema,
        body: CreateCaseBodySchema,
        security: BEARER_SECURITY,
        response: {
          201: CreatedCaseSchema,
          ...COMMON_ERRORS,
          409: errorRef,
          413: errorRef,
          415: errorRef,
          422: errorRef,
        },
      },
      attachValidation: true, // the body is read as a stream below and validated by the domain
      config: { ...API_CLIENTS, audit: { action: 'case.create' } },
    },
    (request, reply) => intake.create(request, reply),
  );

  app.post(
    '/cases/:id/images',
    {
      schema: {
        summary: 'Add images to a pending case',
        tags: ['cases'],
        consumes: ['multipart/form-data'],
        params: CaseIdParamsSchema,
        body: AddImagesBodySchema,
        security: BEARER_SECURITY,
        response: { 200: successEnvelope(Type.Integer({ description: 'The case id' })), ...COMMON_ERRORS, 404: errorRef, 409: errorRef, 413: errorRef, 415: errorRef, 422: errorRef },
      },
      attachValidation: true,
      config: { ...API_CLIENTS, audit: { action: 'case.images.add', object: 'case' } },
    },
    (request) => intake.addImages(request, request.params.id),
  );

  app.get(
    '/cases',
    {
      schema: {
        summary: 'List the cases of the active center',
        description: 'Newest first. `next_cursor` (extension) and a `Link: rel="next"` header lead to the next page.',
        tags: ['cases'],
        querystring: ListCasesQuerySchema,
        security: BEARER_SECURITY,
        response: {
          200: Type.Object({
            success: Type.Literal(true),
            content: Type.Array(Type.Ref('Case')),
            cases: Type.Array(Type.Ref('Case'), { description: 'The same array as content: the OPTretina SDK example reads $response->cases' }),
            next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Extension: cursor of the next page, null on the last' }),
          }),
          ...COMMON_ERRORS,
        },
      },
      config: { ...API_CLIENTS, audit: { action: 'case.list' } },
    },
    async (request, reply) => {
      const principal = clientOf(request);
      noteAudit(request, { centerId: principal.activeCenterId, object: { kind: 'center', id: principal.activeCenterId } });
      const { status, updated_since, cursor, limit } = request.query;
      const page = await cases.listCases(principal, {
        status,
        updatedSince: updated_since === undefined ? undefined : new Date(updated_since).toISOString(),
        cursor,
        limit,
      });
      if (page.nextCursor) {
        const next = new URLSearchParams();
        if (status) next.set('status', status);
        if (updated_since) next.set('updated_since', updated_since);
        if (limit) next.set('limit', String(limit));
        next.set('cursor', page.nextCursor);
        reply.header('link', `</cases?${next.toString()}>; rel="next"`);
      }
      return sendListPage(reply, jsonArrayPieces(reply, CASE_ITEM, page.cases.map(contractCase)), page.nextCursor, { alsoAsCases: true });
    },
  );

  app.get(
    '/cases/:id',
    {
      schema: {
        summary: 'Get one case',
        tags: ['cases'],
        params: CaseIdParamsSchema,
        security: BEARER_SECURITY,
        response: { 200: successEnvelope(Type.Ref('Case')), ...COMMON_ERRORS, 404: errorRef },
      },
      config: { ...API_CLIENTS, audit: { action: 'case.read', object: 'case' } },
    },
    async (request, reply) => {
      const found = await cases.getCase(clientOf(request), parseCaseId(request.params.id));
      let body = caseBodies.get(found);
      if (body === undefined) {
        // The route's own serializer, as for any answer: only done once per case object.
        body = reply.serialize({ success: true as const, content: contractCase(found) }) as string;
        caseBodies.set(found, body);
      }
      return reply.type(JSON_BODY).send(body);
    },
  );

  app.get(
    '/cases/:id/images/:imageId/dicom',
    {
      schema: dicomRouteSchema({ summary: 'The DICOM file an image came in (extension)', tags: ['cases'], security: BEARER_SECURITY }),
      config: { ...API_CLIENTS, audit: { action: 'image.read', object: 'image' } },
    },
    (request, reply) => sendDicom(cases, clientOf(request), request.params, reply),
  );

  app.get(
    '/cases/report/:id',
    {
      schema: {
        summary: 'Get the report of a case',
        description:
          'The signed report as `{success: true, content: <the PDF in base64>}` (OPTretina: "output as code string in base64"), whatever the Accept header; ' +
          'the raw application/pdf only when Accept names application/pdf (preferred over JSON) or the query says `format=pdf`. ' +
          'A case not reported yet or rejected answers 409 with report_not_ready or case_rejected. ' +
          'Extension: each answer has an ETag (one per form); `If-None-Match` with it answers 304 without a body while the current version is the one the client has.',
        tags: ['cases'],
        params: CaseIdParamsSchema,
        querystring: Type.Object({
          ...ReportFormatQuerySchema.properties,
          access_token: Type.Optional(Type.String({ description: 'Legacy: the token in the query (OPTretina SDK)' })),
        }),
        security: BEARER_SECURITY,
        produces: ['application/json', 'application/pdf'],
        response: {
          200: ReportResponseSchema,
          304: ReportNotModifiedSchema,
          ...COMMON_ERRORS,
          404: errorRef,
          409: errorRef,
        },
      },
      config: { ...API_CLIENTS, audit: { action: 'report.read', object: 'case' } },
    },
    async (request, reply) => {
      const caseId = parseCaseId(request.params.id);
      return sendReportPdf(request, reply, await cases.getReportPdf(clientOf(request), caseId), `report-${caseId}.pdf`, {
        defaultFormat: 'json',
        format: request.query.format,
      });
    },
  );
};
