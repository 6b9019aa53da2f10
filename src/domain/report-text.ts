import type { Derivation } from './case.js';
import type { ReportLanguage } from './center.js';
import { type EyeGrading, glaucomaStatement } from './grading.js';

export type { ReportLanguage };

/**
 * The words of a screening report, per language (a center chooses its own),
 * and the locale its dates and numbers are written in.
 */
export interface ReportText {
  /** BCP 47 locale of dates and numbers: `14 de marzo de 2026`, `+1,25 D`. */
  readonly locale: string;
  readonly title: string;
  readonly patient: string;
  readonly historyNumber: string;
  /** Shown instead of the patient's name and history number in the readers' copy. */
  readonly anonymised: string;
  readonly age: string;
  readonly gender: string;
  readonly genders: readonly [string, string];
  readonly diabetes: string;
  readonly yesNo: readonly [string, string];
  readonly visitDate: string;
  readonly rightEye: string;
  readonly leftEye: string;
  readonly clinicalData: string;
  readonly va: string;
  readonly iop: string;
  readonly refraction: string;
  /** Short names of the refraction's parts, as an optometrist writes them. */
  readonly sphere: string;
  readonly cylinder: string;
  readonly add: string;
  readonly prism: string;
  /** Prism base as the intake codes it: 0 down, 1 up. */
  readonly prismBase: readonly [string, string];
  /** Prism dioptres (the Δ sign is not in the PDF's standard fonts). */
  readonly prismUnit: string;
  readonly images: string;
  /** The caption under a thumbnail: which eye it shows. */
  readonly eyeCaption: Readonly<Record<'od' | 'os', string>>;
  readonly eyeUnknown: string;
  readonly findings: string;
  readonly quality: string;
  readonly dr: string;
  readonly dme: string;
  readonly amd: string;
  readonly cdr: string;
  readonly glaucomaSuspect: string;
  /** Beside "no" where the cup-to-disc ratio suggests glaucoma: the reader's reason. */
  readonly glaucomaNotSuspected: (reason: string) => string;
  readonly hypertensive: string;
  readonly other: string;
  readonly derivation: string;
  readonly derivations: Readonly<Record<Derivation, { label: string; meaning: string }>>;
  readonly recommendation: string;
  readonly rescreen: (months: number) => string;
  /** The date of the next screening, already written in the locale. */
  readonly nextScreening: (date: string) => string;
  readonly signedBy: string;
  readonly licence: string;
  readonly signedAt: string;
  readonly version: (n: number) => string;
  readonly amendReason: string;
  readonly caveat: string;
  readonly grades: Readonly<Record<string, string>>;
}

const EN: ReportText = {
  locale: 'en-GB',
  title: 'Retinal screening report',
  patient: 'Patient',
  historyNumber: 'History no.',
  anonymised: 'anonymised (reader copy)',
  age: 'Age',
  gender: 'Sex',
  genders: ['male', 'female'],
  diabetes: 'Diabetes',
  yesNo: ['no', 'yes'],
  visitDate: 'Visit',
  rightEye: 'Right eye (OD)',
  leftEye: 'Left eye (OS)',
  clinicalData: 'Clinical data',
  va: 'Visual acuity',
  iop: 'IOP (mmHg)',
  refraction: 'Refraction',
  sphere: 'sph',
  cylinder: 'cyl',
  add: 'add',
  prism: 'prism',
  prismBase: ['base down', 'base up'],
  prismUnit: 'pd',
  images: 'Images',
  eyeCaption: { od: 'OD (right eye)', os: 'OS (left eye)' },
  eyeUnknown: 'Eye not stated',
  findings: 'Findings',
  quality: 'Image quality',
  dr: 'Diabetic retinopathy',
  dme: 'Diabetic macular oedema',
  amd: 'AMD',
  cdr: 'Vertical cup-to-disc ratio',
  glaucomaSuspect: 'Glaucoma suspect',
  glaucomaNotSuspected: (reason) => `not suspected despite the cup-to-disc ratio; the reader's reason: ${reason}`,
  hypertensive: 'Hypertensive retinopathy',
  other: 'Other findings',
  derivation: 'Referral',
  derivations: {
    normal: { label: 'NORMAL', meaning: 'No referral needed. Keep your regular check-ups.' },
    routine: { label: 'ROUTINE', meaning: 'See an ophthalmologist at a routine appointment (within a few months).' },
    preferential: { label: 'PREFERENTIAL', meaning: 'See an ophthalmologist soon (within weeks).' },
    urgent: { label: 'URGENT', meaning: 'See an ophthalmologist urgently (within days).' },
  },
  recommendation: 'Recommendation',
  rescreen: (m) => `Screen again in ${m} month${m === 1 ? '' : 's'}.`,
  nextScreening: (date) => `Next screening: ${date}.`,
  signedBy: 'Reported by',
  licence: 'Licence no.',
  signedAt: 'Signed',
  version: (n) => (n === 1 ? 'Report version 1' : `Report version ${n} (amended)`),
  amendReason: 'Reason for the amendment',
  caveat: 'Screening from fundus photographs is not a complete eye examination and does not replace one.',
  grades: {
    good: 'good', acceptable: 'acceptable', ungradable: 'ungradable', none: 'none', mild: 'mild', moderate: 'moderate',
    severe: 'severe non-proliferative', proliferative: 'proliferative', absent: 'absent', non_centre_involving: 'non-centre-involving',
    centre_involving: 'centre-involving', early: 'early', intermediate: 'intermediate', late_atrophic: 'late (atrophic)',
    late_neovascular: 'late (neovascular)', malignant: 'malignant', yes: 'yes', no: 'no',
    retinal_detachment: 'retinal detachment', papilloedema: 'papilloedema', retinal_vein_occlusion: 'retinal vein occlusion',
    retinal_artery_occlusion: 'retinal artery occlusion', epiretinal_membrane: 'epiretinal membrane', macular_hole: 'macular hole',
    choroidal_naevus: 'choroidal naevus', myopic_maculopathy: 'myopic maculopathy', cataract_media_opacity: 'cataract / media opacity', other: 'other',
  },
};

const ES: ReportText = {
  locale: 'es-ES',
  title: 'Informe de cribado de retina',
  patient: 'Paciente',
  historyNumber: 'N.º historia',
  anonymised: 'anonimizado (copia del lector)',
  age: 'Edad',
  gender: 'Sexo',
  genders: ['hombre', 'mujer'],
  diabetes: 'Diabetes',
  yesNo: ['no', 'sí'],
  visitDate: 'Visita',
  rightEye: 'Ojo derecho (OD)',
  leftEye: 'Ojo izquierdo (OI)',
  clinicalData: 'Datos clínicos',
  va: 'Agudeza visual',
  iop: 'PIO (mmHg)',
  refraction: 'Refracción',
  sphere: 'esf',
  cylinder: 'cil',
  add: 'ad',
  prism: 'prisma',
  prismBase: ['base inferior', 'base superior'],
  prismUnit: 'dp',
  images: 'Imágenes',
  eyeCaption: { od: 'OD (ojo derecho)', os: 'OI (ojo izquierdo)' },
  eyeUnknown: 'Ojo no indicado',
  findings: 'Hallazgos',
  quality: 'Calidad de imagen',
  dr: 'Retinopatía diabética',
  dme: 'Edema macular diabético',
  amd: 'DMAE',
  cdr: 'Excavación papilar vertical',
  glaucomaSuspect: 'Sospecha de glaucoma',
  glaucomaNotSuspected: (reason) => `no se sospecha pese a la excavación papilar; motivo del lector: ${reason}`,
  hypertensive: 'Retinopatía hipertensiva',
  other: 'Otros hallazgos',
  derivation: 'Derivación',
  derivations: {
    normal: { label: 'NORMAL', meaning: 'No necesita derivación. Mantenga sus revisiones habituales.' },
    routine: { label: 'ORDINARIA', meaning: 'Acuda al oftalmólogo en una cita ordinaria (en unos meses).' },
    preferential: { label: 'PREFERENTE', meaning: 'Acuda pronto al oftalmólogo (en semanas).' },
    urgent: { label: 'URGENTE', meaning: 'Acuda al oftalmólogo con urgencia (en días).' },
  },
  recommendation: 'Recomendación',
  rescreen: (m) => `Repetir el cribado en ${m} ${m === 1 ? 'mes' : 'meses'}.`,
  nextScreening: (date) => `Próximo cribado: ${date}.`,
  signedBy: 'Informado por',
  licence: 'N.º colegiado',
  signedAt: 'Firmado',
  version: (n) => (n === 1 ? 'Versión del informe 1' : `Versión del informe ${n} (modificado)`),
  amendReason: 'Motivo de la modificación',
  caveat: 'El cribado con retinografías no es una exploración oftalmológica completa ni la sustituye.',
  grades: {
    good: 'buena', acceptable: 'aceptable', ungradable: 'no valorable', none: 'no', mild: 'leve', moderate: 'moderada',
    severe: 'no proliferativa severa', proliferative: 'proliferativa', absent: 'ausente', non_centre_involving: 'sin afectación central',
    centre_involving: 'con afectación central', early: 'precoz', intermediate: 'intermedia', late_atrophic: 'tardía (atrófica)',
    late_neovascular: 'tardía (neovascular)', malignant: 'maligna', yes: 'sí', no: 'no',
    retinal_detachment: 'desprendimiento de retina', papilloedema: 'papiledema', retinal_vein_occlusion: 'oclusión venosa retiniana',
    retinal_artery_occlusion: 'oclusión arterial retiniana', epiretinal_membrane: 'membrana epirretiniana', macular_hole: 'agujero macular',
    choroidal_naevus: 'nevus coroideo', myopic_maculopathy: 'maculopatía miópica', cataract_media_opacity: 'catarata / opacidad de medios', other: 'otro',
  },
};

export function reportText(language: string): ReportText {
  return language === 'es' ? ES : EN;
}

/**
 * The standard recommendation for each derivation, in each report language:
 * what the reader's form offers, in the language the center's patients read.
 */
export const STANDARD_RECOMMENDATIONS: Readonly<Record<ReportLanguage, Readonly<Record<Derivation, string>>>> = {
  en: {
    normal: 'No signs that need an ophthalmologist were found. Come back for screening as planned.',
    routine: 'Please make an appointment with an ophthalmologist in the coming months.',
    preferential: 'Please see an ophthalmologist within the next few weeks.',
    urgent: 'Please see an ophthalmologist within the next few days.',
  },
  es: {
    normal: 'No se han encontrado signos que requieran valoración por el oftalmólogo. Vuelva al cribado según lo previsto.',
    routine: 'Pida cita con un oftalmólogo en los próximos meses.',
    preferential: 'Acuda a un oftalmólogo en las próximas semanas.',
    urgent: 'Acuda a un oftalmólogo en los próximos días.',
  },
};

/** Intl writes some separators as no-break spaces, which the PDF's standard fonts lack: plain spaces instead. */
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/** A number in the report's locale (`0,75` in Spanish), with at most `digits` decimals. */
export function formatNumber(text: ReportText, value: number, digits = 2): string {
  return plainSpaces(new Intl.NumberFormat(text.locale, { maximumFractionDigits: digits, useGrouping: false }).format(value));
}

/** A no-break space: a value stays on one line with its unit (text extraction reads it as a space). */
const NBSP = '\u00a0';

/** Dioptres as an optometrist writes them: two decimals, the sign always shown (`+1,25 D`, `-0.50 D`, `0.00 D`). */
export function formatDiopters(text: ReportText, value: number): string {
  const format = new Intl.NumberFormat(text.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero', useGrouping: false });
  return `${plainSpaces(format.format(value))}${NBSP}D`;
}

/** A calendar date (`2026-03-14`) in words of the report's language: `14 March 2026`, `14 de marzo de 2026`. */
export function formatDate(text: ReportText, isoDate: string): string {
  return plainSpaces(new Intl.DateTimeFormat(text.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)));
}

/** A moment as the center's clock showed it, with its zone: `14 de marzo de 2026, 10:05 CET`. */
export function formatDateTime(text: ReportText, iso: string, timeZone: string): string {
  const moment = new Date(iso);
  const date = new Intl.DateTimeFormat(text.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(moment);
  const time = new Intl.DateTimeFormat(text.locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'short' }).format(moment);
  return plainSpaces(`${date}, ${time}`);
}

/**
 * The date `months` calendar months after `isoDate` (`YYYY-MM-DD`); a day the
 * month lacks becomes its last (31 January + 1 month: 28 or 29 February).
 */
export function addMonths(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The refraction of one eye as the intake has it. */
export interface Refraction {
  readonly sphere: number | null;
  readonly cylinder: number | null;
  readonly axis: number | null;
  readonly add: number | null;
  readonly prism: number | null;
  readonly prismBase: number | null;
}

/**
 * The refraction in the report's words, its signs kept (`esf +1,25 D, cil
 * -0,50 D × 90°, ad +2,00 D`); only the parts given; null when none is.
 */
export function refractionText(text: ReportText, r: Refraction): string | null {
  const part = (...words: string[]) => words.join(NBSP);
  const parts: string[] = [];
  const axis = r.axis === null ? [] : ['×', `${formatNumber(text, r.axis, 0)}°`];
  if (r.sphere !== null) parts.push(part(text.sphere, formatDiopters(text, r.sphere)));
  if (r.cylinder !== null) parts.push(part(text.cylinder, formatDiopters(text, r.cylinder), ...axis));
  else if (r.axis !== null) parts.push(part(...axis));
  if (r.add !== null) parts.push(part(text.add, formatDiopters(text, r.add)));
  if (r.prism !== null) parts.push(part(text.prism, formatNumber(text, r.prism), text.prismUnit, ...(r.prismBase === 0 || r.prismBase === 1 ? [text.prismBase[r.prismBase]] : [])));
  return parts.length === 0 ? null : parts.join(', ');
}

/**
 * The findings of one eye as label/value lines, in the report's language;
 * what was not graded (an ungradable eye's scales) is left out. Glaucoma
 * follows the rule of domain/grading.ts: where the cup-to-disc ratios
 * suggest it, the line says "yes" — or "no" with the reader's reason, never
 * a bare "no" beside a vertical CDR of 0.75.
 */
export function findingLines(text: ReportText, eye: EyeGrading, fellowCdr: number | null, glaucomaOverrideReason: string | null): [string, string][] {
  const g = (value: string) => text.grades[value] ?? value;
  const lines: [string, string][] = [[text.quality, g(eye.quality)]];
  const graded = (label: string, value: string | null) => {
    if (value !== null) lines.push([label, g(value)]);
  };
  graded(text.dr, eye.dr);
  graded(text.dme, eye.dme);
  graded(text.amd, eye.amd);
  if (eye.vertical_cdr !== null) lines.push([text.cdr, formatNumber(text, eye.vertical_cdr)]);
  const glaucoma = glaucomaStatement(eye, fellowCdr, glaucomaOverrideReason);
  if (glaucoma === 'overridden') lines.push([text.glaucomaSuspect, `${g('no')} (${text.glaucomaNotSuspected(glaucomaOverrideReason!)})`]);
  else if (glaucoma === 'suspected') lines.push([text.glaucomaSuspect, g('yes')]);
  else if (eye.quality !== 'ungradable') lines.push([text.glaucomaSuspect, g('no')]);
  graded(text.hypertensive, eye.hypertensive);
  const others = eye.other_findings.map((f) => g(f));
  if (eye.other_text) others.push(eye.other_text);
  if (others.length > 0) lines.push([text.other, others.join('; ')]);
  return lines;
}
