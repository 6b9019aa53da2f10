import type { Derivation } from '../../../src/domain/case.js';
import type { EyeGrading } from '../../../src/domain/grading.js';
import type { ReadingImage } from '../images.js';

/** Shapes of the reading API's answers (see openapi.json, tag "reading"). */
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
  readonly claimed: 'mine' | 'other' | null;
  readonly claim_expires_at: string | null;
}

export interface ReportedItem {
  readonly id: number;
  readonly age: number | null;
  readonly gender: number | null;
  readonly derivation: Derivation | null;
  readonly report_version: number | null;
  readonly updated_at: string;
}

/** A case as a reader sees it: no names, no history number. */
export interface ReadingCase {
  readonly id: number;
  readonly status: 'pending' | 'reported' | 'rejected';
  readonly derivation: Derivation | null;
  readonly report_version: number | null;
  readonly age: number | null;
  readonly gender: number | null;
  readonly diabetes: number | null;
  readonly visit_date: string;
  readonly visit_reason: string | null;
  readonly ophthalmic_antecedents: string | null;
  readonly other_relevant_info: string | null;
  readonly retinologist_notes: string | null;
  readonly created_at: string;
  readonly images: readonly ReadingImage[];
  readonly deadline?: string;
  readonly overdue?: boolean;
  readonly [clinical: `${'od' | 'os'}_${string}`]: number | null;
}

export interface ReadingView {
  readonly case: ReadingCase;
  readonly previous_cases: readonly ReadingCase[];
  readonly claim_expires_at: string | null;
}

export interface ReportVersion {
  readonly version: number;
  readonly signed_at: string;
  readonly reader_name: string;
  readonly reader_licence: string | null;
  readonly derivation: Derivation;
  readonly suggested_derivation: Derivation;
  readonly override_reason: string | null;
  readonly amend_reason: string | null;
  readonly od: EyeGrading;
  readonly os: EyeGrading;
  readonly recommendation: string;
  readonly rescreen_months: number | null;
  readonly pdf_url: string;
}
