import type { Static } from 'typebox';
import type { AuditEntry } from '../domain/audit.js';
import type { ErasureSummary } from '../services/erasure.service.js';
import { type Case, type CaseFindings, type CaseImage, waitingFor } from '../domain/case.js';
import type { EyeGrading } from '../domain/grading.js';
import { type ImageChecks, type QualityMeasure, presentableChecks } from '../domain/image-checks.js';
import { type CaseIntake, INTAKE_FIELD_NAMES, type IntakeFieldName } from '../domain/intake.js';
import type { ReadyVariants } from '../domain/preview.js';
import { ANONYMOUS_INTAKE_FIELD_NAMES } from '../domain/reading.js';
import type { AnonymisedCase, ReadingView, WorklistEntry } from '../services/reading.service.js';
import type { CallbackEvent } from '../domain/callback.js';
import type { Center } from '../domain/center.js';
import type { CallbackDelivery, SigningSecret } from '../services/callback.service.js';
import type { UserRecord } from '../storage/repositories/user.repository.js';
import type { ReportedCaseRecord } from '../storage/repositories/reading.repository.js';
import type { ReportVersionRecord } from '../storage/repositories/report.repository.js';
import type { ApiClientRecord } from '../storage/repositories/api-client.repository.js';
import type { OrganisationRecord } from '../storage/repositories/tenancy.repository.js';
import type { DicomNode, InboxStudySummary } from '../storage/repositories/dicom-inbox.repository.js';
import type { ClientSecret, NewApiClient, NewUser, PasswordReset } from '../services/admin.service.js';
import type {
  AdminCenterSchema,
  AdminUserSchema,
  ApiClientSchema,
  ClientSecretSchema,
  NewApiClientSchema,
  NewOrganisationSchema,
  NewUserSchema,
  OrganisationSchema,
  PasswordResetSchema,
} from './schemas/admin.js';
import type { UserSchema } from './routes/session.routes.js';
import type { DeliverySchema, SecretSchema } from './routes/callbacks.routes.js';
import type { CenterView } from '../services/center.service.js';
import type { CenterSchema } from './routes/centers.routes.js';
import type { StaffCenterSchema } from './routes/staff.routes.js';
import type { CaseImageSchema, CaseSchema, EyeGradingSchema, FindingsSchema, ImageChecksSchema } from './schemas/cases.js';
import type { AuditEntrySchema } from './schemas/audit.js';
import type { ErasureSummarySchema } from './schemas/erasure.js';
import type { ReadingCaseSchema, ReadingImageSchema, ReadingViewSchema, ReportVersionSchema, ReportedCaseSchema, WorklistItemSchema } from './schemas/reading.js';

/**
 * Domain objects into wire shapes: one presenter per resource, each typed by
 * the resource's TypeBox schema, so what is sent is what the contract says.
 * The only place camelCase domain objects become snake_case: services never
 * build wire shapes, and the CLI prints through these same presenters.
 */

export type CaseWire = Static<typeof CaseSchema>;

function presentGrading(e: EyeGrading): Static<typeof EyeGradingSchema> {
  return {
    quality: e.quality,
    dr: e.dr,
    dme: e.dme,
    amd: e.amd,
    vertical_cdr: e.vertical_cdr,
    glaucoma_suspect: e.glaucoma_suspect,
    hypertensive: e.hypertensive,
    other_findings: [...e.other_findings],
    other_text: e.other_text,
  };
}

function presentFindings(f: CaseFindings | null): Static<typeof FindingsSchema> | null {
  return f === null
    ? null
    : { od: presentGrading(f.od), os: presentGrading(f.os), glaucoma_override_reason: f.glaucomaOverrideReason, recommendation: f.recommendation, rescreen_months: f.rescreenMonths };
}

/** One image of a case: what it is, which eye, and what the image worker found (status, checks). */
export function presentCaseImage(i: CaseImage): Static<typeof CaseImageSchema> {
  return {
    id: i.id,
    file_name: i.fileName,
    size: i.size,
    content_type: i.contentType,
    width: i.width,
    height: i.height,
    sha256: i.sha256,
    created_at: i.createdAt,
    eye: i.eye,
    eye_source: i.eyeSource,
    status: i.status,
    status_reason: i.statusReason,
    checks: i.checks === null ? null : presentChecks(presentableChecks(i.checks, i.eye, i.eyeSource)),
    dicom: i.dicom === null ? null : { size: i.dicom.size, sop_class: i.dicom.sopClass },
  };
}

function presentChecks(c: ImageChecks): Static<typeof ImageChecksSchema> {
  const measure = (m: ImageChecks['quality']['measures'][QualityMeasure]) => ({ value: m.value, verdict: m.verdict, reason: m.reason });
  return {
    fundus: { value: c.fundus.value, verdict: c.fundus.verdict, reason: c.fundus.reason },
    quality: {
      value: c.quality.value,
      verdict: c.quality.verdict,
      reason: c.quality.reason,
      measures: {
        coverage: measure(c.quality.measures.coverage),
        underexposed: measure(c.quality.measures.underexposed),
        overexposed: measure(c.quality.measures.overexposed),
        sharpness: measure(c.quality.measures.sharpness),
        resolution: measure(c.quality.measures.resolution),
      },
    },
    laterality: { value: c.laterality.value, verdict: c.laterality.verdict, confidence: c.laterality.confidence, reason: c.laterality.reason },
  };
}

/** The intake fields named, in the contract's order. */
function intakeFields<K extends IntakeFieldName>(intake: Pick<CaseIntake, K>, names: readonly K[]): Pick<CaseIntake, K> {
  return Object.fromEntries(names.map((name) => [name, intake[name]])) as Pick<CaseIntake, K>;
}

/** Every field of a case but its images and report URL, as the contract names them, with the intake fields given. */
function caseFields<I extends Partial<CaseIntake>>(c: Omit<Case, 'intake' | 'images'> & { readonly images: readonly Pick<CaseImage, 'status'>[] }, intake: I) {
  return {
    id: c.id,
    status: c.status,
    derivation: c.derivation,
    center_id: c.centerId,
    ...intake,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    reported_at: c.reportedAt,
    report_version: c.reportVersion,
    findings: presentFindings(c.findings),
    amendment:
      c.amendment === null
        ? null
        : { previous_derivation: c.amendment.previousDerivation, more_urgent: c.amendment.moreUrgent, reason: c.amendment.reason, amended_at: c.amendment.amendedAt },
    requested: c.imageRequest === null ? null : { reason: c.imageRequest.reason, text: c.imageRequest.text, requested_at: c.imageRequest.requestedAt },
    waiting_for: waitingFor(c),
    rejection: c.rejection === null ? null : { reason: c.rejection.reason, text: c.rejection.text, rejected_at: c.rejection.rejectedAt },
  };
}

/** The case object of the contract (§4): every intake field, status, images, timestamps, and where its report is. */
export function presentCase(c: Case, reportUrl: string | null): CaseWire {
  return {
    ...caseFields(c, intakeFields(c.intake, INTAKE_FIELD_NAMES)),
    images: c.images.map(presentCaseImage),
    report_url: c.status === 'reported' ? reportUrl : null,
  };
}

type ReadingImageWire = Static<typeof ReadingImageSchema>;

function presentVariants(variants: ReadyVariants): ReadingImageWire['variants'] {
  return Object.fromEntries(
    Object.entries(variants).map(([name, v]) => [name, { width: v.width, height: v.height, size: v.size, content_type: v.contentType }]),
  );
}

/** A case as a reader sees it: what identifies the patient left out, each image with its ready variants. */
function presentReadingCase(c: AnonymisedCase): Static<typeof ReadingCaseSchema> {
  return {
    ...caseFields(c, intakeFields(c.intake, ANONYMOUS_INTAKE_FIELD_NAMES)),
    images: c.images.map((i): ReadingImageWire => ({ ...presentCaseImage(i), variants: presentVariants(i.variants) })),
  };
}

export function presentReadingView(view: ReadingView): Static<typeof ReadingViewSchema> {
  return {
    case: { ...presentReadingCase(view.case), deadline: view.case.deadline, overdue: view.case.overdue },
    previous_cases: view.previousCases.map(presentReadingCase),
    claim_expires_at: view.claimExpiresAt,
    center: presentCenterSummary(view.center),
    opened_by: view.openedBy.map((o) => ({ name: o.name, opened_at: o.openedAt })),
  };
}

export function presentWorklistItem(item: WorklistEntry): Static<typeof WorklistItemSchema> {
  return {
    id: item.id,
    center_id: item.centerId,
    center_name: item.centerName,
    submitted_at: item.submittedAt,
    deadline: item.deadline,
    overdue: item.overdue,
    age: item.age,
    gender: item.gender,
    diabetes: item.diabetes,
    image_count: item.imageCount,
    claimed: item.claimed,
    claim_expires_at: item.claimExpiresAt,
    claimed_by: item.claimedBy,
  };
}

/** A center as an API client sees it: the active one marked. */
export function presentCenter(c: CenterView): Static<typeof CenterSchema> {
  return { id: c.id, name: c.name, language: c.language, timezone: c.timezone, active: c.active };
}

/** A callback delivery with its attempts: the exact form body sent, never patient data. */
export function presentDelivery(d: CallbackDelivery): Static<typeof DeliverySchema> {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event: d.event as CallbackEvent,
    url: d.url,
    state: d.state,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    created_at: d.createdAt,
    finished_at: d.finishedAt,
    last_error: d.lastError,
    payload: d.payload,
    attempt_log: d.attemptLog.map((a) => ({
      started_at: a.startedAt,
      duration_ms: a.durationMs,
      status_code: a.statusCode,
      error: a.error,
      next_attempt_at: a.nextAttemptAt,
    })),
  };
}

/** A callback signing secret (API and CLI); after a rotation, until when the old one still signs. */
export function presentSigningSecret(s: SigningSecret): Static<typeof SecretSchema> {
  return { webhook_secret: s.secret, ...(s.previousValidUntil === undefined ? {} : { previous_secret_valid_until: s.previousValidUntil }) };
}

/** A person as they see themselves (login, GET /me). */
export function presentProfile(u: UserRecord): Static<typeof UserSchema> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    licence_number: u.licenceNumber,
    organisation_id: u.organisationId,
    center_ids: [...u.centerIds],
  };
}

/** A version of a signed report: who signed it, when, what, and why it changed. */
export function presentReportVersion(v: ReportVersionRecord, pdfUrl: string): Static<typeof ReportVersionSchema> {
  return {
    version: v.version,
    signed_at: v.signedAt,
    reader_name: v.readerName,
    reader_licence: v.readerLicence,
    derivation: v.derivation,
    suggested_derivation: v.suggestedDerivation,
    override_reason: v.overrideReason,
    amend_reason: v.amendReason,
    glaucoma_override_reason: v.glaucomaOverrideReason,
    od: presentGrading(v.od),
    os: presentGrading(v.os),
    recommendation: v.recommendation,
    rescreen_months: v.rescreenMonths,
    pdf_url: pdfUrl,
  };
}

/** A reported case in a reader's "recently reported" list: anonymised. */
export function presentReportedCase(r: ReportedCaseRecord): Static<typeof ReportedCaseSchema> {
  return {
    id: r.id,
    center_id: r.centerId,
    age: r.age,
    gender: r.gender,
    derivation: r.derivation,
    report_version: r.reportVersion,
    reported_at: r.reportedAt,
    updated_at: r.updatedAt,
  };
}

/** A center as its staff see it, and as readers see it beside the case they read. */
export function presentCenterSummary(c: Pick<CenterView, 'id' | 'name' | 'language' | 'timezone'>): Static<typeof StaffCenterSchema> {
  return { id: c.id, name: c.name, language: c.language, timezone: c.timezone };
}

/** An organisation (CLI). */
export function presentOrganisation(o: OrganisationRecord): Static<typeof OrganisationSchema> {
  return { id: o.id, name: o.name, created_at: o.createdAt };
}

/** A center as an administrator sees it (CLI). */
export function presentAdminCenter(c: Center): Static<typeof AdminCenterSchema> {
  return { id: c.id, organisation_id: c.organisationId, name: c.name, language: c.language, timezone: c.timezone, address: c.address, created_at: c.createdAt };
}

/** An API client, never its secret (CLI). */
export function presentApiClient(c: ApiClientRecord): Static<typeof ApiClientSchema> {
  return {
    id: c.id,
    client_id: c.clientId,
    name: c.name,
    organisation_id: c.organisationId,
    center_ids: [...c.centerIds],
    created_at: c.createdAt,
    secret_rotated_at: c.secretRotatedAt,
    disabled: c.disabled,
  };
}

/** A client just created, its secret shown this once (CLI, the demo credentials of `serve`). */
export function presentNewApiClient(c: NewApiClient): Static<typeof NewApiClientSchema> {
  return { id: c.id, client_id: c.clientId, client_secret: c.clientSecret, name: c.name, center_ids: [...c.centerIds] };
}

/** A client's rotated secret, shown this once (CLI). */
export function presentClientSecret(s: ClientSecret): Static<typeof ClientSecretSchema> {
  return { client_id: s.clientId, client_secret: s.clientSecret };
}

/** A person, never their password or its hash (CLI). */
export function presentUser(u: UserRecord): Static<typeof AdminUserSchema> {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    name: u.name,
    licence_number: u.licenceNumber,
    organisation_id: u.organisationId,
    center_ids: [...u.centerIds],
    created_at: u.createdAt,
    disabled: u.disabled,
  };
}

/** A person just created; a generated password shown this once (CLI, the demo credentials of `serve`). */
export function presentNewUser(u: NewUser): Static<typeof NewUserSchema> {
  return { id: u.id, email: u.email, role: u.role, ...(u.password === undefined ? {} : { password: u.password }) };
}

/** An organisation just created with its first admin (admin API). */
export function presentNewOrganisation(created: { organisation: OrganisationRecord; admin: NewUser }): Static<typeof NewOrganisationSchema> {
  return { organisation: presentOrganisation(created.organisation), admin: presentNewUser(created.admin) };
}

/** A person's new password, when generated here, shown this once (admin API). */
export function presentPasswordReset(reset: PasswordReset): Static<typeof PasswordResetSchema> {
  return { user_id: reset.userId, ...(reset.password === undefined ? {} : { password: reset.password }) };
}

/** An entry of the audit trail: ids only (administrators). */
export function presentAuditEntry(e: AuditEntry): Static<typeof AuditEntrySchema> {
  return {
    seq: e.seq,
    occurred_at: e.occurredAt,
    actor: { kind: e.actor.kind, id: e.actor.id },
    organisation_id: e.organisationId,
    center_id: e.centerId,
    case_id: e.caseId,
    action: e.action,
    object: e.object === null ? null : { kind: e.object.kind, id: e.object.id },
    request_id: e.requestId,
    status: e.status,
    detail: e.detail ?? null,
    hash: e.hash,
  };
}

/** What an erasure removed, and the pseudonyms the audit trail keeps (administrators, the CLI). */
export function presentErasure(e: ErasureSummary): Static<typeof ErasureSummarySchema> {
  return {
    center_id: e.centerId,
    case_ids: [...e.caseIds],
    history_number_hmacs: [...e.historyNumberHmacs],
    cases: e.cases,
    images: e.images,
    previews: e.previews,
    reports: e.reports,
    callbacks: e.callbacks,
    idempotency_keys: e.idempotencyKeys,
    dicom_inbox_studies: e.dicomInboxStudies,
    blobs_deleted: e.blobsDeleted,
    blobs_left: e.blobsLeft,
  };
}

/** A center's DICOM node: the AE title cameras send to and the calling AE titles allowed to (CLI). */
export function presentDicomNode(n: DicomNode): { center_id: number; ae_title: string; calling_ae_titles: string[] } {
  return { center_id: n.centerId, ae_title: n.aeTitle, calling_ae_titles: [...n.callingAeTitles] };
}

/** A study waiting in the DICOM inbox, and why it is still there (CLI). */
export function presentInboxStudy(s: InboxStudySummary) {
  return {
    id: s.id,
    center_id: s.centerId,
    study_instance_uid: s.studyInstanceUid,
    state: s.state,
    instances: s.instances,
    attempts: s.attempts,
    reason: s.lastError,
    first_received_at: s.firstReceivedAt,
    last_received_at: s.lastReceivedAt,
  };
}
