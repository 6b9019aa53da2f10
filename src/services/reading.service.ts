import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { CASE_OPENED } from '../domain/audit.js';
import type { Case, CaseImage } from '../domain/case.js';
import { type Center, centerOf } from '../domain/center.js';
import { ConflictError, type FieldIssue, NotFoundError, UnprocessableError, ValidationError } from '../domain/errors.js';
import type { Eye } from '../domain/eyes.js';
import {
  REJECTION_REASONS,
  type RejectionReason,
  type ReportInput,
  chooseDerivation,
  conclusionNotRestated,
  isRecord,
  parseReportInput,
  suggestDerivation,
} from '../domain/grading.js';
import type { Derivation } from '../domain/case.js';
import type { ReadyVariants, ServedVariant } from '../domain/preview.js';
import type { UserPrincipal } from '../domain/principal.js';
import { type AnonymousIntake, anonymise, claimUntilText, decideClaim, holdsClaim, isOverdue, readingDeadline } from '../domain/reading.js';
import type { ReportedCaseRecord } from '../storage/repositories/reading.repository.js';
import type { ReportVersionRecord } from '../storage/repositories/report.repository.js';
import type { Database } from '../storage/schema.js';
import type { ServiceContext } from './context.js';
import type { ReportDownload } from './report-cache.js';
import type { ReportService } from './report.service.js';

/** A pending case in a reader's worklist: when it is due, and whether someone holds it. */
export interface WorklistEntry {
  readonly id: number;
  readonly centerId: number;
  readonly centerName: string;
  readonly submittedAt: string;
  readonly deadline: string;
  readonly overdue: boolean;
  readonly age: number | null;
  readonly gender: number | null;
  readonly diabetes: number | null;
  readonly imageCount: number;
  /** `mine`, `other` (someone else holds a live claim) or null. */
  readonly claimed: 'mine' | 'other' | null;
  readonly claimExpiresAt: string | null;
  /** Who holds the live claim, by name. */
  readonly claimedBy: string | null;
}

/** Which part of the worklist a reader asks for: one of their centers, overdue cases or those still in time. */
export interface WorklistQuery {
  readonly afterId?: number;
  readonly centerId?: number;
  readonly overdue?: boolean;
}

/** An image as a reader's client sees it: with the variants ready to load instead of the original. */
export type ReadingImage = CaseImage & { readonly variants: ReadyVariants };

/** A case as a reader sees it: the intake without who the patient is, each image with its ready variants. */
export type AnonymisedCase = Omit<Case, 'intake' | 'images'> & { readonly intake: AnonymousIntake; readonly images: readonly ReadingImage[] };

export interface ReadingView {
  readonly case: AnonymisedCase & { readonly deadline: string; readonly overdue: boolean };
  /** The center the case comes from: its report is written in its language (the standard wording the reader picks too) and dated in its time zone. */
  readonly center: Center;
  /** Earlier cases of the same patient at the same center, newest first, anonymised too. */
  readonly previousCases: readonly AnonymisedCase[];
  /** The reader's claim on a pending case; null for a reported case (nobody holds it). */
  readonly claimExpiresAt: string | null;
  /** Other readers who opened this case (the audit trail's reading-view entries), each with the last time, latest first. */
  readonly openedBy: readonly { readonly name: string; readonly openedAt: string }[];
}

/** The bytes of one image to send, and what they are. */
export interface ImageDownload {
  /** What is sent: the variant asked for, or the original while that variant is not ready. */
  readonly variant: ServedVariant;
  readonly contentType: string;
  readonly size: number;
  /** What identifies these bytes for caching: their SHA-256, or, while an original is not hashed yet, its image id. */
  readonly tag: string;
  /** True when these are the bytes this request will always get (a stored blob never changes). */
  readonly final: boolean;
  open(): Promise<Readable>;
}

export const WORKLIST_PAGE = 100;
export const RECENTLY_REPORTED = 50;

/** The retina specialist's side: worklist, exclusive claims, anonymised reading. */
export class ReadingService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly reports: ReportService,
  ) {}

  /** Pending cases with images, oldest first (they are the most urgent), with their deadlines. */
  async worklist(principal: UserPrincipal, query: WorklistQuery = {}): Promise<{ items: WorklistEntry[]; nextAfter: number | null }> {
    this.ctx.access.require(principal, 'reader');
    const { turnaroundHours } = this.ctx.config.reading;
    const now = this.ctx.now();
    let centerIds = await this.ctx.access.centerIdsOf(principal);
    if (query.centerId !== undefined) {
      if (!centerIds.includes(query.centerId)) {
        throw new ValidationError([{ field: 'center_id', rule: 'membership', message: 'must be one of the centers you read for' }]);
      }
      centerIds = [query.centerId];
    }
    const rows = await this.ctx.repos.reading.listWorklist(this.ctx.db, {
      centerIds,
      afterId: query.afterId ?? 0,
      limit: WORKLIST_PAGE + 1,
      overdue: query.overdue,
      // Overdue: the deadline (submission + turnaround) has passed, i.e. submitted at or before now − turnaround.
      overdueCutoff: new Date(now.getTime() - turnaroundHours * 3600_000).toISOString(),
    });
    const items = rows.slice(0, WORKLIST_PAGE).map((r): WorklistEntry => {
      const deadline = readingDeadline(r.createdAt, turnaroundHours);
      const live = r.claim !== null && r.claim.expiresAt > now.toISOString();
      return {
        id: r.id,
        centerId: r.centerId,
        centerName: r.centerName,
        submittedAt: r.createdAt,
        deadline,
        overdue: isOverdue(deadline, now),
        age: r.age,
        gender: r.gender,
        diabetes: r.diabetes,
        imageCount: r.imageCount,
        claimed: live ? (r.claim!.readerId === principal.userId ? 'mine' : 'other') : null,
        claimExpiresAt: live ? r.claim!.expiresAt : null,
        claimedBy: live ? r.claimHolder : null,
      };
    });
    return { items, nextAfter: rows.length > WORKLIST_PAGE ? items[items.length - 1]!.id : null };
  }

  /**
   * Takes (or renews) the exclusive claim on a pending case. Refused while
   * another reader holds it: the message names them and says until when, in
   * `timeZone` (the reader's own, as the web app sends it; UTC otherwise).
   */
  async claim(principal: UserPrincipal, caseId: number, timeZone?: string): Promise<{ expiresAt: string }> {
    this.ctx.access.require(principal, 'reader');
    const found = await this.ctx.access.caseFor(principal, caseId);
    if (found.status !== 'pending') throw new ConflictError('case_not_pending', `The case is ${found.status}; only pending cases are read`);
    // Only a reader's own request parks a case: one sent without photographs may still be claimed, to reject it as such.
    if (found.imageRequest !== null) {
      throw new ConflictError('waiting_for_images', 'A reader asked the clinic for new photographs; the case returns to the worklist when they arrive');
    }
    const now = this.ctx.now();
    const expiresAt = new Date(now.getTime() + this.ctx.config.reading.claimMinutes * 60_000).toISOString();
    await this.ctx.db.transaction().execute(async (trx) => {
      const current = await this.ctx.repos.reading.findClaimForUpdate(trx, caseId);
      const decision = decideClaim(current, principal.userId, now);
      if (!decision.ok) {
        const holder = (await this.ctx.repos.users.findUser(trx, decision.heldBy))?.name ?? 'Another reader';
        throw new ConflictError('case_claimed', `${holder} is reading this case (claimed until ${claimUntilText(decision.until, now, timeZone)})`);
      }
      await this.ctx.repos.reading.saveClaim(trx, caseId, principal.userId, now.toISOString(), expiresAt);
    });
    return { expiresAt };
  }

  async release(principal: UserPrincipal, caseId: number): Promise<void> {
    this.ctx.access.require(principal, 'reader');
    await this.ctx.access.caseFor(principal, caseId);
    if (!(await this.ctx.repos.reading.deleteClaim(this.ctx.db, caseId, principal.userId))) {
      throw new ConflictError('not_claimed', 'You do not hold a claim on this case');
    }
  }

  /**
   * The case as a reader sees it: anonymised, with the patient's earlier
   * cases. A pending case only for the reader holding its claim; a reported
   * one for any reader of the organisation, to review or amend it.
   */
  async read(principal: UserPrincipal, caseId: number): Promise<ReadingView> {
    const view = await this.caseView(principal, caseId);
    const openers = await this.ctx.repos.audit.openers(this.ctx.db, caseId, CASE_OPENED, principal.userId);
    return { ...view, openedBy: openers.map((o) => ({ name: o.name, openedAt: o.openedAt })) };
  }

  /** What `read` shows but who else opened the case: what acting on the case (its eyes, its images) needs. */
  private async caseView(principal: UserPrincipal, caseId: number): Promise<Omit<ReadingView, 'openedBy'>> {
    this.ctx.access.require(principal, 'reader');
    const found = await this.ctx.access.caseFor(principal, caseId);
    const claim = await this.ctx.repos.reading.findClaim(this.ctx.db, caseId);
    if (found.status === 'rejected') throw new ConflictError('case_rejected', 'The case was rejected; it is not read any more');
    if (found.status === 'pending' && !holdsClaim(claim, principal.userId, this.ctx.now())) {
      throw new ConflictError('claim_required', 'Claim the case before reading it');
    }
    const centerIds = await this.ctx.access.centerIdsOf(principal);
    const earlierIds = await this.ctx.repos.reading.earlierCaseIdsOfPatient(this.ctx.db, caseId);
    const earlier: Case[] = [];
    for (const id of earlierIds) {
      const visible = await this.ctx.repos.cases.findCaseForViewer(this.ctx.db, id, centerIds);
      if (visible) earlier.push(visible);
    }
    const imageIds = [found, ...earlier].flatMap((c) => c.images.map((i) => i.id));
    const variants = await this.ctx.repos.previews.readyVariantsOf(this.ctx.db, imageIds);
    // An image that cannot be decoded never reaches a reader as a broken pane: it is left out (the clinic was told).
    const forReader = (c: Case): AnonymisedCase => ({
      ...c,
      intake: anonymise(c.intake),
      images: c.images.filter((i) => i.status !== 'unreadable').map((i) => ({ ...i, variants: variants.get(i.id) ?? {} })),
    });
    const deadline = readingDeadline(found.createdAt, this.ctx.config.reading.turnaroundHours);
    const [center] = await this.ctx.repos.tenancy.findCentersByIds(this.ctx.db, [found.centerId]);
    return {
      case: { ...forReader(found), deadline, overdue: isOverdue(deadline, this.ctx.now()) },
      center: centerOf(center!, this.ctx.config.defaultTimezone),
      previousCases: earlier.map(forReader),
      claimExpiresAt: found.status === 'pending' ? claim!.expiresAt : null,
    };
  }

  /**
   * Says which eye an image shows (null: not known), as a reader sees it:
   * on a case they hold, or a signed one they review. Recorded with who and
   * when; the source becomes `reader`.
   */
  async setEye(principal: UserPrincipal, caseId: number, imageId: number, eye: Eye | null): Promise<CaseImage> {
    const view = await this.caseView(principal, caseId);
    const image = view.case.images.find((i) => i.id === imageId);
    if (!image) throw new NotFoundError('Image');
    const laterality = { eye, source: eye === null ? null : ('reader' as const), setBy: principal.userId, at: this.ctx.now().toISOString() };
    // The case first, then its image: the order every writer of a case's parts keeps (see PreviewRepository.lockCaseOfImage).
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.ctx.repos.reading.lockCase(trx, caseId);
      await this.ctx.repos.cases.setImageEye(trx, caseId, imageId, laterality);
    });
    return { ...image, eye: laterality.eye, eyeSource: laterality.source };
  }

  /** Swaps right and left on every image of the case that has an eye (a pair uploaded the wrong way round). */
  async swapEyes(principal: UserPrincipal, caseId: number): Promise<CaseImage[]> {
    const view = await this.caseView(principal, caseId);
    const at = this.ctx.now().toISOString();
    const swapped = view.case.images.map((i) => (i.eye === null ? i : { ...i, eye: i.eye === 'od' ? ('os' as const) : ('od' as const), eyeSource: 'reader' as const }));
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.ctx.repos.reading.lockCase(trx, caseId);
      for (const image of swapped) {
        if (image.eye !== null) await this.ctx.repos.cases.setImageEye(trx, caseId, image.id, { eye: image.eye, source: 'reader', setBy: principal.userId, at });
      }
    });
    return swapped;
  }

  /**
   * One image of a case the reader holds (or of an earlier case of that
   * patient): a variant when it is ready, else the original — never an
   * error for a variant still being made or one that could not be made.
   */
  async openImage(principal: UserPrincipal, caseId: number, imageId: number, variant: ServedVariant = 'original'): Promise<ImageDownload> {
    const view = await this.caseView(principal, caseId);
    const image = [view.case, ...view.previousCases].flatMap((c) => c.images).find((i) => i.id === imageId);
    if (!image) throw new NotFoundError('Image');
    const { db, repos, blobs } = this.ctx;
    const stored = variant === 'original' ? undefined : await repos.previews.findVariant(db, imageId, variant);
    if (stored) {
      return { variant, contentType: stored.contentType, size: stored.size, tag: stored.sha256, final: true, open: () => blobs.get(stored.blobKey) };
    }
    const original = await repos.cases.originalOfImage(db, imageId);
    if (!original) throw new NotFoundError('Image');
    return {
      variant: 'original',
      contentType: image.contentType,
      size: image.size,
      // An original never changes, so its id is as good a tag until the worker has hashed it.
      tag: image.sha256 ?? `image-${image.id}`,
      final: variant === 'original',
      open: () => blobs.get(original.blobKey, original.range),
    };
  }

  /**
   * Signs version 1 of the report of a pending case the reader holds: the
   * case becomes `reported` with the chosen derivation, in one transaction.
   */
  async sign(principal: UserPrincipal, caseId: number, body: unknown): Promise<{ version: number; derivation: Derivation; suggested: Derivation }> {
    this.ctx.access.require(principal, 'reader');
    const { input, suggested, chosen } = checkedReport(body, []);
    await this.ctx.access.caseFor(principal, caseId);
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.holdPendingCase(trx, principal, caseId, now, 'signing');
      await this.ctx.repos.reports.insertReport(
        trx,
        { caseId, version: 1, readerId: principal.userId, input, suggested, derivation: chosen, amendReason: null },
        now.toISOString(),
      );
      await this.ctx.repos.reports.markReported(trx, caseId, chosen, 1, now.toISOString(), true);
      await this.ctx.repos.callbacks.recordEvent(trx, { event: 'case.reported', caseId, derivation: chosen, reportVersion: 1, occurredAt: now.toISOString() });
      await this.ctx.repos.reading.deleteClaim(trx, caseId, principal.userId);
    });
    this.ctx.wakeups.notify('callbacks');
    return { version: 1, derivation: chosen, suggested };
  }

  /**
   * A new version of a signed report; every earlier version is kept, with
   * who, when and why. When the derivation changes, the recommendation and
   * rescreen interval must be restated: left as the previous version had
   * them, the amendment is refused (422 naming `recommendation`) unless the
   * reader confirms they still hold (`confirm_unchanged: true`).
   */
  async amend(principal: UserPrincipal, caseId: number, body: unknown): Promise<{ version: number; derivation: Derivation; suggested: Derivation }> {
    this.ctx.access.require(principal, 'reader');
    const reason = isRecord(body) && typeof body.amend_reason === 'string' ? body.amend_reason.trim() : '';
    const confirmed = isRecord(body) && body.confirm_unchanged === true;
    const { input, suggested, chosen } = checkedReport(
      body,
      reason === '' ? [{ field: 'amend_reason', rule: 'required', message: 'say why the report changes' }] : [],
    );
    await this.ctx.access.caseFor(principal, caseId);
    const now = this.ctx.now().toISOString();
    const version = await this.ctx.db.transaction().execute(async (trx) => {
      await this.ctx.repos.reading.lockCase(trx, caseId);
      const status = await this.ctx.repos.cases.statusOf(trx, caseId);
      const previous = await this.ctx.repos.reports.latestConclusion(trx, caseId);
      if (status !== 'reported' || !previous) throw new ConflictError('case_not_reported', `Only a reported case can be amended; this one is ${status}`);
      const next = { derivation: chosen, recommendation: input.recommendation, rescreenMonths: input.rescreen_months };
      if (!confirmed && conclusionNotRestated(previous, next)) {
        throw new UnprocessableError(
          'recommendation_unchanged',
          `The derivation changes from ${previous.derivation} to ${chosen}, but the recommendation and the rescreen interval are those of version ${previous.version}: ` +
            'restate them for the new derivation, or confirm that they still hold (confirm_unchanged: true)',
          'recommendation',
        );
      }
      await this.ctx.repos.reports.insertReport(
        trx,
        { caseId, version: previous.version + 1, readerId: principal.userId, input, suggested, derivation: chosen, amendReason: reason },
        now,
      );
      await this.ctx.repos.reports.markReported(trx, caseId, chosen, previous.version + 1, now, false);
      await this.ctx.repos.callbacks.recordEvent(trx, { event: 'report.amended', caseId, derivation: chosen, reportVersion: previous.version + 1, occurredAt: now });
      return previous.version + 1;
    });
    this.ctx.wakeups.notify('callbacks');
    return { version, derivation: chosen, suggested };
  }

  /** Rejects a pending case the reader holds, with a reason from the list. */
  async reject(principal: UserPrincipal, caseId: number, body: unknown): Promise<void> {
    this.ctx.access.require(principal, 'reader');
    const { reason, text } = reasonOf(body, 'explain the rejection');
    await this.ctx.access.caseFor(principal, caseId);
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.holdPendingCase(trx, principal, caseId, now, 'rejecting');
      await this.ctx.repos.reports.insertRejection(trx, { caseId, readerId: principal.userId, reason, text }, now.toISOString());
      await this.ctx.repos.callbacks.recordEvent(trx, {
        event: 'case.rejected',
        caseId,
        derivation: null,
        reportVersion: null,
        occurredAt: now.toISOString(),
        rejection: { reason, text },
      });
      await this.ctx.repos.reading.deleteClaim(trx, caseId, principal.userId);
    });
    this.ctx.wakeups.notify('callbacks');
  }

  /**
   * Asks the clinic for new photographs (or missing data) instead of
   * rejecting: the case stays the same case, leaves the worklist and waits
   * for the clinic's `POST /cases/{id}/images`, which puts it back with the
   * earlier photographs kept for comparison. The clinic is told by callback.
   */
  async requestImages(principal: UserPrincipal, caseId: number, body: unknown): Promise<void> {
    this.ctx.access.require(principal, 'reader');
    const { reason, text } = reasonOf(body, 'say what the clinic should send');
    await this.ctx.access.caseFor(principal, caseId);
    const now = this.ctx.now().toISOString();
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.holdPendingCase(trx, principal, caseId, new Date(now), 'asking for photographs of');
      await this.ctx.repos.reading.insertImageRequest(trx, { caseId, readerId: principal.userId, reason, text }, now);
      await this.ctx.repos.callbacks.recordEvent(trx, {
        event: 'case.images_requested',
        caseId,
        derivation: null,
        reportVersion: null,
        occurredAt: now,
        request: { reason, text },
      });
      await this.ctx.repos.reading.deleteClaim(trx, caseId, principal.userId);
    });
    this.ctx.wakeups.notify('callbacks');
  }

  /** Inside a transaction: the case is locked, pending, and claimed by this reader — or the action is refused. */
  private async holdPendingCase(trx: Kysely<Database>, principal: UserPrincipal, caseId: number, now: Date, action: string): Promise<void> {
    const claim = await this.ctx.repos.reading.findClaimForUpdate(trx, caseId);
    if (!holdsClaim(claim, principal.userId, now)) throw new ConflictError('claim_required', `Claim the case before ${action} it`);
    const status = await this.ctx.repos.cases.statusOf(trx, caseId);
    if (status !== 'pending') throw new ConflictError('case_not_pending', `The case is ${status}; only pending cases can be signed or rejected`);
  }

  /**
   * The signed report of a case of the reader's organisation as a PDF, the
   * current version or an earlier one; no claim needed (a signed case is no
   * longer claimed), so a reader can look back at what was signed.
   */
  async reportPdf(principal: UserPrincipal, caseId: number, version?: number): Promise<ReportDownload> {
    this.ctx.access.require(principal, 'reader');
    return this.reports.pdfOf(await this.ctx.access.caseFor(principal, caseId), version, 'reader');
  }

  /** Reported cases of the reader's organisation, the most recently signed first: to review or amend them. */
  async recentlyReported(principal: UserPrincipal): Promise<ReportedCaseRecord[]> {
    this.ctx.access.require(principal, 'reader');
    return this.ctx.repos.reading.listReported(this.ctx.db, await this.ctx.access.centerIdsOf(principal), RECENTLY_REPORTED);
  }

  /** Every version of a case's signed report: who, when, what, and why it changed. */
  async reportHistory(principal: UserPrincipal, caseId: number): Promise<ReportVersionRecord[]> {
    this.ctx.access.require(principal, 'reader');
    return this.reports.versionsOf(await this.ctx.access.caseFor(principal, caseId));
  }

}

/** The report body checked, its suggested derivation and the one signed; every problem at once. */
function checkedReport(body: unknown, extraIssues: FieldIssue[]): { input: ReportInput; suggested: Derivation; chosen: Derivation } {
  const parsed = parseReportInput(body);
  if (!parsed.ok || extraIssues.length > 0) throw new ValidationError([...(parsed.ok ? [] : parsed.issues), ...extraIssues]);
  // Each eye's glaucoma_suspect is now the reader's decision (the rule's where they said nothing; a "no" against it has its reason).
  const suggested = suggestDerivation(parsed.input.od, parsed.input.os, { glaucomaAsGraded: true });
  const chosen = chooseDerivation(suggested, parsed.input.derivation, parsed.input.override_reason);
  if ('issue' in chosen) throw new ValidationError([chosen.issue]);
  return { input: parsed.input, suggested, chosen: chosen.derivation };
}

/** The reason (from the list) and the reader's words of a rejection or a request for photographs; `other` needs words. */
function reasonOf(body: unknown, explain: string): { reason: RejectionReason; text: string | null } {
  const record = isRecord(body) ? body : {};
  const reason = record.reason;
  const text = typeof record.text === 'string' && record.text.trim() !== '' ? record.text.trim() : null;
  if (typeof reason !== 'string' || !(REJECTION_REASONS as readonly string[]).includes(reason)) {
    throw new ValidationError([{ field: 'reason', rule: 'enum', message: `must be one of ${REJECTION_REASONS.join(', ')}` }]);
  }
  if (reason === 'other' && text === null) throw new ValidationError([{ field: 'text', rule: 'required', message: explain }]);
  if (text !== null && text.length > 2000) throw new ValidationError([{ field: 'text', rule: 'max_length', message: 'must be at most 2000 characters' }]);
  return { reason: reason as RejectionReason, text };
}
