import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { preferredMediaType } from './content-negotiation.js';
import { successEnvelope } from './schemas/common.js';

/** The 200 of a report download: the PDF, or base64 in the envelope for clients that prefer JSON. */
export const ReportResponseSchema = {
  description: 'The report',
  content: {
    'application/pdf': { schema: Type.String({ format: 'binary' }) },
    'application/json': { schema: successEnvelope(Type.String({ contentEncoding: 'base64', description: 'The PDF, base64' })) },
  },
};

/**
 * Sends a report PDF as the request prefers it (OPTretina SDK: base64 in JSON).
 * `inline` lets a browser show it (the reader's preview); otherwise it is a download.
 */
export function sendReportPdf(request: FastifyRequest, reply: FastifyReply, pdf: Buffer, fileName: string, disposition: 'attachment' | 'inline' = 'attachment') {
  if (preferredMediaType(request.headers.accept, ['application/pdf', 'application/json']) === 'application/json') {
    return reply.type('application/json').send({ success: true, content: pdf.toString('base64') });
  }
  return reply.type('application/pdf').header('content-disposition', `${disposition}; filename="${fileName}"`).send(pdf);
}
