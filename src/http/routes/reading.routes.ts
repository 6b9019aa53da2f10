import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { MAX_ID } from '../../domain/ids.js';
import { SERVED_VARIANTS, type ServedVariant } from '../../domain/preview.js';
import type { Platform } from '../../platform.js';
import { personOf } from '../authentication.js';
import { entityTag, ifNoneMatchHits } from '../conditional.js';
import { presentReadingView, presentWorklistItem } from '../presenters.js';
import { CaseIdParamsSchema } from '../schemas/cases.js';
import { COMMON_ERRORS, NoBodySchema, USER_SECURITY, closed, errorRef, nullable, oneOf, successEnvelope } from '../schemas/common.js';
import { AmendBodySchema, ClaimSchema, ReadingViewSchema, RejectBodySchema, ReportResultSchema, SignBodySchema, WorklistItemSchema } from '../schemas/reading.js';
import { parseCaseId, parseImageId } from '../case-intake.js';
import type { CaseImage } from '../../domain/case.js';
import { EYES, EYE_SOURCES } from '../../domain/eyes.js';

const READING_ERRORS = { ...COMMON_ERRORS, 403: errorRef, 404: errorRef, 409: errorRef };
/**
 * Stored images never change, so the browser may keep them. `private`: never
 * a shared cache; a week covers a reader's working days and keeps patient
 * images on a workstation no longer than that.
 */
const IMMUTABLE_IMAGE = `private, max-age=${7 * 24 * 3600}, immutable`;
const READERS = { audience: 'reader' } as const;

/** Extension: the reading workflow of retina specialists (people with role `reader`). */
export const readingRoutes: FastifyPluginAsyncTypebox<{ platform: Platform }> = async (app, { platform }) => {
  const { reading } = platform.services;

  app.get(
    '/reading/worklist',
    {
      schema: {
        summary: 'Pending cases to read, oldest first (extension)',
        tags: ['reading'],
        security: USER_SECURITY,
        querystring: closed({
          after: Type.Optional(Type.Integer({ minimum: 0, description: 'next_after of the previous page' })),
          center_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this one of your centers' })),
          overdue: Type.Optional(Type.Boolean({ description: 'true: only overdue cases; false: only those still in time' })),
        }),
        response: {
          200: closed({ success: Type.Literal(true), content: Type.Array(WorklistItemSchema), next_after: Type.Union([Type.Integer(), Type.Null()]) }),
          ...READING_ERRORS,
        },
      },
      config: { ...READERS, audit: { action: 'worklist.read' } },
    },
    async (request) => {
      // Past the largest id there is nothing; a larger number must not reach the query.
      const { after, center_id, overdue } = request.query;
      const page = await reading.worklist(personOf(request), { afterId: Math.min(after ?? 0, MAX_ID), centerId: center_id, overdue });
      return { success: true as const, content: page.items.map(presentWorklistItem), next_after: page.nextAfter };
    },
  );

  app.post(
    '/reading/cases/:id/claim',
    {
      schema: {
        summary: 'Claim a case exclusively, or renew the claim (extension)',
        tags: ['reading'],
        security: USER_SECURITY,
        description:
          'Refused with 409 `case_claimed` while another reader holds the case; the message names them and says until when, in the time zone of the `X-Time-Zone` header (an IANA name such as Europe/Madrid; UTC without it).',
        params: CaseIdParamsSchema,
        headers: Type.Object({ 'x-time-zone': Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone for the times in messages' })) }),
        body: NoBodySchema,
        response: { 200: successEnvelope(ClaimSchema), ...READING_ERRORS },
      },
      config: { ...READERS, audit: { action: 'case.claim', object: 'case' } },
    },
    async (request) => {
      const caseId = parseCaseId(request.params.id);
      const { expiresAt } = await reading.claim(personOf(request), caseId, request.headers['x-time-zone']);
      return { success: true as const, content: { case_id: caseId, expires_at: expiresAt } };
    },
  );

  app.post(
    '/reading/cases/:id/release',
    {
      schema: {
        summary: 'Give a claimed case back to the worklist (extension)',
        tags: ['reading'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        body: NoBodySchema,
        response: { 200: successEnvelope(Type.Boolean()), ...READING_ERRORS },
      },
      config: { ...READERS, audit: { action: 'case.release', object: 'case' } },
    },
    async (request) => {
      await reading.release(personOf(request), parseCaseId(request.params.id));
      return { success: true as const, content: true };
    },
  );

  app.get(
    '/reading/cases/:id',
    {
      schema: {
        summary: 'A claimed case, or a reported one, anonymised, with the patient’s earlier cases (extension)',
        description:
          'No names, history number or callback URL: age, gender, diabetes, clinical data, notes and images. ' +
          'Each image lists the `variants` ready to load instead of the original, e.g. `{"preview": {"width", "height", "size", "content_type"}, "thumb": {…}}` (empty while they are being made).',
        tags: ['reading'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        response: { 200: successEnvelope(ReadingViewSchema), ...READING_ERRORS },
      },
      config: { ...READERS, audit: { action: 'reading_view.read', object: 'case' } },
    },
    async (request) => {
      return { success: true as const, content: presentReadingView(await reading.read(personOf(request), parseCaseId(request.params.id))) };
    },
  );

  const EyeOfImageSchema = closed({
    image_id: Type.Integer(),
    eye: nullable(oneOf(EYES)),
    eye_source: nullable(oneOf(EYE_SOURCES)),
  });
  const eyeOf = (i: CaseImage) => ({ image_id: i.id, eye: i.eye, eye_source: i.eyeSource });

  app.post(
    '/reading/cases/:id/images/:imageId/eye',
    {
      schema: {
        summary: 'Say which eye an image shows (extension)',
        description: 'For a case the reader holds, or a signed one: `eye` od, os, or null (not known). Recorded as the reader’s, with who and when.',
        tags: ['reading'],
        security: USER_SECURITY,
        params: closed({ id: Type.String(), imageId: Type.String() }),
        body: closed({ eye: nullable(oneOf(EYES), { description: 'od (right), os (left) or null' }) }),
        response: { 200: successEnvelope(EyeOfImageSchema), ...READING_ERRORS },
      },
      config: { ...READERS, audit: { action: 'image.eye.set', object: 'image' } },
    },
    async (request) => {
      const caseId = parseCaseId(request.params.id);
      const image = await reading.setEye(personOf(request), caseId, parseImageId(request.params.imageId), request.body.eye);
      return { success: true as const, content: eyeOf(image) };
    },
  );

  app.post(
    '/reading/cases/:id/eyes/swap',
    {
      schema: {
        summary: 'Swap right and left on every image of the case (extension)',
        description: 'For a pair uploaded the wrong way round. Images whose eye is not known stay so.',
        tags: ['reading'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        body: NoBodySchema,
        response: { 200: successEnvelope(Type.Array(EyeOfImageSchema)), ...READING_ERRORS },
      },
      config: { ...READERS, audit: { action: 'case.eyes.swap', object: 'case' } },
    },
    async (request) => {
      const images = await reading.swapEyes(personOf(request), parseCaseId(request.params.id));
      return { success: true as const, content: images.map(eyeOf) };
    },
  );

  app.get(
    '/reading/cases/:id/images/:imageId',
    {
      schema: {
        summary: 'An image of a claimed case: a reduced variant or the original bytes (extension)',
        description:
          '`variant=preview` (long side 2048 px) or `thumb` (384 px): a JPEG made once in the background after upload; ' +
          'until it is ready (see `variants` of the image in the reading view) the original is sent instead, with ' +
          '`Cache-Control: no-cache` so the next request gets the variant. `X-Image-Variant` says what was sent. ' +
          'Stored bytes never change: they carry a strong ETag (their SHA-256) and may be cached privately.',
        tags: ['reading'],
        security: USER_SECURITY,
        params: closed({ id: Type.String(), imageId: Type.String() }),
        querystring: closed({
          variant: Type.Optional(Type.String({ enum: [...SERVED_VARIANTS], default: 'original', description: 'original (default), preview or thumb' })),
        }),
        produces: ['image/jpeg', 'image/png', 'image/tiff'],
        response: {
          200: { description: 'The image', content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } } },
          304: Type.Null({ description: 'Not modified: the If-None-Match entity tag still holds' }),
          ...READING_ERRORS,
        },
      },
      config: { ...READERS, audit: { action: 'image.read', object: 'image' } },
    },
    async (request, reply) => {
      const caseId = parseCaseId(request.params.id);
      const imageId = parseImageId(request.params.imageId);
      const variant = (request.query.variant ?? 'original') as ServedVariant;
      const image = await reading.openImage(personOf(request), caseId, imageId, variant);
      const tag = entityTag(image.tag);
      // A fallback original must be asked for again: the variant may be ready next time.
      reply.header('etag', tag).header('cache-control', image.final ? IMMUTABLE_IMAGE : 'private, no-cache').header('x-image-variant', image.variant);
      if (ifNoneMatchHits(request.headers['if-none-match'], tag)) return reply.code(304).send(null);
      return reply.type(image.contentType).header('content-length', String(image.size)).send(await image.open());
    },
  );

  const GRADING_DESCRIPTION =
    'JSON: `od` and `os` each {quality, dr, dme, amd (required for a gradable eye), vertical_cdr 0–1, glaucoma_suspect, hypertensive, other_findings[], other_text (required with "other")}; ' +
    '`recommendation` (plain words), `rescreen_months`, optional `derivation` with `override_reason` when it differs from the suggestion.';

  for (const action of ['sign', 'amend'] as const) {
    app.post(
      `/reading/cases/:id/${action}`,
      {
        schema: {
          summary: action === 'sign' ? 'Sign the report of a claimed case (extension)' : 'Amend a signed report: a new version (extension)',
          description: GRADING_DESCRIPTION + (action === 'amend' ? ' Plus `amend_reason`.' : ''),
          tags: ['reading'],
          security: USER_SECURITY,
          params: CaseIdParamsSchema,
          body: action === 'sign' ? SignBodySchema : AmendBodySchema,
          response: { 200: successEnvelope(ReportResultSchema), ...READING_ERRORS },
        },
        config: { ...READERS, audit: { action: action === 'sign' ? 'report.sign' : 'report.amend', object: 'case' } },
      },
      async (request) => {
        const caseId = parseCaseId(request.params.id);
        const principal = personOf(request);
        const result = action === 'sign' ? await reading.sign(principal, caseId, request.body) : await reading.amend(principal, caseId, request.body);
        return { success: true as const, content: { case_id: caseId, version: result.version, derivation: result.derivation, suggested_derivation: result.suggested } };
      },
    );
  }

  app.post(
    '/reading/cases/:id/request-images',
    {
      schema: {
        summary: 'Ask the clinic for new photographs or missing data instead of rejecting (extension)',
        description:
          'JSON: `reason` image_quality | wrong_or_missing_images | missing_clinical_data | other, and `text` (required for other). ' +
          'The case stays pending but leaves the worklist; the clinic is told (callback status=images_requested, and `requested` in the case object) ' +
          'and sends them with POST /cases/{id}/images, which puts the case back on the worklist with the earlier photographs kept.',
        tags: ['reading'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        body: RejectBodySchema,
        response: { 200: successEnvelope(Type.Boolean()), ...READING_ERRORS },
      },
      config: { ...READERS, audit: { action: 'case.images.request', object: 'case' } },
    },
    async (request) => {
      await reading.requestImages(personOf(request), parseCaseId(request.params.id), request.body);
      return { success: true as const, content: true };
    },
  );

  app.post(
    '/reading/cases/:id/reject',
    {
      schema: {
        summary: 'Reject a claimed case with a reason (extension)',
        description: 'JSON: `reason` image_quality | wrong_or_missing_images | missing_clinical_data | other, and `text` (required for other).',
        tags: ['reading'],
        security: USER_SECURITY,
        params: CaseIdParamsSchema,
        body: RejectBodySchema,
        response: { 200: successEnvelope(Type.Boolean()), ...READING_ERRORS },
      },
      config: { ...READERS, audit: { action: 'case.reject', object: 'case' } },
    },
    async (request) => {
      await reading.reject(personOf(request), parseCaseId(request.params.id), request.body);
      return { success: true as const, content: true };
    },
  );
};
