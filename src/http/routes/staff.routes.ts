import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Case } from '../../domain/case.js';
import type { UserPrincipal } from '../../domain/principal.js';
import type { Platform } from '../../platform.js';
import type { RawFields } from '../../services/case.service.js';
import type { ImageStaging } from '../../media/image-staging.js';
import { personOf } from '../authentication.js';
import { noteAudit } from '../audit.js';
import { dicomRouteSchema, sendDicom } from '../dicom-reply.js';
import { fieldsFromBody, readMultipartForm } from '../multipart-form.js';
import { presentCase, presentCenterSummary } from '../presenters.js';
import { ReportFormatQuerySchema, ReportNotModifiedSchema, ReportResponseSchema, sendReportPdf } from '../report-reply.js';
import { AddImagesBodySchema, CaseIdParamsSchema, CreateCaseBodySchema, CreateCaseQuerySchema, CreatedCaseSchema, ListCasesQuerySchema, WaitForChecksHeaderSchema } from '../schemas/cases.js';
import { COMMON_ERRORS, CenterSummarySchema, USER_SECURITY, closed, errorRef, successEnvelope } from '../schemas/common.js';
import { caseIntakeHandlers, parseCaseId } from '../case-intake.js';
import { CASE_ITEM, jsonArrayPieces, sendListPage } from '../json-list.js';

const STAFF_ERRORS = { ...COMMON_ERRORS, 403: errorRef };
const STAFF = { audience: 'staff' } as const;

/** The case object of the contract, with the report where staff download it. */
const staffCase = (c: Case) => presentCase(c, `/staff/cases/${c.id}/report`);

export const StaffCenterSchema = CenterSummarySchema;

const StaffCreateCaseBodySchema = closed(
  {
    center_id: Type.String({ description: 'One of the centers the member of staff works for (GET /staff/centers)' }),
    ...CreateCaseBodySchema.properties,
  },
  { required: ['center_id', ...(CreateCaseBodySchema.required ?? [])], description: 'center_id, and the intake fields and images of POST /cases, with the same rules' },
);

const StaffListQuerySchema = closed({
  status: ListCasesQuerySchema.properties.status,
  center_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this one of your centers' })),
  q: Type.Optional(Type.String({ maxLength: 500, description: 'Search: every word must appear in the history number or a name, or be the case id' })),
  cursor: ListCasesQuerySchema.properties.cursor,
  limit: ListCasesQuerySchema.properties.limit,
});

/**
 * Extension: center staff (people with role `staff`) work with their centers'
 * cases from the web app, with the same intake rules as API clients. Staff
 * authenticate as people (session cookie or bearer); another center's case is a 404.
 */
export const staffRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { cases, centers } = platform.services;
  const staff = personOf;

  /** The hook authenticated the member of staff from the headers; the form's images stream into staging. */
  const readForm = async (request: FastifyRequest, staging: ImageStaging): Promise<{ principal: UserPrincipal; fields: RawFields }> => {
    try {
      const principal = staff(request);
      const fields = request.isMultipart() ? await readMultipartForm(request, staging) : fieldsFromBody(request.body);
      return { principal, fields };
    } catch (error) {
      await staging.discard();
      throw error;
    }
  };
  const intake = caseIntakeHandlers(cases, readForm, (id) => `/staff/cases/${id}`, { maxWaitMs: platform.config.checks.maxWaitMs });

  app.get(
    '/staff/centers',
    {
      schema: {
        summary: 'The centers this member of staff works for (extension)',
        tags: ['staff'],
        security: USER_SECURITY,
        response: { 200: successEnvelope(Type.Array(StaffCenterSchema)), ...STAFF_ERRORS },
      },
      config: STAFF,
    },
    async (request) => {
      const list = await centers.listCenters(staff(request));
      return { success: true as const, content: list.map(presentCenterSummary) };
    },
  );

  app.get(
    '/staff/cases',
    {
      schema: {
        summary: "The cases of this member of staff's centers, newest first (extension)",
        tags: ['staff'],
        security: USER_SECURITY,
        querystring: StaffListQuerySchema,
        response: {
          200: closed({
            success: Type.Literal(true),
            content: Type.Array(Type.Ref('Case')),
            next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Cursor of the next page, null on the last' }),
          }),
          ...STAFF_ERRORS,
        },
      },
      config: { ...STAFF, audit: { action: 'case.list' } },
    },
    async (request, reply) => {
      const { status, center_id, q, cursor, limit } = request.query;
      if (center_id !== undefined) noteAudit(request, { centerId: center_id });
      const page = await cases.listCases(staff(request), { status, centerId: center_id, q, cursor, limit });
      return sendListPage(reply, jsonArrayPieces(reply, CASE_ITEM, page.cases.map(staffCase)), page.nextCursor);
    },
  );

  app.post(
    '/staff/cases',
    {
      schema: {
        summary: 'Create a case in one of your centers (extension)',
        description:
          'multipart/form-data like POST /cases (same fields, rules, images, Idempotency-Key and wait_for_checks), plus `center_id`. Every field error is reported at once in `error.fields`.',
        tags: ['staff'],
        consumes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ maxLength: 255, description: 'Client-chosen unique key for safe retries' })),
          'wait-for-checks': WaitForChecksHeaderSchema,
        }),
        querystring: CreateCaseQuerySchema,
        body: StaffCreateCaseBodySchema,
        security: USER_SECURITY,
        response: { 201: CreatedCaseSchema, ...STAFF_ERRORS, 409: errorRef, 413: errorRef, 415: errorRef, 422: errorRef },
      },
      attachValidation: true, // read as a stream and validated by the domain
      config: { ...STAFF, audit: { action: 'case.create' } },
    },
    (request, reply) => intake.create(request, reply),
  );

  app.post(
    '/staff/cases/:id/images',
    {
      schema: {
        summary: 'Add images to a pending case of one of your centers (extension)',
        tags: ['staff'],
        consumes: ['multipart/form-data'],
        params: CaseIdParamsSchema,
        body: AddImagesBodySchema,
        security: USER_SECURITY,
        response: { 200: successEnvelope(Type.Integer({ description: 'The case id' })), ...STAFF_ERRORS, 404: errorRef, 409: errorRef, 413: errorRef, 415: errorRef, 422: errorRef },
      },
      attachValidation: true,
      config: { ...STAFF, audit: { action: 'case.images.add', object: 'case' } },
    },
    (request) => intake.addImages(request, request.params.id),
  );

  app.get(
    '/staff/cases/:id',
    {
      schema: {
        summary: 'One case of your centers (extension)',
        tags: ['staff'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        response: { 200: successEnvelope(Type.Ref('Case')), ...STAFF_ERRORS, 404: errorRef },
      },
      config: { ...STAFF, audit: { action: 'case.read', object: 'case' } },
    },
    async (request) => {
      const found = await cases.getCase(staff(request), parseCaseId(request.params.id));
      return { success: true as const, content: staffCase(found) };
    },
  );

  app.get(
    '/staff/cases/:id/images/:imageId/dicom',
    {
      schema: dicomRouteSchema({ summary: 'The DICOM file an image of a case of your centers came in (extension)', tags: ['staff'], security: USER_SECURITY }),
      config: { ...STAFF, audit: { action: 'image.read', object: 'image' } },
    },
    (request, reply) => sendDicom(cases, staff(request), request.params, reply),
  );

  app.get(
    '/staff/cases/:id/report',
    {
      schema: {
        summary: 'The report of a case of your centers (extension)',
        description: 'The PDF (a browser downloads it), or base64 in the envelope when the request prefers JSON or says `format=json`; 409 report_not_ready or case_rejected.',
        tags: ['staff'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        querystring: ReportFormatQuerySchema,
        produces: ['application/pdf', 'application/json'],
        response: { 200: ReportResponseSchema, 304: ReportNotModifiedSchema, ...STAFF_ERRORS, 404: errorRef, 409: errorRef },
      },
      config: { ...STAFF, audit: { action: 'report.read', object: 'case' } },
    },
    async (request, reply) => {
      const caseId = parseCaseId(request.params.id);
      return sendReportPdf(request, reply, await cases.getReportPdf(staff(request), caseId), `report-${caseId}.pdf`, {
        defaultFormat: 'pdf',
        format: request.query.format,
      });
    },
  );
};
