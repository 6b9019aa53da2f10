import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { type Lease, type LeaseQueue, claimDue, settle } from '../lease.js';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

const STUDY_QUEUE: LeaseQueue = { table: 'dicom_studies', key: 'id' };

/** A center that takes DICOM: the AE title cameras send to, and the calling AE titles allowed to. */
export interface DicomNode {
  readonly centerId: number;
  readonly organisationId: number;
  readonly aeTitle: string;
  readonly callingAeTitles: readonly string[];
}

export interface NewInstance {
  readonly centerId: number;
  readonly studyInstanceUid: string;
  /** PatientID (0010,0020), if the file names one. */
  readonly patientId: string | null;
  readonly sopInstanceUid: string;
  readonly blobKey: string;
  readonly size: number;
  readonly callingAe: string;
  readonly receivedAt: string;
  /** When the study is due if nothing more arrives: the arrival plus the stable time. */
  readonly dueAt: string;
}

export interface InboxInstance {
  readonly id: number;
  readonly sopInstanceUid: string;
  readonly blobKey: string;
}

export interface InboxStudy {
  readonly id: number;
  readonly centerId: number;
  readonly organisationId: number;
  /** The case earlier files of the study became: these join it. */
  readonly caseId: number | null;
  readonly instances: readonly InboxInstance[];
}

/** A study waiting in the inbox, as the CLI lists it (no patient data: the files hold that). */
export interface InboxStudySummary {
  readonly id: number;
  readonly centerId: number;
  readonly studyInstanceUid: string;
  readonly state: 'pending' | 'failed';
  readonly instances: number;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly firstReceivedAt: string;
  readonly lastReceivedAt: string;
}

/** The lease on a study was lost (it overran, another worker took it): its work must not commit. */
export class StudyLeaseLostError extends Error {
  constructor(readonly studyId: number) {
    super(`the lease on DICOM study ${studyId} was lost`);
  }
}

/** The DICOM network intake: centers' AE titles, and the inbox of received files by study. */
export class DicomInboxRepository {
  constructor(private readonly dialect: DialectName) {}

  async nodeByAeTitle(db: Db, aeTitle: string): Promise<DicomNode | undefined> {
    const center = await db.selectFrom('centers').select(['id', 'organisation_id', 'dicom_ae_title']).where('dicom_ae_title', '=', aeTitle).executeTakeFirst();
    if (!center || center.dicom_ae_title === null) return undefined;
    const calling = await db.selectFrom('dicom_calling_aes').select('ae_title').where('center_id', '=', center.id).orderBy('ae_title').execute();
    return { centerId: center.id, organisationId: center.organisation_id, aeTitle: center.dicom_ae_title, callingAeTitles: calling.map((c) => c.ae_title) };
  }

  async listNodes(db: Db): Promise<DicomNode[]> {
    const centers = await db
      .selectFrom('centers')
      .select(['id', 'organisation_id', 'dicom_ae_title'])
      .where('dicom_ae_title', 'is not', null)
      .orderBy('id')
      .execute();
    const calling = await db.selectFrom('dicom_calling_aes').select(['center_id', 'ae_title']).orderBy('ae_title').execute();
    return centers.map((c) => ({
      centerId: c.id,
      organisationId: c.organisation_id,
      aeTitle: c.dicom_ae_title ?? '',
      callingAeTitles: calling.filter((a) => a.center_id === c.id).map((a) => a.ae_title),
    }));
  }

  /** The center's AE title (null: none) and the calling AE titles allowed, replacing what it had; call in a transaction. */
  async setNode(db: Db, centerId: number, aeTitle: string | null, callingAeTitles: readonly string[]): Promise<void> {
    await db.updateTable('centers').set({ dicom_ae_title: aeTitle }).where('id', '=', centerId).execute();
    await db.deleteFrom('dicom_calling_aes').where('center_id', '=', centerId).execute();
    if (callingAeTitles.length > 0) {
      await db
        .insertInto('dicom_calling_aes')
        .values(callingAeTitles.map((ae) => ({ center_id: centerId, ae_title: ae })))
        .execute();
    }
  }

  /** Whether another center has this AE title already. */
  async aeTitleTaken(db: Db, aeTitle: string, exceptCenterId: number): Promise<boolean> {
    const row = await db.selectFrom('centers').select('id').where('dicom_ae_title', '=', aeTitle).where('id', '!=', exceptCenterId).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Records a received file under its study, which is due again `dueAt` (a
   * failed study is tried again with it). False, recording nothing, when the
   * SOP instance is in the inbox already (a resend). Call in a transaction.
   */
  async recordInstance(db: Db, instance: NewInstance): Promise<boolean> {
    const study = await db
      .insertInto('dicom_studies')
      .values({
        center_id: instance.centerId,
        study_instance_uid: instance.studyInstanceUid,
        patient_id: instance.patientId,
        state: 'pending',
        next_attempt_at: instance.dueAt,
        last_error: null,
        first_received_at: instance.receivedAt,
        last_received_at: instance.receivedAt,
      })
      .onConflict((oc) =>
        oc.columns(['center_id', 'study_instance_uid']).doUpdateSet((eb) => ({
          patient_id: eb.fn.coalesce('dicom_studies.patient_id', eb.ref('excluded.patient_id')),
          state: 'pending',
          next_attempt_at: instance.dueAt,
          last_received_at: instance.receivedAt,
        })),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const inserted = await db
      .insertInto('dicom_instances')
      .values({
        study_id: study.id,
        sop_instance_uid: instance.sopInstanceUid,
        blob_key: instance.blobKey,
        size: instance.size,
        calling_ae: instance.callingAe,
        received_at: instance.receivedAt,
      })
      .onConflict((oc) => oc.column('sop_instance_uid').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Claims the study quiet the longest, if one is due. */
  async claimDue(db: Db, now: Date, leaseMs: number): Promise<Lease | undefined> {
    const [lease] = await claimDue(db, this.dialect, STUDY_QUEUE, { now, leaseMs, limit: 1 });
    return lease;
  }

  async study(db: Db, id: number): Promise<InboxStudy | undefined> {
    const study = await db
      .selectFrom('dicom_studies')
      .innerJoin('centers', 'centers.id', 'dicom_studies.center_id')
      .select(['dicom_studies.id', 'dicom_studies.center_id', 'dicom_studies.case_id', 'centers.organisation_id'])
      .where('dicom_studies.id', '=', id)
      .executeTakeFirst();
    if (!study) return undefined;
    const instances = await db.selectFrom('dicom_instances').select(['id', 'sop_instance_uid', 'blob_key']).where('study_id', '=', id).orderBy('id').execute();
    return {
      id: study.id,
      centerId: study.center_id,
      organisationId: study.organisation_id,
      caseId: study.case_id,
      instances: instances.map((i) => ({ id: i.id, sopInstanceUid: i.sop_instance_uid, blobKey: i.blob_key })),
    };
  }

  /**
   * The study's files became (or joined) case `caseId` (call in the case's
   * transaction): their rows go, and the study is done, remembering the
   * case, unless more files arrived meanwhile (those wait for their own quiet
   * time, then join it). Throws `StudyLeaseLostError`, so the case is not
   * committed, when the lease is no longer this worker's.
   */
  async finish(db: Db, lease: Lease, instanceIds: readonly number[], caseId: number): Promise<void> {
    // First, so that on PostgreSQL the study's row is locked against a file of it being recorded meanwhile.
    const held = await db
      .updateTable('dicom_studies')
      .set({ locked_until: null, lease_token: null, case_id: caseId, last_error: null })
      .where('id', '=', lease.id)
      .where('lease_token', '=', lease.token)
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) !== 1) throw new StudyLeaseLostError(lease.id);
    if (instanceIds.length > 0) await db.deleteFrom('dicom_instances').where('id', 'in', instanceIds).execute();
    await db
      .updateTable('dicom_studies')
      .set({ state: 'done' })
      .where('id', '=', lease.id)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('dicom_instances').select('id').where('study_id', '=', lease.id))))
      .execute();
  }

  /** The study cannot become a case: kept, with the reason, until more of it arrives or it is discarded. */
  fail(db: Db, lease: Lease, reason: string): Promise<boolean> {
    return settle(db, STUDY_QUEUE, lease, { state: 'failed', last_error: reason });
  }

  /** Something went wrong that may not go wrong again (the database, the blob store): try again at `at`. */
  retryAt(db: Db, lease: Lease, at: string, reason: string): Promise<boolean> {
    return settle(db, STUDY_QUEUE, lease, { next_attempt_at: at, last_error: reason });
  }

  async listStudies(db: Db): Promise<InboxStudySummary[]> {
    const columns = [
      'dicom_studies.id',
      'dicom_studies.center_id',
      'dicom_studies.study_instance_uid',
      'dicom_studies.state',
      'dicom_studies.attempts',
      'dicom_studies.last_error',
      'dicom_studies.first_received_at',
      'dicom_studies.last_received_at',
    ] as const;
    const rows = await db
      .selectFrom('dicom_studies')
      .leftJoin('dicom_instances', 'dicom_instances.study_id', 'dicom_studies.id')
      .select((eb) => [...columns, eb.fn.count<number>('dicom_instances.id').as('instances')])
      .where('dicom_studies.state', '!=', 'done')
      .groupBy([...columns])
      .orderBy('dicom_studies.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      centerId: r.center_id,
      studyInstanceUid: r.study_instance_uid,
      state: r.state === 'failed' ? 'failed' : 'pending', // done studies are not listed (the where above)
      instances: Number(r.instances),
      attempts: Number(r.attempts),
      lastError: r.last_error,
      firstReceivedAt: r.first_received_at,
      lastReceivedAt: r.last_received_at,
    }));
  }

  /** Removes a study and its files' rows (call in a transaction); the blob keys to delete, or undefined when there is no such study. */
  async discard(db: Db, id: number): Promise<{ centerId: number; blobKeys: string[] } | undefined> {
    const study = await db.selectFrom('dicom_studies').select('center_id').where('id', '=', id).executeTakeFirst();
    if (!study) return undefined;
    const rows = await db.deleteFrom('dicom_instances').where('study_id', '=', id).returning('blob_key').execute();
    await db.deleteFrom('dicom_studies').where('id', '=', id).execute();
    return { centerId: study.center_id, blobKeys: rows.map((r) => r.blob_key) };
  }

  /**
   * Removes every study of the center whose files name this PatientID, with
   * their files' rows (an erasure of the patient; call in its transaction):
   * how many studies and the blob keys to delete.
   */
  async erasePatient(db: Db, centerId: number, patientId: string): Promise<{ studies: number; blobKeys: string[] }> {
    const studies = await db.selectFrom('dicom_studies').select('id').where('center_id', '=', centerId).where('patient_id', '=', patientId).execute();
    if (studies.length === 0) return { studies: 0, blobKeys: [] };
    const ids = studies.map((s) => s.id);
    const rows = await db.deleteFrom('dicom_instances').where('study_id', 'in', ids).returning('blob_key').execute();
    await db.deleteFrom('dicom_studies').where('id', 'in', ids).execute();
    return { studies: ids.length, blobKeys: rows.map((r) => r.blob_key) };
  }

  /** Of `keys`, the inbox files a row names (the orphan sweep keeps those). */
  async referencedBlobKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db.selectFrom('dicom_instances').select('blob_key').where('blob_key', 'in', keys).execute();
    return new Set(rows.map((r) => r.blob_key));
  }
}
