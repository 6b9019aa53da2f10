import { type CaseIntake, INTAKE_FIELD_NAMES, type IntakeFieldName } from './intake.js';

/**
 * Reading rules, free of storage: when a case is due, and who may hold it.
 * OPTretina publicly commits to answering within 48 hours of submission.
 */
export function readingDeadline(submittedAt: string, turnaroundHours: number): string {
  return new Date(new Date(submittedAt).getTime() + turnaroundHours * 3600_000).toISOString();
}

export function isOverdue(deadline: string, now: Date): boolean {
  return deadline <= now.toISOString();
}

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Madrid", "UTC"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone !== '';
  } catch {
    return false;
  }
}

/**
 * Until when someone holds a case, for a person: the time in their zone with
 * its abbreviation, and how long that is from now ("14:30 CET, in 25 min").
 * An unknown zone reads as UTC.
 */
export function claimUntilText(until: string, now: Date, timeZone = 'UTC'): string {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const at = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(until));
  const minutes = Math.max(1, Math.ceil((new Date(until).getTime() - now.getTime()) / 60_000));
  return `${at}, in ${minutes} min`;
}

export interface Claim {
  readonly readerId: number;
  readonly expiresAt: string;
}

export type ClaimDecision = { readonly ok: true } | { readonly ok: false; readonly heldBy: number; readonly until: string };

/**
 * A reader may claim a case nobody holds, one whose claim has expired, or one
 * they already hold (which extends it). Exclusive, so two readers never grade
 * the same case.
 */
export function decideClaim(current: Claim | null, readerId: number, now: Date): ClaimDecision {
  if (current === null || current.readerId === readerId || current.expiresAt <= now.toISOString()) return { ok: true };
  return { ok: false, heldBy: current.readerId, until: current.expiresAt };
}

/** Whether `readerId` holds a live claim on the case. */
export function holdsClaim(current: Claim | null, readerId: number, now: Date): boolean {
  return current !== null && current.readerId === readerId && current.expiresAt > now.toISOString();
}

/** What a reader sees of a case: the clinical picture, never who the patient is. */
export const IDENTIFYING_FIELDS = ['history_number', 'first_name', 'last_name', 'callback_url', 'description'] as const satisfies readonly IntakeFieldName[];
export type IdentifyingField = (typeof IDENTIFYING_FIELDS)[number];

/** The intake fields a reader sees, in the contract's order. */
export const ANONYMOUS_INTAKE_FIELD_NAMES = INTAKE_FIELD_NAMES.filter(
  (name): name is Exclude<IntakeFieldName, IdentifyingField> => !(IDENTIFYING_FIELDS as readonly string[]).includes(name),
);
export type AnonymousIntake = Omit<CaseIntake, IdentifyingField>;

export function anonymise(intake: Readonly<CaseIntake>): AnonymousIntake {
  const copy: Partial<CaseIntake> = { ...intake };
  for (const field of IDENTIFYING_FIELDS) delete copy[field];
  return copy as AnonymousIntake;
}
