import { type TSchema, Type } from 'typebox';
import { CASE_STATUSES, DERIVATIONS } from '../../domain/case.js';
import { AMD_GRADES, DME_GRADES, DR_GRADES, HYPERTENSIVE_GRADES, IMAGE_QUALITY, OTHER_FINDINGS, REJECTION_REASONS } from '../../domain/grading.js';
import { DICOM_SOP_CLASS_NAMES } from '../../domain/dicom.js';
import { EYES, EYE_SOURCES } from '../../domain/eyes.js';
import { FUNDUS_VERDICTS, IMAGE_STATUSES, LATERALITY_VERDICTS, QUALITY_VERDICTS } from '../../domain/image-checks.js';
import { type FieldSpec, IDENTIFICATION_RULE, INTAKE_FIELDS, REQUIRED_FIELDS } from '../../domain/intake.js';
import { closed, nullable, oneOf } from './common.js';

/** The JSON Schema of one intake field as it travels in a form (a string). */
function formFieldSchema(spec: FieldSpec): TSchema {
  switch (spec.kind) {
    case 'text':
      return Type.String({ maxLength: spec.maxLength, description: spec.description });
    case 'number':
      return Type.String({
        description: `${spec.description} Decimal comma accepted.`,
        examples: [String(spec.min)],
      });
    case 'code':
      return Type.String({ enum: Object.keys(spec.values), description: spec.description });
    case 'date':
      return Type.String({ format: 'date', description: spec.description });
    case 'url':
      return Type.String({ format: 'uri', maxLength: spec.maxLength, description: spec.description });
  }
}

/** The stored value of one intake field in a case object. */
function caseFieldSchema(spec: FieldSpec): TSchema {
  switch (spec.kind) {
    case 'number':
      return Type.Union([spec.integer ? Type.Integer({ minimum: spec.min, maximum: spec.max }) : Type.Number({ minimum: spec.min, maximum: spec.max }), Type.Null()], {
        description: spec.description,
      });
    case 'code':
      return Type.Union([Type.Integer({ enum: Object.keys(spec.values).map(Number) }), Type.Null()], { description: spec.description });
    case 'date':
      return Type.String({ format: 'date', description: spec.description });
    default:
      return Type.Union([Type.String(), Type.Null()], { description: spec.description });
  }
}

const imageFile = Type.String({ format: 'binary', description: 'A fundus photograph: JPEG, PNG or TIFF, identified by content' });

export const CreateCaseBodySchema = closed(
  {
    ...Object.fromEntries(Object.entries(INTAKE_FIELDS).map(([name, spec]) => [name, formFieldSchema(spec)])),
    'images[]': Type.Array(imageFile, {
      description: 'Images, as `images[]` (seed), `images` (OPTretina SDK), `images[0]`…, or `images[od]` / `images[os]` to say which eye each shows; one or many',
    }),
    image_eyes: Type.Optional(
      Type.String({ description: 'Which eye each file shows, in file order: e.g. `od,os` (an empty entry: not known). Without it, `images[od]`/`images[os]` or else the file name decides' }),
    ),
    access_token: Type.Optional(Type.String({ description: 'Legacy: the token as a form field (OPTretina SDK)' })),
  },
  {
    required: [...REQUIRED_FIELDS],
    description: `Required: ${REQUIRED_FIELDS.join(', ')}; and ${IDENTIFICATION_RULE}. Empty strings count as absent. Unknown fields are refused.`,
  },
);

export const AddImagesBodySchema = closed({
  image_eyes: Type.Optional(Type.String({ description: 'Which eye each file shows, in file order (e.g. `od,os`)' })),
  'images[]': Type.Array(imageFile, { description: 'Images, as `images[]` or `images`' }),
  access_token: Type.Optional(Type.String({ description: 'Legacy: the token as a form field' })),
});

const QualityMeasureSchema = (description: string) =>
  closed({ value: Type.Number({ description }), verdict: oneOf(QUALITY_VERDICTS), reason: Type.String() }, { description });

/** The automatic checks of one photograph (src/domain/image-checks.ts), each with a value, a verdict and a reason. */
export const ImageChecksSchema = closed(
  {
    fundus: closed(
      {
        value: Type.Number({ minimum: 0, maximum: 1, description: "A score: how round the lit field is, scaled down by each other criterion that fails (its surround's darkness, its colour)" }),
        verdict: oneOf(FUNDUS_VERDICTS),
        reason: Type.String(),
      },
      { description: 'A fundus photograph: a round field of view on a dark surround, in the colours of a retina (or grey: red-free)' },
    ),
    quality: closed(
      {
        value: Type.Number({ minimum: 0, maximum: 1, description: 'A score: 1 when every measure is good, 0.5 at the edge of usable, lower towards reject' }),
        verdict: oneOf(QUALITY_VERDICTS, { description: 'The worst verdict of the measures: good, usable (gradable with some loss) or reject (take it again)' }),
        reason: Type.String({ description: 'What limits it, in words' }),
        measures: closed({
          coverage: QualityMeasureSchema('Share of the round field of view inside the picture (0–1)'),
          underexposed: QualityMeasureSchema('Share of the field too dark to show detail (0–1)'),
          overexposed: QualityMeasureSchema('Share of the field burnt out (0–1)'),
          sharpness: QualityMeasureSchema('Fine detail inside the field: high-frequency energy, per cent of its brightness, discounted for defocus'),
          resolution: QualityMeasureSchema("The field's diameter in the original's pixels"),
        }),
      },
      { description: 'Gradability' },
    ),
    laterality: closed(
      {
        value: nullable(oneOf(EYES), { description: 'The eye the optic disc says (on the image’s right: od), null when not sure' }),
        verdict: oneOf(LATERALITY_VERDICTS, {
          description:
            "detected: nobody had said, so the check filled in `eye` (eye_source detected); agrees / disagrees: with the image's eye as it stands (a disagreement is flagged to the reader); uncertain: no optic disc clearly on one side",
        }),
        confidence: Type.Number({ minimum: 0, maximum: 1 }),
        reason: Type.String(),
      },
      { description: 'Which eye, from where the optic disc lies in a macula-centred photograph' },
    ),
  },
  { description: 'The automatic checks, made in the background when the image is first decoded' },
);

export const CaseImageSchema = closed({
  id: Type.Integer(),
  file_name: Type.String({ description: "The client's file name, for display" }),
  size: Type.Integer({ description: 'Bytes' }),
  content_type: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  sha256: Type.Union([Type.String(), Type.Null()], {
    description:
      'Hex SHA-256 of the stored file. Null for a few seconds after the upload: the image worker hashes the stored file ' +
      'with the previews. Known at once when the case was created with an Idempotency-Key.',
  }),
  created_at: Type.String({ format: 'date-time' }),
  eye: nullable(oneOf(EYES), { description: 'Which eye the photograph shows: od (right) or os (left); null while nobody has said' }),
  eye_source: nullable(oneOf(EYE_SOURCES), {
    description:
      'Who said which eye: client (images[od]/images[os] or image_eyes), dicom (ImageLaterality of the DICOM file it came in), file_name (guessed from it), reader (set or corrected while reading), detected (the automatic check, where nobody had said)',
  }),
  status: oneOf(IMAGE_STATUSES, {
    description:
      'checking: not decoded yet (about a second after the upload); ok: decoded, see checks; unreadable: it cannot be decoded (status_reason says why; the clinic gets a case.image_unreadable callback, and readers never see it): send it again',
  }),
  status_reason: nullable(Type.String(), { description: 'Why the image is unreadable; null otherwise' }),
  checks: nullable(ImageChecksSchema, { description: 'The automatic checks once the image is decoded; null while checking, when unreadable, and for images stored before checks existed' }),
  dicom: nullable(
    closed({
      size: Type.Integer({ description: 'Bytes of the DICOM file as it came' }),
      sop_class: oneOf(DICOM_SOP_CLASS_NAMES),
    }),
    {
      description:
        'Extension: the image came as a DICOM file. The photograph was taken from it (JPEG frames as they were, uncompressed pixels as PNG) and is what `content_type`, `size` and the previews describe; ' +
        'the file itself is kept as it came, for the clinic that sent it: GET /cases/{id}/images/{image_id}/dicom. Null for images sent as JPEG, PNG or TIFF.',
    },
  ),
});

const WAIT_FOR_CHECKS_DESCRIPTION =
  'Extension: wait up to this long (e.g. 2s, 1.5s, 2500ms; at most OPENRETINA_CHECK_MAX_WAIT_MS, 10 s) for the automatic checks of the images, ' +
  'and answer with them in `images` (those not checked in time still `checking`). The upload itself never waits: images are decoded by the image worker after the case is stored.';

/** `wait_for_checks` in the query of a create (the only query field besides the token). */
export const CreateCaseQuerySchema = closed({
  wait_for_checks: Type.Optional(Type.String({ description: WAIT_FOR_CHECKS_DESCRIPTION, examples: ['2s'] })),
  access_token: Type.Optional(Type.String({ description: 'Legacy: the token in the query (OPTretina SDK)' })),
});

/** The same as a header. */
export const WaitForChecksHeaderSchema = Type.Optional(Type.String({ description: `Instead of the query's wait_for_checks. ${WAIT_FOR_CHECKS_DESCRIPTION}` }));

/** The answer to a create: the case id (contract), and its images when the request asked to wait for their checks. */
export const CreatedCaseSchema = closed({
  success: Type.Literal(true),
  content: Type.Integer({ description: 'The new case id' }),
  images: Type.Optional(
    Type.Array(CaseImageSchema, { description: 'Extension, only with wait_for_checks: the case’s images with their status and automatic checks as they stood when the answer was sent' }),
  ),
});

/** One eye's grading as signed, on the scales of src/domain/grading.ts. */
export const EyeGradingSchema = closed({
  quality: oneOf(IMAGE_QUALITY),
  dr: nullable(oneOf(DR_GRADES, { description: 'ICDR diabetic retinopathy' })),
  dme: nullable(oneOf(DME_GRADES, { description: 'Diabetic macular oedema by centre involvement' })),
  amd: nullable(oneOf(AMD_GRADES, { description: 'Beckman AMD' })),
  vertical_cdr: nullable(Type.Number({ minimum: 0, maximum: 1 })),
  glaucoma_suspect: Type.Boolean(),
  hypertensive: nullable(oneOf(HYPERTENSIVE_GRADES, { description: 'Wong–Mitchell hypertensive retinopathy' })),
  other_findings: Type.Array(oneOf(OTHER_FINDINGS)),
  other_text: nullable(Type.String()),
});

export const RejectionSchema = closed({
  reason: oneOf(REJECTION_REASONS, {
    description: 'image_quality: the photographs cannot be graded; wrong_or_missing_images: an eye is missing or the photographs are not fundus photographs; missing_clinical_data: data the reader needs is missing; other: see text',
  }),
  text: nullable(Type.String(), { description: "The reader's own words" }),
  rejected_at: Type.String({ format: 'date-time' }),
});

export const ImageRequestSchema = closed({
  reason: oneOf(REJECTION_REASONS, { description: 'The same reasons as a rejection' }),
  text: nullable(Type.String(), { description: "The reader's own words" }),
  requested_at: Type.String({ format: 'date-time' }),
});

export const FindingsSchema = closed({
  od: EyeGradingSchema,
  os: EyeGradingSchema,
  glaucoma_override_reason: nullable(Type.String(), {
    description: 'Why glaucoma is not suspected in an eye whose vertical cup-to-disc ratio suggests it (0.7 or more, or 0.2 more than the other eye); null when no eye is',
  }),
  recommendation: Type.String(),
  rescreen_months: nullable(Type.Integer()),
});

export const AmendmentSchema = closed({
  previous_derivation: oneOf(DERIVATIONS, { description: 'The derivation of the version the current one replaced' }),
  more_urgent: Type.Boolean({ description: 'True when the current derivation is more urgent than that one: a report the center may have acted on now asks for more' }),
  reason: Type.String({ description: "The reader's reason for the amendment" }),
  amended_at: Type.String({ format: 'date-time', description: 'When the current version was signed' }),
});

export const CaseSchema = closed(
  {
    id: Type.Integer(),
    status: oneOf(CASE_STATUSES),
    derivation: nullable(oneOf(DERIVATIONS), { description: 'Referral urgency, once reported' }),
    center_id: Type.Integer(),
    ...Object.fromEntries(Object.entries(INTAKE_FIELDS).map(([name, spec]) => [name, caseFieldSchema(spec)])),
    images: Type.Array(CaseImageSchema),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    reported_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    report_version: Type.Union([Type.Integer(), Type.Null()], { description: 'Version of the signed report; amendments add one' }),
    findings: nullable(FindingsSchema, { description: 'Structured findings of the current report version, once reported' }),
    amendment: nullable(AmendmentSchema, { description: 'When the current report version amends an earlier one: what it replaced, whether it is more urgent, why and when; null for version 1 and before' }),
    report_url: Type.Union([Type.String(), Type.Null()], { description: 'Where the report PDF is, once reported' }),
    requested: nullable(ImageRequestSchema, {
      description: 'A reader’s open request for new photographs (or missing data): send them with POST /cases/{id}/images and the case returns to the worklist',
    }),
    waiting_for: nullable(oneOf(['images', 'reader'] as const), {
      description: 'Pending cases: images (none yet, none that can be read — every one `unreadable` —, or a reader asked for new ones: the clinic must act; such a case is not on the readers’ worklist) or reader; null once reported or rejected',
    }),
    rejection: nullable(RejectionSchema, { description: 'Why the case was rejected, once rejected: what the clinic must do next follows from the reason' }),
  },
  { $id: 'Case' },
);

export const CaseIdParamsSchema = closed({
  id: Type.String({ description: 'Case id (an integer)', examples: ['42'] }),
});

export const ListCasesQuerySchema = closed({
  status: Type.Optional(oneOf(CASE_STATUSES, { description: 'Only cases in this status' })),
  updated_since: Type.Optional(Type.String({ format: 'date-time', description: 'Only cases changed at or after this time (for polling)' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, description: 'Page size; default 50, values above 200 are clamped to 200' })),
  access_token: Type.Optional(Type.String({ description: 'Legacy: the token in the query (OPTretina SDK)' })),
});
