import { hash } from 'node:crypto';

/**
 * The audit trail: who read or changed what, when, and with what outcome.
 * Entries hold ids only, never a name, history number or free text, so the
 * trail itself is no copy of patient data; an erasure's entry adds a keyed
 * hash of the history number (a pseudonym, `detail`), never the number. Each entry is chained to the one
 * before by a SHA-256 (`chainHash`), so an entry changed or deleted after
 * the fact breaks the chain where it happened (`openretina audit verify`).
 */

/**
 * Who acted: an API client, a person, the admin command line, nobody
 * authenticated (a failed login, a bad token), or the DICOM network intake
 * (a case made from files a center's camera sent; the entry names the center).
 */
export const AUDIT_ACTOR_KINDS = ['api_client', 'user', 'cli', 'anonymous', 'dicom'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/** What an entry is about; the id is that row's id. */
export const AUDIT_OBJECT_KINDS = ['case', 'image', 'callback_delivery', 'center', 'organisation', 'api_client', 'user'] as const;
export type AuditObjectKind = (typeof AUDIT_OBJECT_KINDS)[number];

/** Every action recorded. Reads of patient data, changes, authentication and administration. */
export const AUDIT_ACTIONS = [
  // Authentication: issuing tokens, logins, and requests refused for their credentials or role.
  'token.issue',
  'session.login',
  'session.logout',
  'auth.failed',
  'access.denied',
  // Cases: the API clients' and center staff's side.
  'case.create',
  'case.list',
  'case.read',
  'case.images.add',
  'report.read',
  'callbacks.read',
  'callback.redeliver',
  'webhook_secret.read',
  'webhook_secret.rotate',
  'center.change',
  // Reading: the readers' side.
  'worklist.read',
  'reported.list',
  'reading_view.read',
  'image.read',
  'case.claim',
  'case.release',
  'image.eye.set',
  'case.eyes.swap',
  'report.sign',
  'report.amend',
  'report.versions.read',
  'case.reject',
  'case.images.request',
  // Administration (the CLI and the admin API) and the trail itself.
  'organisation.create',
  'organisation.list',
  'organisation.rename',
  'center.create',
  'center.list',
  'center.update',
  'api_client.create',
  'api_client.list',
  'api_client.secret.rotate',
  'api_client.revoke',
  'api_client.centers.set',
  'user.create',
  'user.list',
  'user.update',
  'user.password.reset',
  'audit.read',
  // Erasure of a patient's cases (GDPR art. 17): the detail holds the pseudonymous trace.
  'patient.erase',
  // The DICOM network intake's inbox: a study that could not become a case, discarded by an administrator.
  'dicom_study.discard',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The reading view of a case: a reader "opened" it (ReadingView.openedBy). */
export const CASE_OPENED: AuditAction = 'reading_view.read';

export interface AuditActor {
  readonly kind: AuditActorKind;
  /** The api client's or person's id; null for the CLI and anonymous callers. */
  readonly id: number | null;
}

export interface AuditObject {
  readonly kind: AuditObjectKind;
  readonly id: number;
}

/** An entry to append. The center, when not given, is the center of `caseId` (looked up as it is stored). */
export interface AuditRecord {
  readonly occurredAt: string;
  readonly actor: AuditActor;
  readonly organisationId: number | null;
  readonly centerId?: number | null;
  /** The case the object belongs to (the case itself, one of its images, a callback of it). */
  readonly caseId: number | null;
  readonly action: AuditAction;
  readonly object: AuditObject | null;
  /** The HTTP request's id (X-Request-Id); null for the CLI. */
  readonly requestId: string | null;
  /** The HTTP status answered; for the CLI, the status the same refusal has over HTTP (200 when done). */
  readonly status: number;
  /**
   * JSON text for the few entries that need more than ids (an erasure's
   * pseudonymous trace), covered by the hash; absent or null for the rest,
   * whose content then hashes exactly as before the detail existed.
   */
  readonly detail?: string | null;
}

/** An entry as stored: its place in the chain and its hash. */
export interface AuditEntry extends Omit<AuditRecord, 'centerId'> {
  readonly seq: number;
  readonly centerId: number | null;
  readonly hash: string;
}

/**
 * What a request learnt about who acted and on what beyond its principal and
 * path: a login's person, the case it created, the center it moved to. The
 * route handlers and the login services fill it; one entry is written from it.
 */
export interface AuditNote {
  actor?: AuditActor;
  organisationId?: number | null;
  centerId?: number | null;
  caseId?: number | null;
  object?: AuditObject | null;
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The content an entry's hash covers, in a fixed order: a JSON array of
 * `[seq, occurred_at, actor_kind, actor_id, organisation_id, center_id,
 * case_id, action, object_kind, object_id, request_id, status]`, and the
 * detail last when an entry has one (entries without keep their old content). PostgreSQL
 * builds the same text in the statement that appends (the sequence number
 * and the center are only known there), from the two halves `contentAround`
 * gives, so both must stay exactly this.
 */
export function canonicalContent(entry: Omit<AuditEntry, 'hash'>): string {
  const { before, after } = contentAround(entry);
  return `[${entry.seq}${before}${entry.centerId === null ? 'null' : String(entry.centerId)}${after}]`;
}

/** The canonical content on each side of the center: `[<seq><before><center><after>]`. */
export function contentAround(entry: Omit<AuditRecord, 'centerId'>): { before: string; after: string } {
  const head = [entry.occurredAt, entry.actor.kind, entry.actor.id, entry.organisationId];
  const tail = [entry.caseId, entry.action, entry.object?.kind ?? null, entry.object?.id ?? null, entry.requestId, entry.status];
  if (entry.detail !== undefined && entry.detail !== null) tail.push(entry.detail);
  return { before: `,${JSON.stringify(head).slice(1, -1)},`, after: `,${JSON.stringify(tail).slice(1, -1)}` };
}

/** SHA-256 (hex) of the previous entry's hash followed by this entry's canonical content. */
export function chainHash(previousHash: string, entry: Omit<AuditEntry, 'hash'>): string {
  return hash('sha256', previousHash + canonicalContent(entry), 'hex');
}

/** Where the chain breaks: an entry whose hash is not what its content and predecessor give, one missing, or a head that does not match the last. */
export interface ChainBreak {
  readonly seq: number;
  readonly reason: 'hash_mismatch' | 'missing' | 'head_mismatch';
  /** The entry whose hash does not hold (hash_mismatch). */
  readonly entry?: AuditEntry;
}

/** What each break means, for a person. */
export const CHAIN_BREAK_REASONS: Record<ChainBreak['reason'], string> = {
  hash_mismatch: 'its content or hash is not what was recorded (changed after the fact)',
  missing: 'it is missing (deleted)',
  head_mismatch: "the chain's head does not name the last entry (entries at the end removed, or the head changed)",
};

export type ChainVerdict = { readonly ok: true; readonly count: number } | { readonly ok: false; readonly count: number; readonly broken: ChainBreak };

/**
 * Walks entries in order (in pages, resumable): `check` takes the next page
 * and returns the first break, if any. A gap in the sequence is an entry
 * missing; a hash that differs is an entry changed (or the one before it
 * deleted, which the gap names first).
 */
export class ChainWalker {
  private previousHash = GENESIS_HASH;
  private expectedSeq = 1;
  count = 0;

  check(page: readonly AuditEntry[]): ChainBreak | null {
    for (const entry of page) {
      if (entry.seq !== this.expectedSeq) return { seq: this.expectedSeq, reason: 'missing' };
      if (chainHash(this.previousHash, entry) !== entry.hash) return { seq: entry.seq, reason: 'hash_mismatch', entry };
      this.previousHash = entry.hash;
      this.expectedSeq += 1;
      this.count += 1;
    }
    return null;
  }

  /** The chain's head row must name the last entry walked: otherwise entries at the end were deleted (or the head changed). */
  finish(head: { seq: number; hash: string }): ChainBreak | null {
    if (head.seq === this.count && head.hash === this.previousHash) return null;
    return { seq: head.seq > this.count ? this.count + 1 : head.seq, reason: head.seq > this.count ? 'missing' : 'head_mismatch' };
  }
}
