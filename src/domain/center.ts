/** Languages a center's reports are written in (src/domain/report-text.ts has the wording of each). */
export const REPORT_LANGUAGES = ['en', 'es'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];
