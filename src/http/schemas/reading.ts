import { Type } from 'typebox';
import { CASE_STATUSES, DERIVATIONS } from '../../domain/case.js';
import { AMD_GRADES, DME_GRADES, DR_GRADES, HYPERTENSIVE_GRADES, IMAGE_QUALITY, OTHER_FINDINGS, REJECTION_REASONS } from '../../domain/grading.js';
import { IMAGE_VARIANTS } from '../../domain/preview.js';
import { IDENTIFYING_FIELDS } from '../../domain/reading.js';
import { CaseImageSchema, CaseSchema, EyeGradingSchema } from './cases.js';
import { CenterSummarySchema, closed, nullable, oneOf } from './common.js';

/** Schemas of the readers' API (extension): worklist, the anonymised case, grading, rejection, report versions. */

export const WorklistItemSchema = closed({
  id: Type.Integer(),
  center_id: Type.Integer(),
  center_name: Type.String({ description: 'The center that sent the case' }),
  submitted_at: Type.String({ format: 'date-time' }),
  deadline: Type.String({ format: 'date-time', description: 'Submission + the turnaround (48 h by default)' }),
  overdue: Type.Boolean(),
  age: nullable(Type.Integer()),
  gender: nullable(Type.Integer()),
  diabetes: nullable(Type.Integer()),
  image_count: Type.Integer(),
  claimed: nullable(oneOf(['mine', 'other'] as const), { description: 'mine, other (someone else holds a live claim) or null' }),
  claim_expires_at: nullable(Type.String({ format: 'date-time' })),
  claimed_by: nullable(Type.String(), { description: 'The name of the reader holding a live claim' }),
});

const VariantInfoSchema = closed({
  width: Type.Integer(),
  height: Type.Integer(),
  size: Type.Integer({ description: 'Bytes' }),
  content_type: Type.String(),
});

export const ReadingImageSchema = closed({
  ...CaseImageSchema.properties,
  variants: closed(
    Object.fromEntries(IMAGE_VARIANTS.map((v) => [v, Type.Optional(VariantInfoSchema)])) as Record<(typeof IMAGE_VARIANTS)[number], ReturnType<typeof Type.Optional<typeof VariantInfoSchema>>>,
    { description: 'Reduced variants ready to load instead of the original; empty while they are being made' },
  ),
});

/** A case as a reader sees it: the case object without who the patient is, and no report URL of the center's. */
const hidden = new Set<string>([...IDENTIFYING_FIELDS, 'report_url', 'images']);
const anonymousProperties = Object.fromEntries(Object.entries(CaseSchema.properties).filter(([name]) => !hidden.has(name)));

export const ReadingCaseSchema = closed(
  { ...anonymousProperties, images: Type.Array(ReadingImageSchema) },
  { description: 'Anonymised: no names, history number, free-text description or callback URL' },
);

export const ReadingViewSchema = closed({
  case: closed({
    ...ReadingCaseSchema.properties,
    deadline: Type.String({ format: 'date-time' }),
    overdue: Type.Boolean(),
  }),
  previous_cases: Type.Array(ReadingCaseSchema, { description: "Earlier cases of the same patient at the same center, newest first" }),
  claim_expires_at: nullable(Type.String({ format: 'date-time' }), { description: "The reader's claim on a pending case; null for a reported case" }),
  center: closed(CenterSummarySchema.properties, {
    description: 'The center the case comes from: its report is written in its language (offer that language’s standard wording) and dated in its time zone',
  }),
  opened_by: Type.Array(closed({ name: Type.String(), opened_at: Type.String({ format: 'date-time', description: 'The last time they opened it' }) }), {
    description: 'Other readers who opened this case, from the audit trail, latest first',
  }),
});

/**
 * The grading a reader signs, with the rules across its fields that JSON
 * Schema can say, so every refusal comes in one answer: a gradable eye needs
 * DR, DME and AMD grades; an "other" finding needs its description. The
 * domain (src/domain/grading.ts) checks the same and what needs computing
 * (an override of the suggested derivation needs a reason).
 */
const EyeGradingBodySchema = closed(
  {
    quality: oneOf(IMAGE_QUALITY),
  dr: Type.Optional(nullable(oneOf(DR_GRADES))),
  dme: Type.Optional(nullable(oneOf(DME_GRADES))),
  amd: Type.Optional(nullable(oneOf(AMD_GRADES))),
  vertical_cdr: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 1 }))),
  glaucoma_suspect: Type.Optional(
    Type.Boolean({ description: 'Omitted: what the cup-to-disc rule suggests (vertical CDR ≥ 0.7, or ≥ 0.2 more than the other eye). false where the rule suggests it needs glaucoma_override_reason' }),
  ),
  hypertensive: Type.Optional(nullable(oneOf(HYPERTENSIVE_GRADES))),
  other_findings: Type.Optional(Type.Array(oneOf(OTHER_FINDINGS), { maxItems: OTHER_FINDINGS.length })),
  other_text: Type.Optional(nullable(Type.String({ maxLength: 2000 }))),
  },
  {
    allOf: [
      { if: { properties: { quality: { enum: ['good', 'acceptable'] } }, required: ['quality'] }, then: { required: ['dr', 'dme', 'amd'] } },
      { if: { properties: { other_findings: { contains: { const: 'other' } } }, required: ['other_findings'] }, then: { required: ['other_text'] } },
    ],
  },
);

const gradingProperties = {
  od: EyeGradingBodySchema,
  os: EyeGradingBodySchema,
  recommendation: Type.String({ maxLength: 2000, description: 'Plain words for the patient' }),
  rescreen_months: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 60 }))),
  derivation: Type.Optional(nullable(oneOf(DERIVATIONS, { description: 'The referral signed; by default the one the grades suggest' }))),
  override_reason: Type.Optional(nullable(Type.String({ maxLength: 2000, description: 'Required when derivation differs from the suggestion' }))),
  glaucoma_override_reason: Type.Optional(
    nullable(
      Type.String({
        maxLength: 2000,
        description: 'Required when an eye is graded glaucoma_suspect false although its vertical CDR is 0.7 or more, or 0.2 or more above the other eye’s: why glaucoma is not suspected',
      }),
    ),
  ),
};

export const SignBodySchema = closed(gradingProperties);
export const AmendBodySchema = closed({
  ...gradingProperties,
  amend_reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why the report changes' }),
  confirm_unchanged: Type.Optional(
    Type.Boolean({
      description:
        'When the derivation changes, the recommendation and rescreen interval must be restated: if both are those of the previous version the amendment is refused (422 recommendation_unchanged) unless this is true (the reader confirms they still hold)',
    }),
  ),
});

export const RejectBodySchema = closed(
  {
    reason: oneOf(REJECTION_REASONS),
    text: Type.Optional(nullable(Type.String({ maxLength: 2000, description: 'Required for reason "other"' }))),
  },
  { if: { properties: { reason: { const: 'other' } }, required: ['reason'] }, then: { required: ['text'] } },
);

export const ReportResultSchema = closed({
  case_id: Type.Integer(),
  version: Type.Integer(),
  derivation: oneOf(DERIVATIONS),
  suggested_derivation: oneOf(DERIVATIONS, { description: 'What the grades imply (worse eye wins)' }),
});

export const ClaimSchema = closed({ case_id: Type.Integer(), expires_at: Type.String({ format: 'date-time' }) });

export const ReportVersionSchema = closed({
  version: Type.Integer(),
  signed_at: Type.String({ format: 'date-time' }),
  reader_name: Type.String(),
  reader_licence: nullable(Type.String()),
  derivation: oneOf(DERIVATIONS),
  suggested_derivation: oneOf(DERIVATIONS),
  override_reason: nullable(Type.String(), { description: 'Why the derivation differs from the suggestion' }),
  amend_reason: nullable(Type.String(), { description: 'Why this version replaced the previous one; null for version 1' }),
  glaucoma_override_reason: nullable(Type.String(), { description: 'Why glaucoma is not suspected in an eye whose cup-to-disc ratio suggests it; null when no eye is' }),
  od: EyeGradingSchema,
  os: EyeGradingSchema,
  recommendation: Type.String(),
  rescreen_months: nullable(Type.Integer()),
  pdf_url: Type.String(),
});

export const ReportedCaseSchema = closed({
  id: Type.Integer(),
  center_id: Type.Integer(),
  age: nullable(Type.Integer()),
  gender: nullable(Type.Integer()),
  derivation: nullable(oneOf(DERIVATIONS)),
  report_version: nullable(Type.Integer()),
  reported_at: nullable(Type.String({ format: 'date-time' }), { description: 'First signed' }),
  updated_at: Type.String({ format: 'date-time', description: 'Current version signed' }),
});

export const CaseStatusSchema = oneOf(CASE_STATUSES);
