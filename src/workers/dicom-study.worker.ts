import type { Platform } from '../platform.js';
import type { DicomIntakeService, StudyRun } from '../services/dicom-intake.service.js';
import { OneJobWorker, type WorkerLog } from './job-loop.js';
import type { Wakeups } from './wakeups.js';

export interface DicomStudyWorkerOptions {
  readonly wakeups: Wakeups;
  /** How often to look for studies that have become quiet (a study comes due by time, not by a nudge). */
  readonly pollMs: number;
  readonly onRun?: (run: StudyRun) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * Turns DICOM studies that have been quiet for the stable time into cases,
 * one at a time. Studies are claimed under a lease, so several workers (one
 * process or several) never make two cases of one study.
 */
export class DicomStudyWorker extends OneJobWorker<StudyRun> {
  constructor(intake: DicomIntakeService, options: DicomStudyWorkerOptions) {
    super({ ...options, topic: 'dicom_studies', next: () => intake.runNext() });
  }
}

/** The DICOM study worker of a process, logging each study (ids and outcome only: no patient data), until the returned function is awaited. */
export function startDicomStudyWorker(platform: Platform, log: WorkerLog): () => Promise<void> {
  const worker = new DicomStudyWorker(platform.services.dicomIntake, {
    wakeups: platform.wakeups,
    pollMs: platform.config.dicom.pollMs,
    onRun: (run) => {
      const base = { worker: 'dicom_studies', study: run.studyId, outcome: run.outcome };
      if (run.outcome === 'case') log.info({ ...base, case: run.caseId, images: run.images }, 'DICOM study became a case');
      else if (run.outcome === 'joined') log.info({ ...base, case: run.caseId, images: run.images }, 'later files of a DICOM study joined its case');
      else if (run.outcome === 'failed') log.warn(base, 'DICOM study could not become a case: kept in the inbox (openretina dicom inbox)');
      else if (run.outcome === 'retry') log.error({ ...base, error: run.error instanceof Error ? run.error.message : String(run.error) }, 'DICOM study failed; it will be tried again');
      else log.debug(base, 'DICOM study taken over by another worker');
    },
    onError: (error) => log.error({ worker: 'dicom_studies', err: error }, 'DICOM study round failed'),
  });
  worker.start();
  return () => worker.stop();
}
