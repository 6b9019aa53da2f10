import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform.js';
import { RECENTLY_REPORTED } from '../../services/reading.service.js';
import { personOf } from '../authentication.js';
import { presentReportVersion, presentReportedCase } from '../presenters.js';
import { ReportFormatQuerySchema, ReportNotModifiedSchema, ReportResponseSchema, sendReportPdf } from '../report-reply.js';
import { CaseIdParamsSchema } from '../schemas/cases.js';
import { COMMON_ERRORS, USER_SECURITY, closed, errorRef, successEnvelope } from '../schemas/common.js';
import { ReportVersionSchema, ReportedCaseSchema } from '../schemas/reading.js';
import { parseCaseId } from '../case-intake.js';

const READERS = { audience: 'reader' } as const;

/** Extension: what readers signed — recently reported cases, the report PDF (for the web app's preview) and its version history. */
export const readingReportsRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { reading } = platform.services;
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
      config: { ...READERS, audit: { action: 'reported.list' } },
    },
    async (request) => {
      return { success: true as const, content: (await reading.recentlyReported(personOf(request))).map(presentReportedCase) };
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
        querystring: closed({
          version: Type.Optional(Type.Integer({ minimum: 1, description: 'A report version; the current one by default' })),
          ...ReportFormatQuerySchema.properties,
        }),
        produces: ['application/pdf', 'application/json'],
        response: { 200: ReportResponseSchema, 304: ReportNotModifiedSchema, ...ERRORS },
      },
      config: { ...READERS, audit: { action: 'report.read', object: 'case' } },
    },
    async (request, reply) => {
      const caseId = parseCaseId(request.params.id);
      const pdf = await reading.reportPdf(personOf(request), caseId, request.query.version);
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
      config: { ...READERS, audit: { action: 'report.versions.read', object: 'case' } },
    },
    async (request) => {
      const caseId = parseCaseId(request.params.id);
      const versions = await reading.reportHistory(personOf(request), caseId);
      return { success: true as const, content: versions.map((v) => presentReportVersion(v, `/reading/cases/${caseId}/report?version=${v.version}`)) };
    },
  );
};
