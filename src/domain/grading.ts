import type { Derivation } from './case.js';
import type { FieldIssue } from './errors.js';

/**
 * Structured grading of one eye, on the scales screening programmes use
 * (shared/clinical-report.md): ICDR for diabetic retinopathy, DME by centre
 * involvement, Beckman for AMD, vertical cup-to-disc ratio for glaucoma,
 * Wong–Mitchell for hypertensive retinopathy.
 */
export const IMAGE_QUALITY = ['good', 'acceptable', 'ungradable'] as const;
export const DR_GRADES = ['none', 'mild', 'moderate', 'severe', 'proliferative'] as const;
export const DME_GRADES = ['absent', 'non_centre_involving', 'centre_involving'] as const;
export const AMD_GRADES = ['none', 'early', 'intermediate', 'late_atrophic', 'late_neovascular'] as const;
export const HYPERTENSIVE_GRADES = ['none', 'mild', 'moderate', 'malignant'] as const;
export const OTHER_FINDINGS = [
  'retinal_detachment',
  'papilloedema',
  'retinal_vein_occlusion',
  'retinal_artery_occlusion',
  'epiretinal_membrane',
  'macular_hole',
  'choroidal_naevus',
  'myopic_maculopathy',
  'cataract_media_opacity',
  'other',
] as const;

export interface EyeGrading {
  readonly quality: (typeof IMAGE_QUALITY)[number];
  readonly dr: (typeof DR_GRADES)[number] | null;
  readonly dme: (typeof DME_GRADES)[number] | null;
  readonly amd: (typeof AMD_GRADES)[number] | null;
  /** Vertical cup-to-disc ratio, 0–1. */
  readonly vertical_cdr: number | null;
  readonly glaucoma_suspect: boolean;
  readonly hypertensive: (typeof HYPERTENSIVE_GRADES)[number] | null;
  readonly other_findings: readonly (typeof OTHER_FINDINGS)[number][];
  readonly other_text: string | null;
}

const LEVEL: Readonly<Record<Derivation, number>> = { normal: 0, routine: 1, preferential: 2, urgent: 3 };

/** What each other finding asks for on its own; the reader may always raise the case's derivation. */
const OTHER_FINDING_DERIVATION: Readonly<Record<(typeof OTHER_FINDINGS)[number], Derivation>> = {
  retinal_detachment: 'urgent',
  papilloedema: 'urgent',
  retinal_artery_occlusion: 'urgent',
  retinal_vein_occlusion: 'preferential',
  macular_hole: 'preferential',
  epiretinal_membrane: 'routine',
  choroidal_naevus: 'routine',
  myopic_maculopathy: 'routine',
  cataract_media_opacity: 'routine',
  other: 'normal',
};

/** Vertical CDR at or above this raises glaucoma suspicion (shared/clinical-report.md, [C6]). */
export const SUSPICIOUS_CDR = 0.7;
/** A cup at least this much larger than the fellow eye's raises suspicion too. */
export const SUSPICIOUS_CDR_ASYMMETRY = 0.2;

/** How the derivation reads `glaucoma_suspect`; see `eyeDerivation`. */
export interface DerivationOptions {
  /**
   * True for a signed grading: its `glaucoma_suspect` is the reader's
   * decision (the rule already filled it in where the reader said nothing,
   * and a "no" against the rule came with a reason), so it stands. False
   * (the default): the cup-to-disc rule raises suspicion whatever the flag.
   */
  readonly glaucomaAsGraded?: boolean;
}

/**
 * The derivation one eye asks for. The rule, documented for readers:
 * - urgent: proliferative or severe non-proliferative DR, centre-involving DME,
 *   neovascular AMD, malignant hypertensive retinopathy (ADA "immediate";
 *   NHS R3 seen within 2–4 weeks);
 * - preferential: moderate NPDR, non-centre-involving DME, moderate
 *   hypertensive retinopathy (ADA 3–6 months; NHS R2/M1 within 13 weeks);
 * - routine: intermediate or atrophic AMD, glaucoma suspicion, an ungradable
 *   eye (it needs a full examination);
 * - normal: anything milder (ADA: none or mild NPDR, rescreen within a year).
 * Other findings add their own level (a detachment is urgent).
 *
 * Glaucoma suspicion (the rule of `glaucomaSuggested`): a vertical CDR of
 * 0.7 or more, or a cup 0.2 or more larger than the fellow eye's, suggests
 * it. A reader who grades such an eye `glaucoma_suspect: false` overrides
 * the rule and must say why (`glaucoma_override_reason`); without a word
 * from the reader the suggestion is what is signed.
 */
export function eyeDerivation(eye: EyeGrading, fellowCdr: number | null = null, options: DerivationOptions = {}): Derivation {
  const levels: Derivation[] = ['normal'];
  if (eye.quality === 'ungradable') levels.push('routine');
  if (eye.dr === 'proliferative' || eye.dr === 'severe') levels.push('urgent');
  else if (eye.dr === 'moderate') levels.push('preferential');
  if (eye.dme === 'centre_involving') levels.push('urgent');
  else if (eye.dme === 'non_centre_involving') levels.push('preferential');
  if (eye.amd === 'late_neovascular') levels.push('urgent');
  else if (eye.amd === 'late_atrophic' || eye.amd === 'intermediate') levels.push('routine');
  if (eye.hypertensive === 'malignant') levels.push('urgent');
  else if (eye.hypertensive === 'moderate') levels.push('preferential');
  if (options.glaucomaAsGraded ? eye.glaucoma_suspect : glaucomaSuspected(eye, fellowCdr)) levels.push('routine');
  for (const finding of eye.other_findings) levels.push(OTHER_FINDING_DERIVATION[finding]);
  return mostUrgent(levels);
}

/**
 * Whether the cup-to-disc ratios suggest glaucoma in an eye: a vertical CDR
 * of 0.7 or more, or one at least 0.2 larger than the fellow eye's (the eye
 * with the larger cup is the suspect one).
 */
export function glaucomaSuggested(cdr: number | null, fellowCdr: number | null): boolean {
  if (cdr === null) return false;
  if (cdr >= SUSPICIOUS_CDR - 1e-9) return true;
  return fellowCdr !== null && cdr - fellowCdr >= SUSPICIOUS_CDR_ASYMMETRY - 1e-9;
}

/** Suspected by the reader, or suggested by the rule. */
export function glaucomaSuspected(eye: EyeGrading, fellowCdr: number | null): boolean {
  return eye.glaucoma_suspect || glaucomaSuggested(eye.vertical_cdr, fellowCdr);
}

/**
 * What a signed report says of glaucoma in an eye: `suspected`; `overridden`
 * (not suspected although the cup-to-disc rule suggests it, for the reader's
 * reason); or `not_suspected`. Never a bare "no" where the rule suggests it:
 * a report signed before readers gave such reasons counted the rule's
 * suspicion in its derivation, and says `suspected`.
 */
export function glaucomaStatement(eye: EyeGrading, fellowCdr: number | null, overrideReason: string | null): 'suspected' | 'overridden' | 'not_suspected' {
  if (!eye.glaucoma_suspect && overrideReason !== null && glaucomaSuggested(eye.vertical_cdr, fellowCdr)) return 'overridden';
  return glaucomaSuspected(eye, fellowCdr) ? 'suspected' : 'not_suspected';
}

/** The eyes of a grading whose reader said "not suspect" where the rule suggests glaucoma: each needs the reader's reason. */
export function glaucomaOverrides(od: EyeGrading, os: EyeGrading): ('od' | 'os')[] {
  const overridden = (eye: EyeGrading, fellow: EyeGrading) => !eye.glaucoma_suspect && glaucomaSuggested(eye.vertical_cdr, fellow.vertical_cdr);
  return [...(overridden(od, os) ? (['od'] as const) : []), ...(overridden(os, od) ? (['os'] as const) : [])];
}

/** The case's suggested derivation: the worse eye wins. */
export function suggestDerivation(od: EyeGrading, os: EyeGrading, options: DerivationOptions = {}): Derivation {
  return mostUrgent([eyeDerivation(od, os.vertical_cdr, options), eyeDerivation(os, od.vertical_cdr, options)]);
}

/** True when `next` asks for a more urgent referral than `previous`. */
export function moreUrgent(next: Derivation, previous: Derivation): boolean {
  return LEVEL[next] > LEVEL[previous];
}

export function mostUrgent(levels: readonly Derivation[]): Derivation {
  return levels.reduce<Derivation>((worst, level) => (LEVEL[level] > LEVEL[worst] ? level : worst), 'normal');
}

/**
 * The derivation a reader signs: the suggestion, or an override that must say
 * why (a different urgency than the grades imply is a clinical decision).
 */
export function chooseDerivation(
  suggested: Derivation,
  chosen: Derivation | null,
  overrideReason: string | null,
): { derivation: Derivation; overridden: boolean } | { issue: FieldIssue } {
  if (chosen === null || chosen === suggested) return { derivation: suggested, overridden: false };
  if (overrideReason === null || overrideReason.trim() === '') {
    return {
      issue: {
        field: 'override_reason',
        rule: 'required',
        message: `the grades suggest ${suggested}; say why the case is ${chosen}`,
      },
    };
  }
  return { derivation: chosen, overridden: true };
}

export interface ReportInput {
  /** Each eye's `glaucoma_suspect` as signed: the reader's, or where they said nothing, what the cup-to-disc rule suggests. */
  readonly od: EyeGrading;
  readonly os: EyeGrading;
  readonly derivation: Derivation | null;
  readonly override_reason: string | null;
  /** Why glaucoma is not suspected in an eye whose cup-to-disc ratio suggests it (`glaucomaOverrides`); null when no eye is overridden. */
  readonly glaucoma_override_reason: string | null;
  /** Plain words for the patient. */
  readonly recommendation: string;
  /** When to screen again, in months. */
  readonly rescreen_months: number | null;
}

/** What a report tells the patient: the referral, the words for the patient and when to screen again. */
export interface ReportConclusion {
  readonly derivation: Derivation;
  readonly recommendation: string;
  readonly rescreenMonths: number | null;
}

/**
 * An amendment that changes the derivation must restate what the patient is
 * told. True when it does not: the recommendation (the same words, whatever
 * their spacing or case) and the rescreen interval are both those of the
 * version it replaces, so the new referral would sit beside advice written
 * for the old one. The reader may still confirm that they hold
 * (`confirm_unchanged`).
 */
export function conclusionNotRestated(previous: ReportConclusion, next: ReportConclusion): boolean {
  const words = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();
  return next.derivation !== previous.derivation && words(next.recommendation) === words(previous.recommendation) && next.rescreenMonths === previous.rescreenMonths;
}

const DERIVATION_VALUES: readonly Derivation[] = ['normal', 'routine', 'preferential', 'urgent'];

/** Checks a report body (JSON) and names every bad field as `od.dr`, `recommendation`, … */
export function parseReportInput(raw: unknown): { ok: true; input: ReportInput } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const body = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) issues.push({ field: 'body', rule: 'type', message: 'must be a JSON object' });
  const odRaw = parseEye(body.od, 'od', issues);
  const osRaw = parseEye(body.os, 'os', issues);
  const derivation = optionalEnum(body.derivation, 'derivation', DERIVATION_VALUES, issues);
  const overrideReason = optionalText(body.override_reason, 'override_reason', 2000, issues);
  const glaucomaReason = optionalText(body.glaucoma_override_reason, 'glaucoma_override_reason', 2000, issues);
  // Where the reader said nothing about glaucoma, the rule's suggestion is what is signed.
  const settled = (eye: ParsedEye | null, fellow: ParsedEye | null): EyeGrading | null =>
    eye && { ...eye.grading, glaucoma_suspect: eye.suspect ?? glaucomaSuggested(eye.grading.vertical_cdr, fellow?.grading.vertical_cdr ?? null) };
  const od = settled(odRaw, osRaw);
  const os = settled(osRaw, odRaw);
  const overridden = od && os ? glaucomaOverrides(od, os) : [];
  if (overridden.length > 0 && glaucomaReason === null && !issues.some((i) => i.field === 'glaucoma_override_reason')) {
    const eyes = overridden.map((e) => `the ${e === 'od' ? 'right' : 'left'} eye's (${(e === 'od' ? od : os)!.vertical_cdr})`).join(' and ');
    const ratios = overridden.length > 1 ? 'vertical cup-to-disc ratios suggest' : 'vertical cup-to-disc ratio suggests';
    issues.push({
      field: 'glaucoma_override_reason',
      rule: 'required',
      message: `${eyes} ${ratios} glaucoma (0.7 or more, or 0.2 more than the other eye's); say why it is not suspected`,
    });
  }
  const recommendation = optionalText(body.recommendation, 'recommendation', 2000, issues);
  if (recommendation === null && !issues.some((i) => i.field === 'recommendation')) {
    issues.push({ field: 'recommendation', rule: 'required', message: 'say in plain words what the patient should do' });
  }
  let rescreen: number | null = null;
  if (body.rescreen_months !== undefined && body.rescreen_months !== null) {
    if (typeof body.rescreen_months !== 'number' || !Number.isInteger(body.rescreen_months) || body.rescreen_months < 1 || body.rescreen_months > 60) {
      issues.push({ field: 'rescreen_months', rule: 'range', message: 'must be a whole number of months from 1 to 60' });
    } else rescreen = body.rescreen_months;
  }
  if (issues.length > 0 || !od || !os || recommendation === null) return { ok: false, issues };
  return {
    ok: true,
    input: { od, os, derivation, override_reason: overrideReason, glaucoma_override_reason: overridden.length > 0 ? glaucomaReason : null, recommendation, rescreen_months: rescreen },
  };
}

/** One eye as sent: its grading, and whether the reader said glaucoma is suspected (null: they did not say). */
interface ParsedEye {
  readonly grading: EyeGrading;
  readonly suspect: boolean | null;
}

function parseEye(raw: unknown, eye: string, issues: FieldIssue[]): ParsedEye | null {
  if (!isRecord(raw)) {
    issues.push({ field: eye, rule: 'required', message: 'grade each eye (quality at least)' });
    return null;
  }
  const before = issues.length;
  const quality = optionalEnum(raw.quality, `${eye}.quality`, IMAGE_QUALITY, issues);
  if (quality === null && issues.length === before) issues.push({ field: `${eye}.quality`, rule: 'required', message: 'is required' });
  const gradable = quality !== 'ungradable';
  const graded = <T extends string>(name: string, values: readonly T[]): T | null => {
    const value = optionalEnum(raw[name], `${eye}.${name}`, values, issues);
    if (value === null && gradable && quality !== null) issues.push({ field: `${eye}.${name}`, rule: 'required', message: 'is required for a gradable eye' });
    return value;
  };
  const dr = graded('dr', DR_GRADES);
  const dme = graded('dme', DME_GRADES);
  const amd = graded('amd', AMD_GRADES);
  const hypertensive = optionalEnum(raw.hypertensive, `${eye}.hypertensive`, HYPERTENSIVE_GRADES, issues);
  let cdr: number | null = null;
  if (raw.vertical_cdr !== undefined && raw.vertical_cdr !== null) {
    if (typeof raw.vertical_cdr !== 'number' || raw.vertical_cdr < 0 || raw.vertical_cdr > 1) {
      issues.push({ field: `${eye}.vertical_cdr`, rule: 'range', message: 'must be a number from 0 to 1' });
    } else cdr = raw.vertical_cdr;
  }
  if (raw.glaucoma_suspect !== undefined && typeof raw.glaucoma_suspect !== 'boolean') {
    issues.push({ field: `${eye}.glaucoma_suspect`, rule: 'type', message: 'must be true or false' });
  }
  const findings: (typeof OTHER_FINDINGS)[number][] = [];
  if (raw.other_findings !== undefined) {
    if (!Array.isArray(raw.other_findings)) issues.push({ field: `${eye}.other_findings`, rule: 'type', message: 'must be a list' });
    else
      for (const [i, f] of raw.other_findings.entries()) {
        const value = optionalEnum(f, `${eye}.other_findings[${i}]`, OTHER_FINDINGS, issues);
        if (value !== null && !findings.includes(value)) findings.push(value);
      }
  }
  const otherText = optionalText(raw.other_text, `${eye}.other_text`, 2000, issues);
  if (findings.includes('other') && otherText === null) {
    issues.push({ field: `${eye}.other_text`, rule: 'required', message: 'describe the "other" finding' });
  }
  if (issues.length > before || quality === null) return null;
  return {
    grading: {
      quality,
      dr,
      dme,
      amd,
      vertical_cdr: cdr,
      glaucoma_suspect: raw.glaucoma_suspect === true,
      hypertensive,
      other_findings: findings,
      other_text: otherText,
    },
    suspect: typeof raw.glaucoma_suspect === 'boolean' ? raw.glaucoma_suspect : null,
  };
}

function optionalEnum<T extends string>(value: unknown, field: string, values: readonly T[], issues: FieldIssue[]): T | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  issues.push({ field, rule: 'enum', message: `must be one of ${values.join(', ')}` });
  return null;
}

function optionalText(value: unknown, field: string, maxLength: number, issues: FieldIssue[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    issues.push({ field, rule: 'type', message: 'must be text' });
    return null;
  }
  const text = value.trim();
  if (text.length > maxLength) {
    issues.push({ field, rule: 'max_length', message: `must be at most ${maxLength} characters` });
    return null;
  }
  return text === '' ? null : text;
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const REJECTION_REASONS = ['image_quality', 'wrong_or_missing_images', 'missing_clinical_data', 'other'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
