import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Case, CaseStatus } from '../domain/case.js';
import { canAddImages } from '../domain/case.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { ConflictError, type FieldIssue, NotFoundError, UnprocessableError, ValidationError } from '../domain/errors.js';
import { validateIntake } from '../domain/intake.js';
import { parseSearch } from '../domain/search.js';
import { fillFormFromDicom } from '../domain/dicom.js';
import { type Eye, decideLaterality, parseImageEyes } from '../domain/eyes.js';
import type { Principal } from '../domain/principal.js';
import type { NewCaseImage } from '../storage/repositories/case.repository.js';
import type { IdempotencyOwner } from '../storage/repositories/idempotency.repository.js';
import type { Database } from '../storage/schema.js';
import type { Access } from './access.js';
import type { ServiceContext } from './context.js';
import { ImageStaging, storedBytes } from '../media/image-staging.js';
import type { ReportDownload } from './report-cache.js';
import type { ReportService } from './report.service.js';
import { CaseReadCache } from './case-read-cache.js';

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
  /** People: only this one of their centers (API clients always list their active center). */
  readonly centerId?: number;
  /** Free text: history number, names or case id (every word must match). */
  readonly q?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** How long an Idempotency-Key attempt holds the key before a crash is presumed. */
const IDEMPOTENCY_LOCK_MS = 10 * 60 * 1000;

export class CaseService {
  private readonly readCache = new CaseReadCache();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly reports: ReportService,
  ) {}

  /**
   * Staging area for the images of one request. With an Idempotency-Key the
   * images are hashed as they arrive: the request's fingerprint needs them.
   */
  beginImageStaging(options: { idempotent?: boolean } = {}): ImageStaging {
    return new ImageStaging(this.ctx.blobs, this.ctx.config.intake, this.ctx.uploads, options.idempotent ?? false);
  }

  /**
   * Creates a case from a validated form and staged images, in one
   * transaction: an API client's in its active center, a member of staff's
   * in the center the form names (`center_id`, one of theirs). On any failure
   * the staged images are removed: a failed request leaves no row and no file.
   */
  async createCase(
    principal: Principal,
    form: RawFields,
    staging: ImageStaging,
    idempotencyKey?: string,
  ): Promise<CreateCaseResult> {
    const { db, repos } = this.ctx;
    const sender = senderOf(this.ctx.access, principal);
    let claimedKey = false;
    try {
      // A refused file is refused again on any retry: no replay, and every other problem of the form beside it.
      if (staging.refused.length > 0) {
        const eyes = imageEyesOf(form, staging);
        const { fields, issues } = destinationOf(principal, withDicomPatient(eyes.rest, staging), await this.ctx.access.centerIdsOf(principal));
        const checked = validateIntake(fields, this.ctx.now(), { callbackAllow: this.ctx.config.callbacks.allow });
        refuseTogether(staging, [...issues, ...(checked.ok ? [] : checked.issues), ...eyes.issues]);
      }
      const requestHash = idempotencyKey === undefined ? '' : fingerprint(form, staging);
      if (idempotencyKey !== undefined) {
        const replay = await this.replayOrClaim(sender, idempotencyKey, requestHash);
        if (replay) {
          await staging.discard();
          return replay;
        }
        claimedKey = true;
      }
      const eyes = imageEyesOf(form, staging);
      const { centerId, fields, issues } = destinationOf(principal, withDicomPatient(eyes.rest, staging), await this.ctx.access.centerIdsOf(principal));
      const checked = validateIntake(fields, this.ctx.now(), { callbackAllow: this.ctx.config.callbacks.allow });
      if (!checked.ok || issues.length > 0 || eyes.issues.length > 0) {
        throw new ValidationError([...issues, ...(checked.ok ? [] : checked.issues), ...eyes.issues]);
      }

      const now = this.ctx.now().toISOString();
      const caseId = await db.transaction().execute(async (trx) => {
        const id = await repos.cases.insertCase(
          trx,
          {
            centerId,
            apiClientId: 'apiClientId' in sender ? sender.apiClientId : null,
            userId: 'userId' in sender ? sender.userId : null,
            intake: checked.intake,
          },
          now,
        );
        await this.storeImages(trx, id, eyes.images, now);
        if (idempotencyKey !== undefined) {
          await repos.idempotency.complete(trx, sender, idempotencyKey, requestHash, 201, String(id));
        }
        return id;
      });
      this.ctx.wakeups.notify('previews');
      return { status: 201, caseId, replayed: false };
    } catch (error) {
      await staging.discard();
      if (claimedKey && idempotencyKey !== undefined) await repos.idempotency.release(db, sender, idempotencyKey);
      throw error;
    }
  }

  /**
   * A case from files received over DICOM for `centerId`, with no API client
   * or person behind it: the form holds what the files name (history number,
   * names, visit date), and the files' sex and age fill it as for an upload.
   * Validated as an upload is; `within` runs in the case's transaction (the
   * inbox gives up the study there, so a case is made once). On any failure
   * the staged images are removed and the error is thrown.
   */
  async createCaseFromDicom(
    centerId: number,
    form: RawFields,
    staging: ImageStaging,
    within: (trx: Kysely<Database>, caseId: number) => Promise<void>,
  ): Promise<number> {
    const { db, repos } = this.ctx;
    try {
      const eyes = imageEyesOf(form, staging);
      const checked = validateIntake(withDicomPatient(eyes.rest, staging), this.ctx.now(), { callbackAllow: this.ctx.config.callbacks.allow });
      const issues = [...(checked.ok ? [] : checked.issues), ...eyes.issues];
      refuseTogether(staging, issues);
      if (!checked.ok || issues.length > 0) throw new ValidationError(issues);
      if (staging.staged.length === 0) throw new ValidationError([{ field: 'images', rule: 'required', message: 'at least one image is required' }]);
      const now = this.ctx.now().toISOString();
      const caseId = await db.transaction().execute(async (trx) => {
        const id = await repos.cases.insertCase(trx, { centerId, apiClientId: null, userId: null, intake: checked.intake }, now);
        await this.storeImages(trx, id, eyes.images, now);
        await within(trx, id);
        return id;
      });
      this.ctx.wakeups.notify('previews');
      return caseId;
    } catch (error) {
      await staging.discard();
      throw error;
    }
  }

  /**
   * Stripe's semantics (https://docs.stripe.com/api/idempotent_requests): a key
   * already answered with the same request replays that answer; with another
   * request it is a 422; while its first attempt still runs, a 409.
   */
  private async replayOrClaim(owner: IdempotencyOwner, key: string, requestHash: string): Promise<CreateCaseResult | null> {
    const { db, repos } = this.ctx;
    const now = this.ctx.now();
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed = await repos.idempotency.tryClaim(
        db,
        owner,
        key,
        now.toISOString(),
        new Date(now.getTime() + IDEMPOTENCY_LOCK_MS).toISOString(),
      );
      if (claimed) return null;
      const existing = await repos.idempotency.find(db, owner, key);
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

  /** Adds staged images to a pending case the caller can see; the form may hold nothing else. */
  async addImages(principal: Principal, caseId: number, staging: ImageStaging, form: RawFields = {}): Promise<void> {
    const { db } = this.ctx;
    try {
      const eyes = imageEyesOf(form, staging);
      const unknown = Object.keys(eyes.rest).filter((f) => f !== 'access_token');
      const issues = [...unknown.map((field) => ({ field, rule: 'unknown_field', message: 'is not accepted here: only images (and image_eyes)' })), ...eyes.issues];
      refuseTogether(staging, issues);
      if (issues.length > 0) throw new ValidationError(issues);
      if (staging.staged.length === 0) {
        throw new ValidationError([{ field: 'images', rule: 'required', message: 'at least one image is required' }]);
      }
      const centerIds = await this.ctx.access.centerIdsOf(principal);
      await db.transaction().execute((trx) => this.appendImages(trx, caseId, centerIds, staging, eyes.images));
      this.ctx.wakeups.notify('previews');
    } catch (error) {
      await staging.discard();
      throw error;
    }
  }

  /**
   * Adds the staged images of a DICOM study to the case its earlier files
   * became (the network intake, no API client or user behind it), with
   * `within` in the same transaction. Throws as `addImages` does: a case no
   * longer pending is a ConflictError, an erased one a NotFoundError.
   */
  async addImagesFromDicom(centerId: number, caseId: number, staging: ImageStaging, within: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    try {
      const eyes = imageEyesOf({}, staging);
      refuseTogether(staging, eyes.issues);
      if (eyes.issues.length > 0) throw new ValidationError(eyes.issues);
      await this.ctx.db.transaction().execute(async (trx) => {
        await this.appendImages(trx, caseId, [centerId], staging, eyes.images);
        await within(trx);
      });
      this.ctx.wakeups.notify('previews');
    } catch (error) {
      await staging.discard();
      throw error;
    }
  }

  /** The images join a pending case of one of `centerIds`, within its limits; call in a transaction. */
  private async appendImages(trx: Kysely<Database>, caseId: number, centerIds: readonly number[], staging: ImageStaging, images: readonly NewCaseImage[]): Promise<void> {
    const { repos, config } = this.ctx;
    const now = this.ctx.now().toISOString();
    const current = await repos.cases.lockCaseForImageUpload(trx, caseId, centerIds);
    if (!current) throw new NotFoundError('Case');
    if (!canAddImages(current.status)) {
      throw new ConflictError('case_not_pending', `Images can only be added to a pending case; this case is ${current.status}`);
    }
    const count = current.imageCount + staging.staged.length;
    const bytes = current.imageBytes + staging.staged.reduce((sum, i) => sum + storedBytes(i), 0);
    if (count > config.intake.maxImagesPerCase) {
      throw new ConflictError('too_many_images', `A case holds at most ${config.intake.maxImagesPerCase} images; it has ${current.imageCount}`);
    }
    if (bytes > config.intake.maxCaseBytes) {
      throw new ConflictError('case_too_large', `The images of a case may hold at most ${config.intake.maxCaseBytes} bytes (a DICOM file counts with the photograph taken from it)`);
    }
    await this.storeImages(trx, caseId, images, now);
    await repos.reading.fulfilImageRequests(trx, caseId, now);
    await repos.cases.touchCase(trx, caseId, now);
  }

  /**
   * The image rows and, in the same transaction, a preview job for each:
   * previews are made in the background (never in the request), and a job
   * can never be lost between the two.
   */
  private async storeImages(trx: Kysely<Database>, caseId: number, images: readonly NewCaseImage[], now: string): Promise<void> {
    const ids = await this.ctx.repos.cases.insertImages(trx, caseId, images, now);
    await this.ctx.repos.previews.enqueue(trx, ids, now);
  }

  /**
   * A case the caller may see, or a 404. A case read before in this process
   * is answered again when the database says its revision has not moved
   * since (services/case-read-cache.ts); otherwise it is read whole.
   */
  async getCase(principal: Principal, caseId: number): Promise<Case> {
    const { access } = this.ctx;
    try {
      if (this.readCache.has(caseId)) {
        const kept = this.readCache.at(caseId, await access.revisionFor(principal, caseId));
        if (kept !== undefined) return kept;
      }
      const found = await access.revisedCaseFor(principal, caseId);
      this.readCache.keep(found);
      return found.case;
    } catch (error) {
      // Erased (nothing of it may stay in memory), or not this caller's (another reads it whole once more).
      if (error instanceof NotFoundError) this.readCache.forget(caseId);
      throw error;
    }
  }

  /**
   * The case once every image of it is checked (decoded by the image
   * worker), or as it stands after `waitMs`: what `wait_for_checks` answers
   * with. Woken by the worker of this process as it finishes each image;
   * looks again every 250 ms for a worker elsewhere.
   */
  async waitForChecks(principal: Principal, caseId: number, waitMs: number): Promise<Case> {
    const deadline = performance.now() + waitMs;
    for (;;) {
      if ((await this.ctx.repos.previews.uncheckedCount(this.ctx.db, caseId)) === 0) break;
      const left = deadline - performance.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          stop();
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 250));
        const stop = this.ctx.wakeups.on('checks', done);
      });
    }
    return this.getCase(principal, caseId);
  }

  /**
   * Cases newest first, one page at a time: an API client's active center,
   * or the centers a member of staff works for (one of them with `centerId`).
   */
  async listCases(principal: Principal, query: ListCasesQuery): Promise<{ cases: Case[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    let beforeId: number | undefined;
    if (query.cursor !== undefined) {
      const decoded = decodeCursor(query.cursor);
      if (decoded === null) throw new ValidationError([{ field: 'cursor', rule: 'format', message: 'is not a cursor this server issued' }]);
      beforeId = decoded;
    }
    // Fetch one more than asked to learn whether another page exists.
    let centerIds = principal.kind === 'api_client' ? [principal.activeCenterId] : await this.ctx.access.centerIdsOf(principal);
    if (query.centerId !== undefined) {
      if (!centerIds.includes(query.centerId)) {
        throw new ValidationError([{ field: 'center_id', rule: 'membership', message: 'must be one of the centers you work for' }]);
      }
      centerIds = [query.centerId];
    }
    const q = query.q ?? '';
    // PostgreSQL cannot compare text holding NUL, and no case holds it: refused, never "matches everything".
    if (/[\u0000-\u001f\u007f]/.test(q.replace(/[\t\n\r]/g, ' '))) {
      throw new ValidationError([{ field: 'q', rule: 'control_characters', message: 'must not contain control characters' }]);
    }
    const words = q.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length > 8 || words.some((w) => w.length > 100)) {
      throw new ValidationError([{ field: 'q', rule: 'max_length', message: 'at most 8 words of at most 100 characters' }]);
    }
    // Lower case, accents and `#` for a case number are the domain's rule; a word that is nothing once normalized finds nothing.
    const search = parseSearch(q);
    if (search === null) return { cases: [], nextCursor: null };
    const rows = await this.ctx.repos.cases.listCasesOfCenters(this.ctx.db, centerIds, {
      status: query.status,
      search,
      updatedSince: query.updatedSince,
      beforeId,
      limit: limit + 1,
    });
    const cases = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(cases[cases.length - 1]!.id) : null;
    return { cases, nextCursor };
  }

  /**
   * The DICOM file an image of a case the caller can see came in, as it
   * came. Only the clinic's side (API clients, staff) is routed here: the
   * file names the patient, which readers never see.
   */
  async openDicom(principal: Principal, caseId: number, imageId: number): Promise<{ size: number; open: () => Promise<Readable> }> {
    const found = await this.getCase(principal, caseId);
    const image = found.images.find((i) => i.id === imageId);
    const key = image?.dicom ? await this.ctx.repos.cases.dicomBlobKeyOfImage(this.ctx.db, caseId, imageId) : undefined;
    if (!image?.dicom || key === undefined) throw new NotFoundError('DICOM file');
    return { size: image.dicom.size, open: () => this.ctx.blobs.get(key) };
  }

  /** The PDF of the current version of the signed report: one query for the access check, the case itself only to render it. */
  async getReportPdf(principal: Principal, caseId: number): Promise<ReportDownload> {
    return this.reports.download(await this.ctx.access.reportStateFor(principal, caseId), () => this.getCase(principal, caseId));
  }
}

/**
 * The images with the eye each shows, as the client said (`images[od]`, then
 * the form's `image_eyes`) or else their file names say; and the form
 * without `image_eyes`, which is not an intake field.
 */
function imageEyesOf(form: RawFields, staging: ImageStaging): { images: NewCaseImage[]; rest: RawFields; issues: FieldIssue[] } {
  const { image_eyes: raw, ...rest } = form;
  const issues: FieldIssue[] = [];
  let listed: (Eye | null)[] = [];
  const files = staging.staged.length + staging.refused.length;
  if (Array.isArray(raw)) issues.push({ field: 'image_eyes', rule: 'single_value', message: 'must be sent once' });
  else if (typeof raw === 'string' && raw.trim() !== '') {
    const parsed = parseImageEyes(raw);
    if (!parsed.ok) issues.push(parsed.issue);
    else if (parsed.eyes.length > files) {
      issues.push({ field: 'image_eyes', rule: 'count', message: `must name at most one eye per file: it names ${parsed.eyes.length} for ${files} files` });
    } else listed = parsed.eyes.slice(0, staging.staged.length); // fewer only when a file was refused, and then nothing is stored
  }
  const decided = decideLaterality(
    staging.staged.map((image) => ({ ...image, dicomEye: image.dicom?.eye ?? null })),
    listed,
  );
  const images = staging.staged.map(({ field: _field, partEye: _partEye, dicom, ...image }, i) => ({
    ...image,
    eye: decided[i]!.eye,
    eyeSource: decided[i]!.source,
    dicom: dicom === null ? null : { blobKey: dicom.blobKey, size: dicom.size, sopClass: dicom.sopClass },
  }));
  return { images, rest, issues };
}

/** The intake form with the patient's sex and age from the DICOM files where it left them out. */
function withDicomPatient(form: RawFields, staging: ImageStaging): RawFields {
  const patients = staging.staged.flatMap((image) => (image.dicom === null ? [] : [image.dicom.patient]));
  return patients.length === 0 ? form : fillFormFromDicom(form, patients);
}

/** What makes two create requests "the same": their fields and their images' bytes and names. */
function fingerprint(fields: RawFields, staging: ImageStaging): string {
  const entries = Object.entries(fields)
    .filter(([name]) => name !== 'access_token')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const images = staging.staged.map((i) => {
    // Staging hashes the images of an idempotent request; without it, two different photos would look alike.
    if (i.sha256 === null) throw new Error('the images of an idempotent request must be hashed');
    return [i.fileName, i.sha256];
  });
  return createHash('sha256').update(JSON.stringify({ entries, images })).digest('hex');
}

/** Whose Idempotency-Keys a create uses; only API clients and staff submit cases. */
function senderOf(access: Access, principal: Principal): IdempotencyOwner {
  if (principal.kind === 'api_client') return { apiClientId: principal.apiClientId };
  access.require(principal, 'staff');
  return { userId: principal.userId };
}

/**
 * The center a new case goes to and the intake fields. An API client's
 * active center is not part of its form (a `center_id` there is refused as
 * server-owned); staff choose one of their centers with `center_id`, and a
 * wrong choice is one more field error beside the intake's.
 */
/**
 * Refused files and the form's other problems, in one answer. A refused file
 * alone keeps its own status (413, 415, 422) as before; several problems
 * are one 400 naming each, files after fields.
 */
function refuseTogether(staging: ImageStaging, issues: readonly FieldIssue[]): void {
  const refused = staging.refused;
  if (refused.length === 0) return;
  if (refused.length === 1 && issues.length === 0) throw refused[0]!.error;
  throw new ValidationError([...issues, ...refused.map((r) => r.issue)]);
}

function destinationOf(principal: Principal, form: RawFields, usable: readonly number[]): { centerId: number; fields: RawFields; issues: FieldIssue[] } {
  if (principal.kind === 'api_client') return { centerId: principal.activeCenterId, fields: form, issues: [] };
  const { center_id: raw, ...fields } = form;
  const text = typeof raw === 'string' ? raw.trim() : '';
  const fail = (rule: string, message: string) => ({ centerId: 0, fields, issues: [{ field: 'center_id', rule, message }] });
  if (raw === undefined || text === '') return fail('required', 'choose the center the case belongs to');
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,14}$/.test(text)) return fail('integer', 'must be one center id');
  if (!usable.includes(Number(text))) return fail('membership', 'must be one of the centers you work for');
  return { centerId: Number(text), fields, issues: [] };
}
