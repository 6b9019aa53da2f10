import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ReportDownload } from '../services/report-cache.js';
import { entityTag, ifNoneMatchHits } from './conditional.js';
import { JSON_BODY, preferredMediaType } from './content-negotiation.js';
import { successEnvelope } from './schemas/common.js';

/** The 200 of a report download: the PDF, or base64 in the envelope for clients that prefer JSON. */
export const ReportResponseSchema = {
  description: 'The report',
  content: {
    'application/pdf': { schema: Type.String({ format: 'binary' }) },
    'application/json': { schema: successEnvelope(Type.String({ contentEncoding: 'base64', description: 'The PDF, base64' })) },
  },
};

/** `?format=` of a report download: an explicit choice that overrides `Accept`. */
export const REPORT_FORMATS = ['json', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportReplyOptions {
  /**
   * What a request that does not name a type gets (no `Accept`, `*\/*`, a
   * browser's list). The contract's `GET /cases/report/{id}` answers JSON:
   * OPTretina's endpoint reference says "output as code string in base64" and
   * its SDK sends no `Accept`, then json_decodes the body. The web app's own
   * routes answer the PDF, which a browser shows or downloads.
   */
  readonly defaultFormat: ReportFormat;
  readonly format?: ReportFormat | undefined;
  /** `inline` lets a browser show it (the reader's preview); otherwise it is a download. */
  readonly disposition?: 'attachment' | 'inline';
}

/** Whether the request gets the raw PDF or the PDF in base64 inside the envelope. */
export function reportFormatOf(accept: string | undefined, options: Pick<ReportReplyOptions, 'defaultFormat' | 'format'>): ReportFormat {
  if (options.format !== undefined) return options.format;
  const offered = options.defaultFormat === 'json' ? ['application/json', 'application/pdf'] : ['application/pdf', 'application/json'];
  return preferredMediaType(accept, offered) === 'application/pdf' ? 'pdf' : 'json';
}

export const ReportFormatQuerySchema = Type.Object({
  format: Type.Optional(Type.Union(REPORT_FORMATS.map((f) => Type.Literal(f)), { description: 'pdf: the raw PDF; json: base64 in the envelope. Overrides Accept' })),
});

/** The 304 of a report download whose If-None-Match still holds. */
export const ReportNotModifiedSchema = Type.Null({ description: 'Not modified: the If-None-Match entity tag still holds (no body)' });

/**
 * Sends a report PDF raw or as `{success: true, content: <base64>}`, as
 * `reportFormatOf` decides, with an entity tag for each form (RFC 9110
 * §8.8.3): a client that kept a download asks with If-None-Match and gets a
 * 304 without the bytes while the version it has is still the current one.
 * Only the client itself may keep it (`private`), and it must ask each time
 * (`no-cache`): every download is a request, audited like any other.
 */
export function sendReportPdf(request: FastifyRequest, reply: FastifyReply, download: ReportDownload, fileName: string, options: ReportReplyOptions) {
  const disposition = options.disposition ?? 'attachment';
  const json = reportFormatOf(request.headers.accept, options) === 'json';
  const tag = entityTag(json ? `${download.sha256}.base64` : download.sha256);
  // The answer depends on Accept: a cache must not hand one form to a client that asked for the other.
  reply.header('vary', 'Accept').header('etag', tag).header('cache-control', 'private, no-cache');
  if (ifNoneMatchHits(request.headers['if-none-match'], tag)) return reply.code(304).send(null);
  if (json) return reply.type(JSON_BODY).send(download.jsonBody());
  return reply.type('application/pdf').header('content-disposition', `${disposition}; filename="${fileName}"`).send(download.pdf);
}
