import type { EyeGrading } from './grading.js';
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
  readonly file_name: string;
  readonly size: number;
  readonly content_type: string;
  readonly width: number;
  readonly height: number;
  /** SHA-256 of the stored file; null for the moment until the image worker has hashed it. */
  readonly sha256: string | null;
  readonly created_at: string;
}

export type Case = CaseIntake & {
  readonly id: number;
  readonly status: CaseStatus;
  readonly derivation: Derivation | null;
  readonly center_id: number;
  readonly images: readonly CaseImage[];
  readonly created_at: string;
  readonly updated_at: string;
  readonly reported_at: string | null;
  /** The signed report's current version (1, then one more per amendment). */
  readonly report_version: number | null;
  /** The current report's findings, structured, once reported. */
  readonly findings: CaseFindings | null;
};

export interface CaseFindings {
  readonly od: EyeGrading;
  readonly os: EyeGrading;
  readonly recommendation: string;
  readonly rescreen_months: number | null;
}

export function canAddImages(status: CaseStatus): boolean {
  return status === 'pending';
}
