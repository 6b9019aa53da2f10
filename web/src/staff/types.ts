import type { StaffCase } from '../api-types.js';

/** Shapes of the staff API's answers: generated from openapi.json (see ../api-types.ts). */
export type { Center, StaffCase } from '../api-types.js';

export function patientName(c: StaffCase): string {
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
  if (name && c.history_number) return `${name} · ${c.history_number}`;
  return name || c.history_number || '—';
}
