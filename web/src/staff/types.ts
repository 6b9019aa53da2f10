import type { Derivation } from '../../../src/domain/case.js';
import type { EyeGrading } from '../../../src/domain/grading.js';

export interface Center {
  readonly id: number;
  readonly name: string;
}

/** The case object of the API (GET /staff/cases/{id}). */
export interface StaffCase {
  readonly id: number;
  readonly status: 'pending' | 'reported' | 'rejected';
  readonly derivation: Derivation | null;
  readonly center_id: number;
  readonly history_number: string | null;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly age: number | null;
  readonly gender: number | null;
  readonly visit_date: string;
  readonly created_at: string;
  readonly reported_at: string | null;
  readonly report_version: number | null;
  readonly report_url: string | null;
  readonly images: readonly { readonly id: number; readonly file_name: string; readonly width: number; readonly height: number; readonly size: number }[];
  readonly findings: { readonly od: EyeGrading; readonly os: EyeGrading; readonly recommendation: string; readonly rescreen_months: number | null } | null;
}

export function patientName(c: StaffCase): string {
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
  if (name && c.history_number) return `${name} · ${c.history_number}`;
  return name || c.history_number || '—';
}
