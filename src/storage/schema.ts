import type { Generated } from 'kysely';
import type { AuditAction, AuditActorKind, AuditObjectKind } from '../domain/audit.js';
import type { CaseStatus, Derivation } from '../domain/case.js';
import type { ImageStatus } from '../domain/image-checks.js';
import type { PreviewJobState } from '../domain/preview.js';

/**
 * Table shapes as the database holds them. Timestamps are ISO 8601 UTC text
 * (`2026-01-02T03:04:05.678Z`): the same on SQLite and PostgreSQL, and
 * fixed-width so they compare and sort as strings.
 */
export interface Database {
  organisations: OrganisationTable;
  centers: CenterTable;
  api_clients: ApiClientTable;
  api_client_centers: ApiClientCenterTable;
  access_tokens: AccessTokenTable;
  users: UserTable;
  user_centers: UserCenterTable;
  user_sessions: UserSessionTable;
  cases: CaseTable;
  case_images: CaseImageTable;
  case_search_terms: CaseSearchTermTable;
  image_requests: ImageRequestTable;
  image_variants: ImageVariantTable;
  preview_jobs: PreviewJobTable;
  idempotency_keys: IdempotencyKeyTable;
  case_claims: CaseClaimTable;
  reports: ReportTable;
  case_rejections: CaseRejectionTable;
  callback_deliveries: CallbackDeliveryTable;
  callback_attempts: CallbackAttemptTable;
  webhook_secrets: WebhookSecretTable;
  auth_throttles: AuthThrottleTable;
  audit_entries: AuditEntryTable;
  audit_chain: AuditChainTable;
  one_time_claims: OneTimeClaimTable;
  rate_limit_windows: RateLimitWindowTable;
  dicom_calling_aes: DicomCallingAeTable;
  dicom_studies: DicomStudyTable;
  dicom_instances: DicomInstanceTable;
}

/** A calling AE title allowed to send DICOM to a center (migration 0030). */
export interface DicomCallingAeTable {
  center_id: number;
  ae_title: string;
}

/** A study received over DICOM that is not a case yet: a lease queue, due once quiet for the stable time. */
export interface DicomStudyTable extends LeaseColumns {
  id: Generated<number>;
  center_id: number;
  study_instance_uid: string;
  /** PatientID of its files (the first that named one): the history number its case will have. */
  patient_id: string | null;
  /** The case it became; files of it that come later join that case. */
  case_id: number | null;
  /** 'pending' while files wait to become (or join) a case; 'failed' when they could not, `last_error` saying why; 'done' once they did. */
  state: 'pending' | 'failed' | 'done';
  last_error: string | null;
  first_received_at: string;
  last_received_at: string;
}

/** One DICOM file received by C-STORE, kept in the blob store until its study becomes a case. */
export interface DicomInstanceTable {
  id: Generated<number>;
  study_id: number;
  sop_instance_uid: string;
  blob_key: string;
  size: number;
  calling_ae: string;
  received_at: string;
}

/** Requests counted by the rate limit: one row a key, for its current fixed window. */
export interface RateLimitWindowTable {
  /** What the limit counts by: a token's hash (`t:…`) or a client address (`ip:…`). */
  key: string;
  /** Requests in the window, this one included. */
  hits: number;
  /** When the window ends, in milliseconds since the epoch. */
  resets_at: number;
}

/** Something done once per installation (the demo seed), and when the process that does it claimed it. */
export interface OneTimeClaimTable {
  name: string;
  claimed_at: string;
}

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

export interface CenterTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  language: string;
  /** IANA time zone its reports are dated in; null: the instance default (migration 0015). */
  timezone: string | null;
  /** Printed under its name on its reports; null: none (migration 0023). */
  address: string | null;
  /** The AE title cameras send DICOM to for this center; null: it takes none (migration 0030). */
  dicom_ae_title: string | null;
  created_at: string;
}

export interface ApiClientTable {
  id: Generated<number>;
  organisation_id: number;
  /** Public identifier the client sends as `client_id`. */
  client_id: string;
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  secret_hash: string;
  name: string;
  default_center_id: number;
  created_at: string;
  secret_rotated_at: string;
  disabled_at: string | null;
}

export interface ApiClientCenterTable {
  api_client_id: number;
  center_id: number;
}

export interface AccessTokenTable {
  id: Generated<number>;
  token_hash: string;
  api_client_id: number;
  active_center_id: number;
  created_at: string;
  expires_at: string;
}

export interface UserTable {
  id: Generated<number>;
  organisation_id: number;
  email: string;
  password_hash: string;
  role: 'admin' | 'reader' | 'staff';
  name: string;
  licence_number: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface UserSessionTable {
  id: Generated<number>;
  /** SHA-256 of the bearer token; the token itself is shown once at login. */
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface UserCenterTable {
  user_id: number;
  center_id: number;
}

export interface CaseTable {
  id: Generated<number>;
  center_id: number;
  api_client_id: number | null;
  /** The person (center staff) who submitted the case from the web app; null for API clients. */
  user_id: number | null;
  status: CaseStatus;
  derivation: Derivation | null;
  history_number: string | null;
  first_name: string | null;
  last_name: string | null;
  gender: number | null;
  age: number | null;
  diabetes: number | null;
  visit_date: string;
  visit_reason: string | null;
  ophthalmic_antecedents: string | null;
  other_relevant_info: string | null;
  retinologist_notes: string | null;
  description: string | null;
  od_iop: number | null;
  od_va: number | null;
  od_axis: number | null;
  od_cylinder: number | null;
  od_sphere: number | null;
  od_add: number | null;
  od_prism: number | null;
  od_prism_base: number | null;
  os_iop: number | null;
  os_va: number | null;
  os_axis: number | null;
  os_cylinder: number | null;
  os_sphere: number | null;
  os_add: number | null;
  os_prism: number | null;
  os_prism_base: number | null;
  callback_url: string | null;
  created_at: string;
  updated_at: string;
  reported_at: string | null;
  report_version: number | null;
  /** Advanced by the database on every change to the case or its images, reports, rejection and image requests (migration 0031). */
  revision: Generated<number>;
}

/** A term staff find a case by: a normalized word of its history number or names (src/domain/search.ts). */
export interface CaseSearchTermTable {
  term: string;
  case_id: number;
}

export interface CaseImageTable {
  id: Generated<number>;
  case_id: number;
  blob_key: string;
  file_name: string;
  size: number;
  content_type: string;
  width: number;
  height: number;
  /** Null until the image worker has hashed the stored file (migration 0009). */
  sha256: string | null;
  created_at: string;
  /** Which eye: 'od' | 'os', null while nobody has said (migration 0011). */
  eye: 'od' | 'os' | null;
  /** Who said it: 'client' | 'file_name' | 'reader' | 'dicom' | 'detected'. */
  eye_source: string | null;
  /** The reader who last set it, and when. */
  eye_set_by: number | null;
  eye_set_at: string | null;
  /** 'checking' | 'ok' | 'unreadable': what the image worker found when it decoded it (migration 0019). */
  check_status: Generated<ImageStatus>;
  /** Why it is unreadable (the decoder's message). */
  check_reason: string | null;
  /** The automatic checks and their measures, as JSON (domain/image-checks.ts StoredImageChecks); null before. */
  checks: string | null;
  checked_at: string | null;
  /** The DICOM file the photograph was taken from, kept as it came; null for images sent as JPEG, PNG or TIFF (migration 0020). */
  dicom_blob_key: string | null;
  dicom_size: number | null;
  /** 'ophthalmic_photography' | 'secondary_capture' (domain/dicom.ts). */
  dicom_sop_class: string | null;
  /**
   * Null when the blob is the image; else the image is the `size` bytes from
   * here in its blob, the DICOM file it came in (migration 0032).
   */
  blob_offset: number | null;
}

/** A reader's request for new photographs of a pending case; open until images arrive. */
export interface ImageRequestTable {
  id: Generated<number>;
  case_id: number;
  reader_id: number;
  reason: string;
  text: string | null;
  requested_at: string;
  fulfilled_at: string | null;
}

/** A reduced copy of an image (`preview`, `thumb`), made once by the preview worker. */
export interface ImageVariantTable {
  image_id: number;
  variant: string;
  blob_key: string;
  content_type: string;
  width: number;
  height: number;
  size: number;
  sha256: string;
  created_at: string;
}

/** The columns of a job table whose rows workers claim under a lease (storage/lease.ts). */
export interface LeaseColumns {
  state: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  lease_token: string | null;
}

/** One per image: making its variants. */
export interface PreviewJobTable extends LeaseColumns {
  image_id: number;
  state: PreviewJobState;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface IdempotencyKeyTable {
  id: Generated<number>;
  /** The owner of the key: an API client or a person, exactly one. */
  api_client_id: number | null;
  user_id: number | null;
  idempotency_key: string;
  /** SHA-256 over the request's fields and image digests. */
  request_hash: string | null;
  state: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: string;
  /** While `running`: when another attempt may take the key over (crash recovery). */
  locked_until: string;
}

export interface CaseClaimTable {
  case_id: number;
  reader_id: number;
  claimed_at: string;
  expires_at: string;
}

export interface ReportTable {
  id: Generated<number>;
  case_id: number;
  version: number;
  reader_id: number;
  /** JSON of the eye's EyeGrading. */
  grading_od: string;
  grading_os: string;
  suggested_derivation: Derivation;
  derivation: Derivation;
  override_reason: string | null;
  recommendation: string;
  rescreen_months: number | null;
  amend_reason: string | null;
  /** Why the reader did not suspect glaucoma in an eye whose cup-to-disc ratio suggests it (migration 0015). */
  glaucoma_override_reason: string | null;
  signed_at: string;
}

export interface CaseRejectionTable {
  id: Generated<number>;
  case_id: number;
  reader_id: number;
  reason: string;
  text: string | null;
  rejected_at: string;
}

export interface CallbackDeliveryTable {
  id: Generated<number>;
  case_id: number;
  /** Stable across retries (Standard Webhooks `webhook-id`). */
  webhook_id: string;
  event: string;
  url: string;
  /** The form-encoded body, fixed when the event happens. */
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  /** Who holds the lease until `locked_until`. */
  lease_token: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface CallbackAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  started_at: string;
  duration_ms: number;
  /** Null when no HTTP answer came (refused, timeout, address not allowed). */
  status_code: number | null;
  error: string | null;
  /** When the next attempt is due; null when this one ended the delivery. */
  next_attempt_at: string | null;
}

export interface WebhookSecretTable {
  id: Generated<number>;
  organisation_id: number;
  /** Null: the organisation's secret, for cases created by people. */
  api_client_id: number | null;
  /** `whsec_…` sealed by SecretBox. */
  sealed_secret: string;
  created_at: string;
  /** After a rotation the old secret signs alongside the new one until then. */
  retire_at: string | null;
}

/** Failed authentication attempts of one key (an account and an address, or an address alone). */
export interface AuthThrottleTable {
  /** SHA-256 (hex) of the key. */
  key: string;
  /** Attempts since the last lockout: failures plus those still being checked. */
  attempts: number;
  /** Lockouts so far; each doubles the next. */
  lockouts: number;
  locked_until: string | null;
  /** When the row is forgotten: the window after its last attempt or lockout. */
  expires_at: string;
}

/** One entry of the audit trail (domain/audit.ts): ids only, hashed over the previous entry's hash and its own content. */
export interface AuditEntryTable {
  /** 1, 2, 3, … without gaps: its place in the chain. */
  seq: number;
  occurred_at: string;
  actor_kind: AuditActorKind;
  actor_id: number | null;
  organisation_id: number | null;
  center_id: number | null;
  case_id: number | null;
  action: AuditAction;
  object_kind: AuditObjectKind | null;
  object_id: number | null;
  request_id: string | null;
  status: number;
  /** JSON the hash covers, for entries that need more than ids (an erasure's pseudonymous trace); null for most (migration 0026). */
  detail: string | null;
  /** SHA-256 (hex) of the previous entry's hash and this entry's canonical content. */
  hash: string;
}

/** The audit chain's one head row (id 1): the last entry's sequence number and hash; appends lock it. */
export interface AuditChainTable {
  id: number;
  seq: number;
  hash: string;
}
