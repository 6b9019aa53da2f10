import type { Eye, EyeSource } from './eyes.js';

/**
 * The automatic checks of a photograph, made once in the background by the
 * image worker (it decodes the image for the previews anyway), so a clinic
 * learns while the patient is still in the chair whether to take it again.
 * `src/media/fundus-analysis.ts` measures; the rules here decide, with
 * thresholds that are settings (`CheckThresholds`, src/config.ts).
 */

/** `checking` until the worker has decoded it; `unreadable` when it could not (the clinic is told: case.image_unreadable). */
export const IMAGE_STATUSES = ['checking', 'ok', 'unreadable'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const FUNDUS_VERDICTS = ['fundus', 'not_fundus'] as const;
export type FundusVerdict = (typeof FUNDUS_VERDICTS)[number];

/** EyeQ's grades (Fu et al., MICCAI 2019): good, usable (gradable with some loss), reject (ungradable). */
export const QUALITY_VERDICTS = ['good', 'usable', 'reject'] as const;
export type QualityVerdict = (typeof QUALITY_VERDICTS)[number];

export const QUALITY_MEASURES = ['coverage', 'underexposed', 'overexposed', 'sharpness', 'resolution'] as const;
export type QualityMeasure = (typeof QUALITY_MEASURES)[number];

/**
 * The detected eye against the image's current one: `detected` (nobody had
 * said, the check filled it), `agrees`, `disagrees` (flagged to the reader),
 * `uncertain` (no optic disc clearly on one side: not filled, not compared).
 */
export const LATERALITY_VERDICTS = ['detected', 'agrees', 'disagrees', 'uncertain'] as const;
export type LateralityVerdict = (typeof LATERALITY_VERDICTS)[number];

/**
 * What src/media/fundus-analysis.ts measures in one decoded photograph: the
 * numbers the rules below read, no verdict.
 */
export interface ImageMeasures {
  /** The original's size in pixels (upright). */
  readonly width: number;
  readonly height: number;
  /**
   * The circular field of view: a circle fitted (RANSAC, then least squares)
   * to the edge between the lit field and its dark surround. Null when no
   * such edge exists (a photograph lit to its borders, a document, a scan).
   */
  readonly field: FieldMeasures | null;
  /** Mean colour of the lit field (the whole frame when no field was found), 0–255 per channel. */
  readonly colour: { readonly red: number; readonly green: number; readonly blue: number; readonly hue: number; readonly saturation: number };
  /** Fraction of the field (the frame when none) too dark to show detail: luminance below 10 % (of 255). */
  readonly underexposed: number;
  /** Fraction of the field burnt out: luminance at 95 % (of 255) or more. */
  readonly overexposed: number;
  /**
   * High-frequency energy inside the field: the mean absolute difference of
   * the green channel from its own blur (about σ = 2 px with the field 512 px
   * across), over its mean, in per cent; multiplied by the square of `focus`
   * when that is below 1. Vessels and nerve fibres make it; blur, haze and
   * motion take it away.
   */
  readonly sharpness: number;
  /**
   * The finest scale's energy over the next scale's (about σ = 2 px against
   * σ = 6 px): defocus takes the finest first, so a blurred photograph falls
   * below 1 while a merely hazy one (low contrast at every scale) does not.
   */
  readonly focus: number;
  /** The field's diameter in the original's pixels (its shorter side when no field was found): how much detail there is to grade. */
  readonly fieldDiameterPx: number;
  /** The brightest compact blob of disc size inside the field (the optic disc in a fundus photograph). */
  readonly disc: DiscMeasures | null;
}

export interface FieldMeasures {
  /** Centre and radius relative to the frame: x and r as fractions of the width, y of the height. */
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
  /** Share of the circle's perimeter inside the frame that the lit area's edge follows (within 2 % of r): near 1 for a camera's round field. */
  readonly circleFit: number;
  /** Fraction of the frame outside the circle that is dark; null when less than 2 % of the frame lies outside (the field fills it). */
  readonly darkSurround: number | null;
  /** Fraction of the circle inside the frame: how much of the camera's field the picture holds. */
  readonly coverage: number;
  /** Fraction of the circle's part inside the frame that is lit: near 1 for a field of view, low for a ring or an arc. */
  readonly litShare: number;
}

export interface DiscMeasures {
  /** Where it is, from the field's centre, in radii (x to the image's right, y down). */
  readonly x: number;
  readonly y: number;
  /** How much brighter it is than its ring, in standard deviations of the field's brightness. */
  readonly prominence: number;
  /** The same for the brightest blob on the other half of the field: a disc clearly on one side leaves the other far below. */
  readonly otherSide: number;
}

/** A threshold pair: at or beyond `good` is good, at or beyond `usable` usable, else reject. */
export interface GradeThresholds {
  readonly good: number;
  readonly usable: number;
}

export interface CheckThresholds {
  /** Share of the fitted circle's perimeter (inside the picture) that the lit area's edge follows, at least. */
  readonly fundusMinCircleFit: number;
  /** Share of the frame outside the circle that is dark, at least (when any of the frame lies outside). */
  readonly fundusMinDarkSurround: number;
  /** Share of the circle (inside the frame) that is lit, at least: a field, not a ring or an arc. */
  readonly fundusMinLitShare: number;
  /** Share of the camera's round field inside the picture (higher is better). */
  readonly coverage: GradeThresholds;
  /** Share of the field too dark to show detail (lower is better). */
  readonly underexposed: GradeThresholds;
  /** Share of the field burnt white (lower is better). */
  readonly overexposed: GradeThresholds;
  /** High-frequency energy inside the field, per cent of its brightness, discounted for defocus (higher is better). */
  readonly sharpness: GradeThresholds;
  /** The field's diameter in pixels (higher is better). */
  readonly resolutionPx: GradeThresholds;
  /** The disc must stand out this much (standard deviations of the field's brightness) … */
  readonly discMinProminence: number;
  /** … and this much more than the brightest blob on the other half. */
  readonly discMinMargin: number;
}

export const DEFAULT_CHECK_THRESHOLDS: CheckThresholds = {
  fundusMinCircleFit: 0.5,
  fundusMinDarkSurround: 0.85,
  fundusMinLitShare: 0.8,
  coverage: { good: 0.75, usable: 0.6 },
  underexposed: { good: 0.1, usable: 0.25 },
  overexposed: { good: 0.02, usable: 0.1 },
  sharpness: { good: 1.5, usable: 0.5 },
  resolutionPx: { good: 1400, usable: 700 },
  discMinProminence: 1,
  discMinMargin: 0.5,
};

export interface Check<V, R extends string> {
  readonly value: V;
  readonly verdict: R;
  readonly reason: string;
}

export interface QualityCheck extends Check<number, QualityVerdict> {
  /** Each measure with its own verdict; the quality's verdict is the worst of them. */
  readonly measures: Readonly<Record<QualityMeasure, Check<number, QualityVerdict>>>;
}

/** The laterality as the worker found it: the eye whose disc side it saw, and how sure (0–1); null when not sure enough. */
export interface DetectedLaterality {
  readonly eye: Eye | null;
  readonly confidence: number;
  readonly reason: string;
}

/** What the worker stores: the judged checks and the measures they came from. */
export interface StoredImageChecks {
  readonly fundus: Check<number, FundusVerdict>;
  readonly quality: QualityCheck;
  readonly laterality: DetectedLaterality;
  readonly measures: ImageMeasures;
}

/** The checks as a case object shows them: the laterality compared with the image's eye as it stands now. */
export interface ImageChecks {
  readonly fundus: Check<number, FundusVerdict>;
  readonly quality: QualityCheck;
  readonly laterality: Check<Eye | null, LateralityVerdict> & { readonly confidence: number };
}

const percent = (v: number) => `${Math.round(v * 100)} %`;

/**
 * A fundus photograph: a round field of view (the camera's aperture) on a
 * dark surround, lit in the reds, oranges and yellows of a retina. A field
 * too dark to have a colour is judged by its shape alone.
 */
export function judgeFundus(m: ImageMeasures, t: CheckThresholds): Check<number, FundusVerdict> {
  const problems: string[] = [];
  const found: string[] = [];
  const fit = m.field?.circleFit ?? 0;
  if (m.field === null) problems.push('no round field of view on a dark surround');
  else if (fit < t.fundusMinCircleFit) problems.push(`the lit area's edge is not round (${percent(fit)} of a circle)`);
  else if ((m.field?.litShare ?? 0) < t.fundusMinLitShare) problems.push(`the circle is mostly unlit (${percent(m.field?.litShare ?? 0)} lit): a ring or an arc, not a field of view`);
  else found.push(`a round field of view (${percent(fit)} of its edge)`);
  const surround = m.field?.darkSurround ?? null;
  if (m.field !== null && surround !== null) {
    if (surround < t.fundusMinDarkSurround) problems.push(`its surround is not dark (${percent(surround)} dark)`);
    else found.push(`on a dark surround (${percent(surround)})`);
  }
  const { red, green, blue, hue, saturation } = m.colour;
  const dark = Math.max(red, green, blue) < 40;
  const burnt = m.overexposed >= 0.25;
  const warm = (hue <= 65 || hue >= 340) && red >= blue && saturation >= 0.12;
  const grey = saturation < 0.05;
  if (dark) found.push('too dark to judge its colour');
  else if (burnt) found.push('too bright to judge its colour');
  else if (grey) found.push('grey (a red-free photograph?)');
  else if (!warm) problems.push(`its colours are not a retina's (hue ${Math.round(hue)}°, saturation ${saturation.toFixed(2)})`);
  else found.push(`reddish-orange (hue ${Math.round(hue)}°)`);
  const colourFits = dark || burnt || grey || warm;
  // A score: the circle's fit, scaled down by each other criterion that fails.
  const value = Math.round(fit * Math.min(1, (m.field?.litShare ?? 0) / t.fundusMinLitShare) * (surround === null ? 1 : Math.min(1, surround / t.fundusMinDarkSurround)) * (colourFits ? 1 : 0.3) * 100) / 100;
  return problems.length === 0
    ? { value, verdict: 'fundus', reason: found.join(', ') }
    : { value, verdict: 'not_fundus', reason: problems.join('; ') };
}

function grade(value: number, t: GradeThresholds, higherIsBetter: boolean): QualityVerdict {
  const atLeast = (limit: number) => (higherIsBetter ? value >= limit : value <= limit);
  return atLeast(t.good) ? 'good' : atLeast(t.usable) ? 'usable' : 'reject';
}

/** 1 at the good threshold, 0.5 at the usable one, 0 at the worst value, linear between. */
function score(value: number, t: GradeThresholds, higherIsBetter: boolean, worst: number): number {
  const s = (v: number) => (higherIsBetter ? v : -v);
  const [v, good, usable, bottom] = [s(value), s(t.good), s(t.usable), s(worst)];
  if (v >= good) return 1;
  if (v >= usable) return 0.5 + (0.5 * (v - usable)) / Math.max(1e-9, good - usable);
  return Math.max(0, (0.5 * (v - bottom)) / Math.max(1e-9, usable - bottom));
}

const WORSE: Readonly<Record<QualityVerdict, number>> = { good: 0, usable: 1, reject: 2 };

/**
 * Gradability: each measure graded on its own thresholds; the photograph is
 * as good as its worst measure. `value` is a score: 1 when every measure is
 * good, 0.5 at the edge of usable, lower towards reject.
 */
export function judgeQuality(m: ImageMeasures, t: CheckThresholds): QualityCheck {
  const coverage = m.field?.coverage ?? 0;
  const specs: Record<QualityMeasure, { value: number; t: GradeThresholds; higher: boolean; worst: number; says: (v: QualityVerdict) => string }> = {
    coverage: {
      value: coverage,
      t: t.coverage,
      higher: true,
      worst: 0,
      says: (v) => (m.field === null ? 'no round field of view found' : `${percent(coverage)} of the round field is in the picture${v === 'good' ? '' : ' (cut off or off-centre)'}`),
    },
    underexposed: { value: m.underexposed, t: t.underexposed, higher: false, worst: 1, says: () => `${percent(m.underexposed)} of the field too dark to show detail` },
    overexposed: { value: m.overexposed, t: t.overexposed, higher: false, worst: 1, says: () => `${percent(m.overexposed)} of the field burnt out` },
    sharpness: { value: m.sharpness, t: t.sharpness, higher: true, worst: 0, says: (v) => `fine detail ${m.sharpness.toFixed(2)} (${v === 'good' ? 'sharp' : v === 'usable' ? 'somewhat soft' : 'blurred or hazy'})` },
    resolution: { value: m.fieldDiameterPx, t: t.resolutionPx, higher: true, worst: 0, says: () => `the field is ${m.fieldDiameterPx} px across` },
  };
  const measures = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => {
      const verdict = grade(spec.value, spec.t, spec.higher);
      return [name, { value: spec.value, verdict, reason: spec.says(verdict) }];
    }),
  ) as Record<QualityMeasure, Check<number, QualityVerdict>>;
  const verdict = QUALITY_MEASURES.map((name) => measures[name].verdict).reduce((a, b) => (WORSE[b] > WORSE[a] ? b : a), 'good' as QualityVerdict);
  const value = Math.round(Math.min(...QUALITY_MEASURES.map((name) => score(specs[name].value, specs[name].t, specs[name].higher, specs[name].worst))) * 100) / 100;
  const limiting = QUALITY_MEASURES.filter((name) => measures[name].verdict === verdict);
  const reason = verdict === 'good' ? 'every measure is good' : limiting.map((name) => measures[name].reason).join('; ');
  return { value, verdict, reason, measures };
}

/**
 * In a macula-centred photograph the optic disc, bright and compact, lies
 * on the nasal side: the image's right in a right eye (OD), its left in a
 * left eye (OS). An eye is named only when the photograph is a fundus and the
 * disc (looked for near the horizontal through the centre) stands out, away
 * from the centre, well above anything on the other half.
 */
export function detectLaterality(m: ImageMeasures, fundus: FundusVerdict, quality: QualityCheck, t: CheckThresholds): DetectedLaterality {
  const disc = m.disc;
  if (fundus !== 'fundus') return { eye: null, confidence: 0, reason: 'not a fundus photograph' };
  if (quality.measures.overexposed.verdict === 'reject') return { eye: null, confidence: 0, reason: 'too bright to find the optic disc' };
  if (disc === null) return { eye: null, confidence: 0, reason: 'no optic disc found' };
  const side = disc.x > 0 ? 'right' : 'left';
  const margin = disc.prominence - disc.otherSide;
  const doubts: string[] = [];
  if (disc.prominence < t.discMinProminence) doubts.push(`the brightest spot hardly stands out (${disc.prominence.toFixed(2)})`);
  else if (margin < t.discMinMargin) doubts.push('a spot almost as bright lies on the other side');
  if (Math.abs(disc.x) < 0.2) doubts.push('the disc is near the centre (a disc-centred photograph?)');
  const eye: Eye = disc.x > 0 ? 'od' : 'os';
  const confidence = Math.round(Math.max(0, Math.min(1, Math.min(disc.prominence / (2 * t.discMinProminence), margin / (2 * t.discMinMargin), Math.abs(disc.x) / 0.4))) * 100) / 100;
  if (doubts.length > 0) return { eye: null, confidence, reason: doubts.join('; ') };
  return { eye, confidence, reason: `the optic disc is on the image's ${side} side (${Math.abs(disc.x).toFixed(2)} radii from the centre): a ${eye === 'od' ? 'right' : 'left'} eye` };
}

/** Every check of one measured photograph. */
export function judgeImage(m: ImageMeasures, t: CheckThresholds): StoredImageChecks {
  const fundus = judgeFundus(m, t);
  const quality = judgeQuality(m, t);
  return { fundus, quality, laterality: detectLaterality(m, fundus.verdict, quality, t), measures: m };
}

/** The checks as shown now: the detected eye compared with the image's current eye. */
export function presentableChecks(stored: StoredImageChecks, eye: Eye | null, source: EyeSource | null): ImageChecks {
  const detected = stored.laterality;
  let verdict: LateralityVerdict;
  let reason = detected.reason;
  if (detected.eye === null) verdict = 'uncertain';
  else if (source === 'detected') verdict = 'detected';
  else if (eye === null) verdict = 'uncertain';
  else if (eye === detected.eye) verdict = 'agrees';
  else {
    verdict = 'disagrees';
    reason = `${detected.reason}, but ${SAID_BY[source ?? 'client']} says ${eye === 'od' ? 'right (OD)' : 'left (OS)'}`;
  }
  if (detected.eye !== null && eye === null) reason = `${reason}; not filled in`;
  return { fundus: stored.fundus, quality: stored.quality, laterality: { value: detected.eye, verdict, confidence: detected.confidence, reason } };
}

const SAID_BY: Readonly<Record<EyeSource, string>> = {
  client: 'the clinic',
  file_name: 'the file name',
  reader: 'a reader',
  dicom: 'the DICOM header',
  detected: 'the check',
};
