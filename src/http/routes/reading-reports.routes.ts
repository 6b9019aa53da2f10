import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DERIVATIONS } from '../../domain/case.js';
import type { Platform } from '../../platform.js';
import { RECENTLY_REPORTED } from '../../services/reading.service.js';
import { authenticateUserRequest } from '../authentication.js';
import { ReportFormatQuerySchema, ReportResponseSchema, sendReportPdf } from '../report-reply.js';
import { CaseIdParamsSchema, EyeGradingSchema } from '../schemas/cases.js';
import { COMMON_ERRORS, USER_SECURITY, errorRef, successEnvelope } from '../schemas/common.js';
import { parseCaseId } from '../case-intake.js';

const Derivation = Type.Union(DERIVATIONS.map((d) => Type.Literal(d)));

const ReportVersionSchema = Type.Object({
  version: Type.Integer(),
  signed_at: Type.String({ format: 'date-time' }),
  reader_name: Type.String(),
  reader_licence: Type.Union([Type.String(), Type.Null()]),
  derivation: Derivation,
  suggested_derivation: Derivation,
  override_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the derivation differs from the suggestion' }),
  amend_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why this version replaced the previous one; null for version 1' }),
  od: EyeGradingSchema,
  os: EyeGradingSchema,
  recommendation: Type.String(),
  rescreen_months: Type.Union([Type.Integer(), Type.Null()]),
  pdf_url: Type.String(),
});

const ReportedCaseSchema = Type.Object({
  id: Type.Integer(),
  center_id: Type.Integer(),
  age: Type.Union([Type.Integer(), Type.Null()]),
  gender: Type.Union([Type.Integer(), Type.Null()]),
  derivation: Type.Union([Derivation, Type.Null()]),
  report_version: Type.Union([Type.Integer(), Type.Null()]),
  reported_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'First signed' }),
  updated_at: Type.String({ format: 'date-time', description: 'Current version signed' }),
});

/** Extension: what readers signed — recently reported cases, the report PDF (for the web app's preview) and its version history. */
export const readingReportsRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { reading, sessions } = platform.services;
  const ERRORS = { ...COMMON_ERRORS, 403: errorRef, 404: errorRef, 409: errorRef };

  app.get(
    '/reading/reported',
    {
      schema: {
        summary: 'Recently reported cases, to review or amend (extension)',
        description: `Readers: the ${RECENTLY_REPORTED} reported cases of their organisation signed or amended last, anonymised.`,
        tags: ['reading'],
        security: USER_SECURITY,
        response: { 200: successEnvelope(Type.Array(ReportedCaseSchema)), ...ERRORS },
      },
    },
    async (request) => {
      return { success: true as const, content: await reading.recentlyReported(await authenticateUserRequest(sessions, request)) };
    },
  );

  app.get(
    '/reading/cases/:id/report',
    {
      schema: {
        summary: 'The signed report of a case, as a PDF to preview (extension)',
        description:
          'Readers, for cases of their organisation once signed: the current version, or `version`. Shown inline (a browser previews it); ' +
          'base64 in JSON when the request prefers JSON. 409 report_not_ready or case_rejected.',
        tags: ['reading'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        querystring: Type.Object({
          version: Type.Optional(Type.Integer({ minimum: 1, description: 'A report version; the current one by default' })),
          ...ReportFormatQuerySchema.properties,
        }),
        produces: ['application/pdf', 'application/json'],
        response: { 200: ReportResponseSchema, ...ERRORS },
      },
    },
    async (request, reply) => {
      const caseId = parseCaseId(request.params.id);
      const principal = await authenticateUserRequest(sessions, request);
      const pdf = await reading.reportPdf(principal, caseId, request.query.version);
      const suffix = request.query.version === undefined ? '' : `-v${request.query.version}`;
      return sendReportPdf(request, reply, pdf, `report-${caseId}${suffix}.pdf`, { defaultFormat: 'pdf', format: request.query.format, disposition: 'inline' });
    },
  );

  app.get(
    '/reading/cases/:id/reports',
    {
      schema: {
        summary: 'The versions of a signed report, oldest first (extension)',
        description: 'Readers, for cases of their organisation once signed: who signed each version, when, its findings and derivation, and why it was amended.',
        tags: ['reading'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        response: { 200: successEnvelope(Type.Array(ReportVersionSchema)), ...ERRORS },
      },
    },
    async (request) => {
      const caseId = parseCaseId(request.params.id);
      const versions = await reading.reportHistory(await authenticateUserRequest(sessions, request), caseId);
      return {
        success: true as const,
        content: versions.map((v) => ({ ...v, pdf_url: `/reading/cases/${caseId}/report?version=${v.version}` })),
      };
    },
  );
};
