import type { Case } from '../domain/case.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { UserPrincipal } from '../domain/principal.js';
import { anonymise, decideClaim, holdsClaim, isOverdue, readingDeadline } from '../domain/reading.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import { readableCenterIds } from './access.js';
import type { ServiceContext } from './context.js';

export interface WorklistItem {
  readonly id: number;
  readonly center_id: number;
  readonly submitted_at: string;
  readonly deadline: string;
  readonly overdue: boolean;
  readonly age: number | null;
  readonly gender: number | null;
  readonly diabetes: number | null;
  readonly image_count: number;
  /** `mine`, `other` (someone else holds a live claim) or null. */
  readonly claimed: 'mine' | 'other' | null;
  readonly claim_expires_at: string | null;
}

export type AnonymisedCase = ReturnType<typeof anonymise<Case>>;

export interface ReadingView {
  readonly case: AnonymisedCase & { readonly deadline: string; readonly overdue: boolean };
  /** Earlier cases of the same patient at the same center, newest first, anonymised too. */
  readonly previous_cases: readonly AnonymisedCase[];
  readonly claim_expires_at: string;
}

export const WORKLIST_PAGE = 100;

/** The retina specialist's side: worklist, exclusive claims, anonymised reading. */
export class ReadingService {
  constructor(private readonly ctx: ServiceContext) {}

  private requireReader(principal: UserPrincipal): void {
    if (principal.role !== 'reader') throw new ForbiddenError('Only readers (retina specialists) may read cases');
  }

  private centersOf(principal: UserPrincipal): Promise<readonly number[]> {
    return readableCenterIds(principal, async (organisationId) =>
      (await this.ctx.repos.tenancy.listCenters(this.ctx.db, organisationId)).map((c) => c.id),
    );
  }

  /** Pending cases with images, oldest first (they are the most urgent), with their deadlines. */
  async worklist(principal: UserPrincipal, afterId = 0): Promise<{ items: WorklistItem[]; nextAfter: number | null }> {
    this.requireReader(principal);
    const { turnaroundHours } = this.ctx.config.reading;
    const now = this.ctx.now();
    const rows = await this.ctx.repos.reading.listWorklist(this.ctx.db, await this.centersOf(principal), afterId, WORKLIST_PAGE + 1);
    const items = rows.slice(0, WORKLIST_PAGE).map((r): WorklistItem => {
      const deadline = readingDeadline(r.createdAt, turnaroundHours);
      const live = r.claim !== null && r.claim.expiresAt > now.toISOString();
      return {
        id: r.id,
        center_id: r.centerId,
        submitted_at: r.createdAt,
        deadline,
        overdue: isOverdue(deadline, now),
        age: r.age,
        gender: r.gender,
        diabetes: r.diabetes,
        image_count: r.imageCount,
        claimed: live ? (r.claim!.readerId === principal.userId ? 'mine' : 'other') : null,
        claim_expires_at: live ? r.claim!.expiresAt : null,
      };
    });
    return { items, nextAfter: rows.length > WORKLIST_PAGE ? items[items.length - 1]!.id : null };
  }

  /** Takes (or renews) the exclusive claim on a pending case. */
  async claim(principal: UserPrincipal, caseId: number): Promise<{ expiresAt: string }> {
    this.requireReader(principal);
    const found = await this.visibleCase(principal, caseId);
    if (found.status !== 'pending') throw new ConflictError('case_not_pending', `The case is ${found.status}; only pending cases are read`);
    const now = this.ctx.now();
    const expiresAt = new Date(now.getTime() + this.ctx.config.reading.claimMinutes * 60_000).toISOString();
    await this.ctx.db.transaction().execute(async (trx) => {
      const current = await this.ctx.repos.reading.findClaimForUpdate(trx, caseId, this.ctx.dialect);
      const decision = decideClaim(current, principal.userId, now);
      if (!decision.ok) throw new ConflictError('case_claimed', `Another reader holds this case until ${decision.until}`);
      await this.ctx.repos.reading.saveClaim(trx, caseId, principal.userId, now.toISOString(), expiresAt);
    });
    return { expiresAt };
  }

  async release(principal: UserPrincipal, caseId: number): Promise<void> {
    this.requireReader(principal);
    await this.visibleCase(principal, caseId);
    if (!(await this.ctx.repos.reading.deleteClaim(this.ctx.db, caseId, principal.userId))) {
      throw new ConflictError('not_claimed', 'You do not hold a claim on this case');
    }
  }

  /** The case as its claiming reader sees it: anonymised, with the patient's earlier cases. */
  async read(principal: UserPrincipal, caseId: number): Promise<ReadingView> {
    this.requireReader(principal);
    const found = await this.visibleCase(principal, caseId);
    const claim = await this.ctx.repos.reading.findClaim(this.ctx.db, caseId);
    if (!holdsClaim(claim, principal.userId, this.ctx.now())) throw new ConflictError('claim_required', 'Claim the case before reading it');
    const centerIds = await this.centersOf(principal);
    const earlierIds = await this.ctx.repos.reading.earlierCaseIdsOfPatient(this.ctx.db, caseId);
    const previous: AnonymisedCase[] = [];
    for (const id of earlierIds) {
      const earlier = await this.ctx.repos.cases.findCaseForViewer(this.ctx.db, id, centerIds);
      if (earlier) previous.push(anonymise(earlier));
    }
    const deadline = readingDeadline(found.created_at, this.ctx.config.reading.turnaroundHours);
    return {
      case: { ...anonymise(found), deadline, overdue: isOverdue(deadline, this.ctx.now()) },
      previous_cases: previous,
      claim_expires_at: claim!.expiresAt,
    };
  }

  /** The original bytes of one image of a case the reader holds (or of an earlier case of that patient). */
  async openImage(principal: UserPrincipal, caseId: number, imageId: number): Promise<{ stream: Awaited<ReturnType<BlobStore['get']>>; contentType: string; size: number }> {
    const view = await this.read(principal, caseId);
    const image = [view.case, ...view.previous_cases].flatMap((c) => c.images).find((i) => i.id === imageId);
    if (!image) throw new NotFoundError('Image');
    const key = await this.ctx.repos.cases.blobKeyOfImage(this.ctx.db, imageId);
    if (!key) throw new NotFoundError('Image');
    return { stream: await this.ctx.blobs.get(key), contentType: image.content_type, size: image.size };
  }

  private async visibleCase(principal: UserPrincipal, caseId: number): Promise<Case> {
    const found = await this.ctx.repos.cases.findCaseForViewer(this.ctx.db, caseId, await this.centersOf(principal));
    if (!found) throw new NotFoundError('Case');
    return found;
  }
}
