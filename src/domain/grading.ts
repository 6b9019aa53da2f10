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
/** An inter-eye CDR difference at or above this raises suspicion too. */
export const SUSPICIOUS_CDR_ASYMMETRY = 0.2;

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
 */
export function eyeDerivation(eye: EyeGrading, fellowCdr: number | null = null): Derivation {
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
  if (glaucomaSuspected(eye, fellowCdr)) levels.push('routine');
  for (const finding of eye.other_findings) levels.push(OTHER_FINDING_DERIVATION[finding]);
  return mostUrgent(levels);
}

export function glaucomaSuspected(eye: EyeGrading, fellowCdr: number | null): boolean {
  if (eye.glaucoma_suspect) return true;
  if (eye.vertical_cdr !== null && eye.vertical_cdr >= SUSPICIOUS_CDR) return true;
  return eye.vertical_cdr !== null && fellowCdr !== null && Math.abs(eye.vertical_cdr - fellowCdr) >= SUSPICIOUS_CDR_ASYMMETRY - 1e-9;
}

/** The case's suggested derivation: the worse eye wins. */
export function suggestDerivation(od: EyeGrading, os: EyeGrading): Derivation {
  return mostUrgent([eyeDerivation(od, os.vertical_cdr), eyeDerivation(os, od.vertical_cdr)]);
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
