import { createHash } from 'node:crypto';
import type { Case, CaseStatus } from '../domain/case.js';
import { canAddImages } from '../domain/case.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../domain/errors.js';
import { validateIntake } from '../domain/intake.js';
import type { ClientPrincipal, Principal } from '../domain/principal.js';
import { visibleCenterIds } from './access.js';
import type { ServiceContext } from './context.js';
import { ImageStaging } from './image-staging.js';
import { ReportService } from './report.service.js';

export type RawFields = Readonly<Record<string, string | readonly string[]>>;

/** The stored answer of a create, replayed verbatim for a repeated Idempotency-Key. */
export interface CreateCaseResult {
  readonly status: number;
  readonly caseId: number;
  readonly replayed: boolean;
}

export interface ListCasesQuery {
  readonly status?: CaseStatus;
  readonly updatedSince?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** How long an Idempotency-Key attempt holds the key before a crash is presumed. */
const IDEMPOTENCY_LOCK_MS = 10 * 60 * 1000;

export class CaseService {
  private readonly reports: ReportService;

  constructor(private readonly ctx: ServiceContext) {
    this.reports = new ReportService(ctx);
  }

  /** Staging area for the images of one request. */
  beginImageStaging(): ImageStaging {
    return new ImageStaging(this.ctx.blobs, this.ctx.config.intake);
  }

  /**
   * Creates a case in the caller's active center from validated fields and
   * staged images, in one transaction. On any failure the staged images are
   * removed: a failed request leaves no row and no file.
   */
  async createCase(
    principal: ClientPrincipal,
    fields: RawFields,
    staging: ImageStaging,
    idempotencyKey?: string,
  ): Promise<CreateCaseResult> {
    const { db, repos } = this.ctx;
    let claimedKey = false;
    try {
      const requestHash = idempotencyKey === undefined ? '' : fingerprint(fields, staging);
      if (idempotencyKey !== undefined) {
        const replay = await this.replayOrClaim(principal, idempotencyKey, requestHash);
        if (replay) {
          await staging.discard();
          return replay;
        }
        claimedKey = true;
      }
      const checked = validateIntake(fields, this.ctx.now(), { callbackAllow: this.ctx.config.callbacks.allow });
      if (!checked.ok) throw new ValidationError(checked.issues);

      const now = this.ctx.now().toISOString();
      const caseId = await db.transaction().execute(async (trx) => {
        const id = await repos.cases.insertCase(
          trx,
          { centerId: principal.activeCenterId, apiClientId: principal.apiClientId, intake: checked.intake },
          now,
        );
        await repos.cases.insertImages(trx, id, staging.staged, now);
        if (idempotencyKey !== undefined) {
          await repos.idempotency.complete(trx, principal.apiClientId, idempotencyKey, requestHash, 201, String(id));
        }
        return id;
      });
      return { status: 201, caseId, replayed: false };
    } catch (error) {
      await staging.discard();
      if (claimedKey && idempotencyKey !== undefined) await repos.idempotency.release(db, principal.apiClientId, idempotencyKey);
      throw error;
    }
  }

  /**
   * Stripe's semantics (https://docs.stripe.com/api/idempotent_requests): a key
   * already answered with the same request replays that answer; with another
   * request it is a 422; while its first attempt still runs, a 409.
   */
  private async replayOrClaim(principal: ClientPrincipal, key: string, requestHash: string): Promise<CreateCaseResult | null> {
    const { db, repos } = this.ctx;
    const now = this.ctx.now();
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed = await repos.idempotency.tryClaim(
        db,
        principal.apiClientId,
        key,
        now.toISOString(),
        new Date(now.getTime() + IDEMPOTENCY_LOCK_MS).toISOString(),
      );
      if (claimed) return null;
      const existing = await repos.idempotency.find(db, principal.apiClientId, key);
      if (!existing) continue; // released between our two statements: try again
      if (existing.state === 'running') {
        throw new ConflictError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed; retry later');
      }
      if (existing.requestHash !== requestHash) {
        throw new UnprocessableError(
          'idempotency_key_reused',
          'This Idempotency-Key was already used with a different request',
          'Idempotency-Key',
        );
      }
      return { status: existing.status, caseId: Number(existing.body), replayed: true };
    }
    throw new ConflictError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed; retry later');
  }

  /** Adds staged images to a pending case the caller can see. */
  async addImages(principal: Principal, caseId: number, staging: ImageStaging): Promise<void> {
    const { db, repos, config } = this.ctx;
    try {
      if (staging.staged.length === 0) {
        throw new ValidationError([{ field: 'images', rule: 'required', message: 'at least one image is required' }]);
      }
      const now = this.ctx.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const current = await repos.cases.lockCaseForImageUpload(trx, caseId, visibleCenterIds(principal), this.ctx.dialect);
        if (!current) throw new NotFoundError('Case');
        if (!canAddImages(current.status)) {
          throw new ConflictError('case_not_pending', `Images can only be added to a pending case; this case is ${current.status}`);
        }
        const count = current.imageCount + staging.staged.length;
        const bytes = current.imageBytes + staging.staged.reduce((sum, i) => sum + i.size, 0);
        if (count > config.intake.maxImagesPerCase) {
          throw new ConflictError('too_many_images', `A case holds at most ${config.intake.maxImagesPerCase} images; it has ${current.imageCount}`);
        }
        if (bytes > config.intake.maxCaseBytes) {
          throw new ConflictError('case_too_large', `The images of a case may hold at most ${config.intake.maxCaseBytes} bytes`);
        }
        await repos.cases.insertImages(trx, caseId, staging.staged, now);
        await repos.cases.touchCase(trx, caseId, now);
      });
    } catch (error) {
      await staging.discard();
      throw error;
    }
  }

  async getCase(principal: Principal, caseId: number): Promise<Case> {
    const found = await this.ctx.repos.cases.findCaseForViewer(this.ctx.db, caseId, visibleCenterIds(principal));
    if (!found) throw new NotFoundError('Case');
    return found;
  }

  /** Cases of the active center, newest first, one page at a time. */
  async listCases(principal: ClientPrincipal, query: ListCasesQuery): Promise<{ cases: Case[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    let beforeId: number | undefined;
    if (query.cursor !== undefined) {
      const decoded = decodeCursor(query.cursor);
      if (decoded === null) throw new ValidationError([{ field: 'cursor', rule: 'format', message: 'is not a cursor this server issued' }]);
      beforeId = decoded;
    }
    // Fetch one more than asked to learn whether another page exists.
    const rows = await this.ctx.repos.cases.listCasesOfCenter(this.ctx.db, principal.activeCenterId, {
      status: query.status,
      updatedSince: query.updatedSince,
      beforeId,
      limit: limit + 1,
    });
    const cases = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(cases[cases.length - 1]!.id) : null;
    return { cases, nextCursor };
  }

  /** The PDF of the current version of the signed report. */
  async getReportPdf(principal: Principal, caseId: number): Promise<Buffer> {
    const found = await this.getCase(principal, caseId);
    if (found.status === 'rejected') {
      throw new ConflictError('case_rejected', 'The case was rejected; there is no report');
    }
    if (found.status === 'reported') return this.reports.pdfOf(found);
    throw new ConflictError('report_not_ready', 'The case has not been reported yet');
  }
}

/** What makes two create requests "the same": their fields and their images' bytes and names. */
function fingerprint(fields: RawFields, staging: ImageStaging): string {
  const entries = Object.entries(fields)
    .filter(([name]) => name !== 'access_token')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const images = staging.staged.map((i) => [i.fileName, i.sha256]);
  return createHash('sha256').update(JSON.stringify({ entries, images })).digest('hex');
}
