import { type FieldIssue, ValidationError } from './errors.js';
import { MAX_ID } from './ids.js';

/**
 * Erasure of a patient (GDPR art. 17): every case of one history number in
 * one center, or the cases named by id. What goes and in what order is the
 * erasure service's; this is what a request must say, and the pseudonymous
 * trace the audit trail keeps of it.
 */

/** At most this many cases by id in one erasure: one patient's cases, not a bulk purge. */
export const MAX_ERASED_CASE_IDS = 1000;

export type ErasureTarget =
  | { readonly centerId: number; readonly historyNumber: string }
  | { readonly centerId: number; readonly caseIds: readonly number[] };

/** The request as it arrives (HTTP body or command line), before checking. */
export interface ErasureInput {
  readonly centerId: number;
  readonly historyNumber?: string;
  readonly caseIds?: readonly number[];
}

/** Exactly one of a history number and a list of case ids; every bad field named at once. */
export function erasureTargetOf(input: ErasureInput): ErasureTarget {
  const issues: FieldIssue[] = [];
  const { historyNumber, caseIds } = input;
  if (!Number.isSafeInteger(input.centerId) || input.centerId < 1 || input.centerId > MAX_ID) {
    issues.push({ field: 'center_id', rule: 'range', message: 'must be a center id' });
  }
  if ((historyNumber === undefined) === (caseIds === undefined)) {
    issues.push({ field: 'history_number', rule: 'one_of', message: 'give either history_number or case_ids, not both and not neither' });
  }
  const trimmed = historyNumber?.trim();
  if (trimmed !== undefined && trimmed === '') issues.push({ field: 'history_number', rule: 'required', message: 'must not be empty' });
  if (caseIds !== undefined) {
    if (caseIds.length === 0) issues.push({ field: 'case_ids', rule: 'required', message: 'must name at least one case' });
    if (caseIds.length > MAX_ERASED_CASE_IDS) issues.push({ field: 'case_ids', rule: 'max_items', message: `may name at most ${MAX_ERASED_CASE_IDS} cases` });
    if (caseIds.some((id) => !Number.isSafeInteger(id) || id < 1 || id > MAX_ID)) issues.push({ field: 'case_ids', rule: 'range', message: 'must be case ids' });
    if (new Set(caseIds).size !== caseIds.length) issues.push({ field: 'case_ids', rule: 'unique', message: 'must not repeat a case' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return trimmed !== undefined ? { centerId: input.centerId, historyNumber: trimmed } : { centerId: input.centerId, caseIds: [...caseIds!].sort((a, b) => a - b) };
}

/** The purpose the pseudonyms of history numbers are keyed for (SecretBox.pseudonym). */
export const HISTORY_NUMBER_PSEUDONYM = 'history number';

/**
 * What the pseudonym of a history number is computed over: the center and
 * the number as stored (trimmed), so that a data-protection officer holding
 * the key can recompute it from the center's own records, and the same
 * number at two centers (two different patients) gives two pseudonyms.
 */
export function pseudonymSubject(centerId: number, historyNumber: string): string {
  return `${centerId}:${historyNumber.trim()}`;
}

/** What the audit entry of an erasure holds (JSON in its detail): no history number, no name. */
export interface ErasureTrace {
  readonly by: 'history_number' | 'case_ids';
  /** Keyed hashes of the erased cases' history numbers (one for an erasure by history number), sorted. */
  readonly history_number_hmacs: readonly string[];
  readonly case_ids: readonly number[];
  readonly cases: number;
}

export function erasureDetail(trace: ErasureTrace): string {
  return JSON.stringify({ by: trace.by, history_number_hmacs: trace.history_number_hmacs, case_ids: trace.case_ids, cases: trace.cases });
}
