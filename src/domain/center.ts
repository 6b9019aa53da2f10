/** Languages a center's reports are written in (src/domain/report-text.ts has the wording of each). */
export const REPORT_LANGUAGES = ['en', 'es'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

/** What each language is called, for the people who choose or read it (the reader's page names the center's). */
export const LANGUAGE_NAMES: Readonly<Record<ReportLanguage, string>> = { en: 'English', es: 'Spanish' };

export function isReportLanguage(value: unknown): value is ReportLanguage {
  return typeof value === 'string' && (REPORT_LANGUAGES as readonly string[]).includes(value);
}

/**
 * A center: an optician's, pharmacy or clinic that sends cases. Its reports
 * are written in its language, and their dates and times are its local ones.
 */
export interface Center {
  readonly id: number;
  readonly organisationId: number;
  readonly name: string;
  readonly language: ReportLanguage;
  /** IANA time zone (`Europe/Madrid`): its own, or the instance default when it has none. */
  readonly timezone: string;
  /** Printed under its name on its reports (a few lines); null: none. */
  readonly address: string | null;
  readonly createdAt: string;
}

/** How long a center's address may be: what fits under its name at the top of a report. */
export const ADDRESS_MAX_LENGTH = 300;
export const ADDRESS_MAX_LINES = 4;

/**
 * A center's address as it is kept: trimmed lines, blank ones dropped; null
 * when nothing is left. The caller checks the limits on what this returns.
 */
export function normalizedAddress(text: string): string | null {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.length === 0 ? null : lines.join('\n');
}

/** IANA names: `UTC`, `Europe/Madrid`, `America/Argentina/Buenos_Aires`, `Etc/GMT+3`; never an offset like `+01:00`. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * An IANA time zone that this runtime's Intl knows, spelt as Intl spells it
 * when only the case differs (`europe/madrid` → `Europe/Madrid`), else as
 * given: ICU would turn `Asia/Kolkata` into its old alias `Asia/Calcutta`,
 * and nobody should find another name than the one they chose. Null for
 * anything else, so a center never gets a zone its reports cannot be dated in.
 */
export function canonicalTimezone(name: string): string | null {
  const given = name.trim();
  if (given.length > 64 || !IANA_NAME.test(given)) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: given }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (resolved.toLowerCase() === given.toLowerCase()) return resolved;
  return Intl.supportedValuesOf('timeZone').find((zone) => zone.toLowerCase() === given.toLowerCase()) ?? given;
}

/** The center as stored, with the instance default for a center that has no time zone of its own. */
export function centerOf(
  stored: Omit<Center, 'language' | 'timezone'> & { readonly language: string; readonly timezone: string | null },
  defaultTimezone: string,
): Center {
  return { ...stored, language: isReportLanguage(stored.language) ? stored.language : 'en', timezone: stored.timezone ?? defaultTimezone };
}
