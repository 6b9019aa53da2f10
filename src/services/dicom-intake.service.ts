import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { canAddImages } from '../domain/case.js';
import { type DicomIdentity, identityOfDicom, normalizedAeTitle } from '../domain/dicom.js';
import { DomainError, NotFoundError, ValidationError, type FieldIssue } from '../domain/errors.js';
import { type DicomHeader, readDicomHeader } from '../media/dicom-header.js';
import { part10Header } from '../media/dicom-part10.js';
import type { Lease } from '../storage/lease.js';
import { type DicomNode, type InboxStudySummary, StudyLeaseLostError } from '../storage/repositories/dicom-inbox.repository.js';
import type { AuditService } from './audit.service.js';
import type { CaseService, RawFields } from './case.service.js';
import type { ServiceContext } from './context.js';

/** How long a worker owns a study it turns into a case; one that dies lets it come due again after this. */
const STUDY_LEASE_MS = 5 * 60 * 1000;
/** After an error that is not the study's fault (database, blob store), the next try waits this long per attempt so far, at most an hour. */
const RETRY_STEP_MS = 60 * 1000;
const MAX_RETRY_MS = 60 * 60 * 1000;

/** Why an association is refused (DICOM PS3.8 9.3.4): the called AE is no center's, or the calling AE may not send to it. */
export type AssociationVerdict = { readonly accepted: true; readonly node: DicomNode } | { readonly accepted: false; readonly reason: 'called_ae' | 'calling_ae' };

/** One file received by C-STORE, as the network gives it: the data set without a file header. */
export interface ReceivedInstance {
  readonly node: DicomNode;
  readonly callingAe: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly dataset: readonly Buffer[];
}

/** What became of a received file: kept in the inbox, already there (a resend), or refused as unreadable. */
export type ReceiveOutcome = 'stored' | 'duplicate' | 'unreadable';

/** What became of a quiet study: a case, kept as failed with the reason, tried again later, or taken by another worker. */
export type StudyRun =
  | { readonly studyId: number; readonly outcome: 'case' | 'joined'; readonly caseId: number; readonly images: number }
  | { readonly studyId: number; readonly outcome: 'failed'; readonly reason: string }
  | { readonly studyId: number; readonly outcome: 'retry'; readonly error: unknown }
  | { readonly studyId: number; readonly outcome: 'lease_lost' };

export interface DicomNodeInput {
  /** The center's AE title; null or "" takes it off the network. */
  readonly aeTitle?: string | null;
  /** Every calling AE title that may send to it from now on. */
  readonly callingAeTitles?: readonly string[];
}

/**
 * The DICOM network intake (issue 12, item 5). A camera or an archive sends
 * files to a center's AE title; each file is kept in the inbox (blob and row)
 * before the C-STORE is answered, and once nothing of its study has arrived
 * for the stable time, the study becomes one case through the same intake
 * as an upload (ImageStaging, then the case's checks). A study that cannot
 * (no age, no patient id or names, an image that cannot be decoded) stays in
 * the inbox with the reason: never silently dropped.
 */
export class DicomIntakeService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly cases: CaseService,
    private readonly audit: AuditService,
  ) {}

  /** Accepts an association to `calledAe` from `callingAe` only when the called AE is a center's and the calling AE is one it allows. */
  async admit(calledAe: string, callingAe: string): Promise<AssociationVerdict> {
    const called = normalizedAeTitle(calledAe);
    const node = called === null ? undefined : await this.ctx.repos.dicomInbox.nodeByAeTitle(this.ctx.db, called);
    if (!node) return { accepted: false, reason: 'called_ae' };
    const calling = normalizedAeTitle(callingAe);
    if (calling === null || !node.callingAeTitles.includes(calling)) return { accepted: false, reason: 'calling_ae' };
    return { accepted: true, node };
  }

  /**
   * Keeps one received file: written to the blob store as a Part 10 file,
   * then recorded under its study, whose quiet time starts again. Resolves
   * once both are durable, which is when the sender may be told it is stored;
   * throws when either failed (nothing is left then).
   */
  async receive(instance: ReceivedInstance): Promise<ReceiveOutcome> {
    const { db, repos, blobs } = this.ctx;
    const header = part10Header({
      sopClassUid: instance.sopClassUid,
      sopInstanceUid: instance.sopInstanceUid,
      transferSyntaxUid: instance.transferSyntaxUid,
      sourceAeTitle: instance.callingAe,
    });
    const file = Buffer.concat([header, ...instance.dataset]);
    let attributes: DicomHeader;
    try {
      attributes = readDicomHeader(file);
    } catch {
      return 'unreadable';
    }
    const studyUid = attributes.studyInstanceUid;
    if (studyUid === undefined) return 'unreadable';
    const id = randomUUID();
    const blobKey = `dicom-inbox/${id.slice(0, 2)}/${id}.dcm`;
    const stored = await blobs.put(blobKey, [file], { digest: false });
    const now = this.ctx.now();
    try {
      const recorded = await db.transaction().execute((trx) =>
        repos.dicomInbox.recordInstance(trx, {
          centerId: instance.node.centerId,
          studyInstanceUid: studyUid,
          patientId: attributes.patientId ?? null,
          sopInstanceUid: instance.sopInstanceUid,
          blobKey,
          size: stored.size,
          callingAe: instance.callingAe,
          receivedAt: now.toISOString(),
          dueAt: new Date(now.getTime() + this.ctx.config.dicom.stableSeconds * 1000).toISOString(),
        }),
      );
      if (!recorded) await blobs.delete(blobKey);
      // With a stable time of 0 the study is due now; otherwise the worker finds it by polling.
      this.ctx.wakeups.notify('dicom_studies');
      return recorded ? 'stored' : 'duplicate';
    } catch (error) {
      await blobs.delete(blobKey).catch(() => {});
      throw error;
    }
  }

  /** Turns the study quiet the longest into a case, if one is due; null when none is. */
  async runNext(): Promise<StudyRun | null> {
    const { db, repos } = this.ctx;
    const now = this.ctx.now();
    const lease = await repos.dicomInbox.claimDue(db, now, STUDY_LEASE_MS);
    if (!lease) return null;
    try {
      return await this.makeCase(lease);
    } catch (error) {
      if (error instanceof StudyLeaseLostError) return { studyId: lease.id, outcome: 'lease_lost' };
      if (error instanceof DomainError) {
        const reason = error.message.slice(0, 2000);
        await repos.dicomInbox.fail(db, lease, reason);
        return { studyId: lease.id, outcome: 'failed', reason };
      }
      const wait = Math.min(RETRY_STEP_MS * lease.attempts, MAX_RETRY_MS);
      const message = error instanceof Error ? error.message : String(error);
      await repos.dicomInbox.retryAt(db, lease, new Date(now.getTime() + wait).toISOString(), message.slice(0, 500)).catch(() => false);
      return { studyId: lease.id, outcome: 'retry', error };
    }
  }

  private async makeCase(lease: Lease): Promise<StudyRun> {
    const { db, repos, blobs } = this.ctx;
    const study = await repos.dicomInbox.study(db, lease.id);
    if (!study) throw new StudyLeaseLostError(lease.id);
    const staging = this.cases.beginImageStaging();
    let identity: DicomIdentity = {};
    try {
      for (const [i, instance] of study.instances.entries()) {
        const file = Buffer.concat(await (await blobs.get(instance.blobKey)).toArray());
        // The first file that names the patient names the case's.
        if (Object.keys(identity).length === 0) identity = identityOf(file);
        await staging.addOrRefuse(`images[${i}]`, `${instance.sopInstanceUid}.dcm`, Readable.from([file]));
      }
    } catch (error) {
      await staging.discard();
      throw error;
    }
    const form: RawFields = Object.fromEntries(Object.entries(identity).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const instanceIds = study.instances.map((i) => i.id);
    // Files of a study whose earlier files became a case join that case while it is still pending (a
    // photograph retaken, a file the camera sent late); once it has been read, they become a case of their own.
    const joins = study.caseId !== null && (await this.caseTakesImages(study.centerId, study.caseId));
    const caseId = joins
      ? await this.cases.addImagesFromDicom(study.centerId, study.caseId!, staging, (trx) => repos.dicomInbox.finish(trx, lease, instanceIds, study.caseId!)).then(() => study.caseId!)
      : await this.cases.createCaseFromDicom(study.centerId, form, staging, (trx, id) => repos.dicomInbox.finish(trx, lease, instanceIds, id));
    // The case holds its own copies now: the inbox's go (what a failure leaves, the orphan sweep takes).
    await Promise.all(study.instances.map((i) => blobs.delete(i.blobKey).catch(() => {})));
    await this.audit.record({
      actor: { kind: 'dicom', id: null },
      organisationId: study.organisationId,
      centerId: study.centerId,
      caseId,
      action: joins ? 'case.images.add' : 'case.create',
      object: { kind: 'case', id: caseId },
      requestId: null,
      status: 201,
    });
    return { studyId: study.id, outcome: joins ? 'joined' : 'case', caseId, images: study.instances.length };
  }

  private async caseTakesImages(centerId: number, caseId: number): Promise<boolean> {
    const current = await this.ctx.repos.cases.lockCaseForImageUpload(this.ctx.db, caseId, [centerId]);
    return current !== undefined && canAddImages(current.status);
  }

  // ---- Administration (the CLI)

  /** Gives a center an AE title and the calling AE titles allowed to send to it (or takes it off the network). */
  async setNode(centerId: number, input: DicomNodeInput): Promise<DicomNode | null> {
    const { db, repos } = this.ctx;
    const issues: FieldIssue[] = [];
    const rawTitle = input.aeTitle ?? null;
    const aeTitle = rawTitle === null || rawTitle.trim() === '' ? null : normalizedAeTitle(rawTitle);
    if (rawTitle !== null && rawTitle.trim() !== '' && aeTitle === null) {
      issues.push({ field: 'ae_title', rule: 'ae_title', message: 'must be 1 to 16 characters, letters, digits, spaces and punctuation but no backslash' });
    }
    const calling = (input.callingAeTitles ?? []).map((t) => ({ given: t, title: normalizedAeTitle(t) }));
    const badCalling = calling.filter((c) => c.title === null).map((c) => JSON.stringify(c.given));
    if (badCalling.length > 0) issues.push({ field: 'calling_ae_titles', rule: 'ae_title', message: `must each be an AE title (1 to 16 characters, no backslash): not ${badCalling.join(', ')}` });
    if (aeTitle !== null && calling.length === 0) {
      issues.push({ field: 'calling_ae_titles', rule: 'required', message: 'must name at least one calling AE title: associations from any other are refused' });
    }
    if (issues.length > 0) throw new ValidationError(issues);
    return db.transaction().execute(async (trx) => {
      const center = await repos.tenancy.findCenter(trx, centerId);
      if (!center) throw new NotFoundError('Center');
      if (aeTitle !== null && (await repos.dicomInbox.aeTitleTaken(trx, aeTitle, centerId))) {
        throw new ValidationError([{ field: 'ae_title', rule: 'unique', message: 'is the AE title of another center' }]);
      }
      const titles = aeTitle === null ? [] : [...new Set(calling.map((c) => c.title!))];
      await repos.dicomInbox.setNode(trx, centerId, aeTitle, titles);
      return aeTitle === null ? null : { centerId, organisationId: center.organisationId, aeTitle, callingAeTitles: titles.sort() };
    });
  }

  listNodes(): Promise<DicomNode[]> {
    return this.ctx.repos.dicomInbox.listNodes(this.ctx.db);
  }

  /** The studies waiting in the inbox: pending (not quiet yet, or being made into a case) and failed, with why. */
  listStudies(): Promise<InboxStudySummary[]> {
    return this.ctx.repos.dicomInbox.listStudies(this.ctx.db);
  }

  /** Removes a study from the inbox, its files with it; returns its center (for the audit entry). */
  async discardStudy(studyId: number): Promise<{ centerId: number; files: number }> {
    const { db, repos, blobs } = this.ctx;
    const discarded = await db.transaction().execute((trx) => repos.dicomInbox.discard(trx, studyId));
    if (!discarded) throw new NotFoundError('DICOM study');
    await Promise.all(discarded.blobKeys.map((key) => blobs.delete(key)));
    return { centerId: discarded.centerId, files: discarded.blobKeys.length };
  }
}

/** The patient and visit a file names; a file too broken to say leaves the fields for the intake to find missing. */
function identityOf(file: Buffer): DicomIdentity {
  try {
    return identityOfDicom(readDicomHeader(file));
  } catch {
    return {};
  }
}
