import { type TSchema, Type } from 'typebox';
import { CASE_STATUSES, DERIVATIONS } from '../../domain/case.js';
import { AMD_GRADES, DME_GRADES, DR_GRADES, HYPERTENSIVE_GRADES, IMAGE_QUALITY, OTHER_FINDINGS, REJECTION_REASONS } from '../../domain/grading.js';
import { EYES, EYE_SOURCES } from '../../domain/eyes.js';
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
    description: 'Who said which eye: client (images[od]/images[os] or image_eyes), file_name (guessed from it), reader (set or corrected while reading)',
  }),
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
      description: 'Pending cases: images (none yet, or a reader asked for new ones: the clinic must act) or reader; null once reported or rejected',
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
