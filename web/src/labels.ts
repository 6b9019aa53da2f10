import type { Derivation } from '../../src/domain/case.js';
import {
  AMD_GRADES,
  DME_GRADES,
  DR_GRADES,
  HYPERTENSIVE_GRADES,
  IMAGE_QUALITY,
  OTHER_FINDINGS,
  REJECTION_REASONS,
} from '../../src/domain/grading.js';

/** Words a reader reads for the codes of src/domain/grading.ts (the scales themselves come from there). */
export const QUALITY_LABELS: Record<(typeof IMAGE_QUALITY)[number], string> = { good: 'Good', acceptable: 'Acceptable', ungradable: 'Ungradable' };
export const DR_LABELS: Record<(typeof DR_GRADES)[number], string> = {
  none: 'No DR',
  mild: 'Mild NPDR',
  moderate: 'Moderate NPDR',
  severe: 'Severe NPDR',
  proliferative: 'Proliferative DR',
};
export const DME_LABELS: Record<(typeof DME_GRADES)[number], string> = {
  absent: 'Absent',
  non_centre_involving: 'Non-centre-involving',
  centre_involving: 'Centre-involving',
};
export const AMD_LABELS: Record<(typeof AMD_GRADES)[number], string> = {
  none: 'None',
  early: 'Early',
  intermediate: 'Intermediate',
  late_atrophic: 'Late atrophic',
  late_neovascular: 'Late neovascular',
};
export const HYPERTENSIVE_LABELS: Record<(typeof HYPERTENSIVE_GRADES)[number], string> = { none: 'None', mild: 'Mild', moderate: 'Moderate', malignant: 'Malignant' };
export const OTHER_FINDING_LABELS: Record<(typeof OTHER_FINDINGS)[number], string> = {
  retinal_detachment: 'Retinal detachment',
  papilloedema: 'Papilloedema',
  retinal_vein_occlusion: 'Retinal vein occlusion',
  retinal_artery_occlusion: 'Retinal artery occlusion',
  epiretinal_membrane: 'Epiretinal membrane',
  macular_hole: 'Macular hole',
  choroidal_naevus: 'Choroidal naevus',
  myopic_maculopathy: 'Myopic maculopathy',
  cataract_media_opacity: 'Cataract / media opacity',
  other: 'Other (describe)',
};
export const DERIVATION_LABELS: Record<Derivation, string> = { normal: 'Normal', routine: 'Routine', preferential: 'Preferential', urgent: 'Urgent' };
export const DERIVATION_MEANING: Record<Derivation, string> = {
  normal: 'No referral: screen again as planned.',
  routine: 'Routine referral to an ophthalmologist.',
  preferential: 'Preferential referral: within weeks.',
  urgent: 'Urgent referral: within days.',
};
export const REJECTION_LABELS: Record<(typeof REJECTION_REASONS)[number], string> = {
  image_quality: 'Image quality too poor',
  wrong_or_missing_images: 'Wrong or missing images',
  missing_clinical_data: 'Missing clinical data',
  other: 'Other (explain)',
};
/** What the clinic should do after a rejection with each reason. */
export const REJECTION_NEXT_STEP: Record<(typeof REJECTION_REASONS)[number], string> = {
  image_quality: 'Take new photographs of both eyes (dilate the pupil if needed, clean the lens, focus on the retina) and send them as a new case.',
  wrong_or_missing_images: 'Send a new case with one macula-centred fundus photograph of each eye.',
  missing_clinical_data: 'Send a new case with the missing clinical data (see the reader’s note) and the same photographs.',
  other: 'Read the reader’s note below and send a new case with what it asks for.',
};

export const STATUS_LABELS: Record<string, string> = { pending: 'Pending', reported: 'Reported', rejected: 'Rejected' };

export const GENDER_LABELS: Record<number, string> = { 0: 'Male', 1: 'Female' };

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "in 5 h" or "3 h overdue", for deadlines. */
export function relativeToNow(iso: string, now = Date.now()): string {
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  const span = Math.abs(minutes) < 90 ? `${Math.abs(minutes)} min` : `${Math.round(Math.abs(minutes) / 60)} h`;
  return minutes >= 0 ? `in ${span}` : `${span} overdue`;
}
