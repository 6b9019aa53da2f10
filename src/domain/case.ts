import type { DicomSopClass } from './dicom.js';
import type { Eye, EyeSource } from './eyes.js';
import type { EyeGrading, RejectionReason } from './grading.js';
import type { ImageStatus, StoredImageChecks } from './image-checks.js';
import type { CaseIntake } from './intake.js';

export const CASE_STATUSES = ['pending', 'reported', 'rejected'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Referral urgency a retina specialist signs (contract §7). */
export const DERIVATIONS = ['normal', 'routine', 'preferential', 'urgent'] as const;
export type Derivation = (typeof DERIVATIONS)[number];

export const IMAGE_FORMATS = ['jpeg', 'png', 'tiff'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
export const IMAGE_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
};

export interface CaseImage {
  readonly id: number;
  /** The client's file name, kept for display only; storage uses generated keys. */
  readonly fileName: string;
  readonly size: number;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  /** SHA-256 of the stored file; null for the moment until the image worker has hashed it. */
  readonly sha256: string | null;
  readonly createdAt: string;
  /** Which eye it shows, when someone has said (domain/eyes.ts), and who. */
  readonly eye: Eye | null;
  readonly eyeSource: EyeSource | null;
  /** Whether the image worker has decoded it yet, and could (domain/image-checks.ts). */
  readonly status: ImageStatus;
  /** Why it is unreadable; null otherwise. */
  readonly statusReason: string | null;
  /** The automatic checks, once made; null while checking, when unreadable, and for images stored before checks existed. */
  readonly checks: StoredImageChecks | null;
  /** When the photograph was taken from a DICOM file, which is kept as it came. */
  readonly dicom: ImageDicomSource | null;
}

export interface ImageDicomSource {
  readonly size: number;
  readonly sopClass: DicomSopClass;
}

/**
 * A case: its own state in camelCase, and the clinical intake under `intake`,
 * keyed by the names of INTAKE_FIELDS (the OPTretina contract's names, which
 * are the domain's vocabulary for those fields), so one table keeps naming them.
 */
export interface Case {
  readonly id: number;
  readonly status: CaseStatus;
  readonly derivation: Derivation | null;
  readonly centerId: number;
  readonly intake: Readonly<CaseIntake>;
  readonly images: readonly CaseImage[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly reportedAt: string | null;
  /** The signed report's current version (1, then one more per amendment). */
  readonly reportVersion: number | null;
  /** The current report's findings, structured, once reported. */
  readonly findings: CaseFindings | null;
  /** Why a reader rejected the case, once rejected: the clinic must learn it to act on it. */
  readonly rejection: CaseRejection | null;
  /** A reader's open request for new photographs: the case waits for the clinic, off the worklist. */
  readonly imageRequest: ImageRequest | null;
  /** What the current report version changed, when it amends an earlier one (null for version 1 and unreported cases). */
  readonly amendment: CaseAmendment | null;
}

/**
 * The current version of a report against the one it replaced: staff see
 * at a glance that a report they may have acted on became more urgent.
 */
export interface CaseAmendment {
  /** The derivation of the version it replaced. */
  readonly previousDerivation: Derivation;
  /** True when the current derivation is more urgent than that one. */
  readonly moreUrgent: boolean;
  readonly reason: string;
  readonly amendedAt: string;
}

export interface ImageRequest {
  readonly reason: RejectionReason;
  readonly text: string | null;
  readonly requestedAt: string;
}

/**
 * Who a pending case waits for: the clinic's photographs (none yet, none that
 * can be read, or a reader asked for new ones), or a reader. A photograph
 * still being checked counts as readable: most are, and the reader may start.
 */
export function waitingFor(
  c: Pick<Case, 'status' | 'imageRequest'> & { readonly images: readonly { readonly status: ImageStatus }[] },
): 'images' | 'reader' | null {
  if (c.status !== 'pending') return null;
  return c.imageRequest !== null || !c.images.some((i) => i.status !== 'unreadable') ? 'images' : 'reader';
}

export interface CaseRejection {
  readonly reason: RejectionReason;
  readonly text: string | null;
  readonly rejectedAt: string;
}

export interface CaseFindings {
  readonly od: EyeGrading;
  readonly os: EyeGrading;
  /** Why glaucoma is not suspected in an eye whose cup-to-disc ratio suggests it; null when no eye is. */
  readonly glaucomaOverrideReason: string | null;
  readonly recommendation: string;
  readonly rescreenMonths: number | null;
}

export function canAddImages(status: CaseStatus): boolean {
  return status === 'pending';
}
