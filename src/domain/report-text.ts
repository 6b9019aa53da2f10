import type { Derivation } from './case.js';
import type { EyeGrading } from './grading.js';

/** The words of a screening report, per language (a center chooses its own). */
export type ReportLanguage = 'en' | 'es';

export interface ReportText {
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
  readonly hypertensive: string;
  readonly other: string;
  readonly derivation: string;
  readonly derivations: Readonly<Record<Derivation, { label: string; meaning: string }>>;
  readonly recommendation: string;
  readonly rescreen: (months: number) => string;
  readonly signedBy: string;
  readonly licence: string;
  readonly signedAt: string;
  readonly version: (n: number) => string;
  readonly caveat: string;
  readonly grades: Readonly<Record<string, string>>;
}

const EN: ReportText = {
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
  signedBy: 'Reported by',
  licence: 'Licence no.',
  signedAt: 'Signed',
  version: (n) => (n === 1 ? 'Report version 1' : `Report version ${n} (amended)`),
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
  signedBy: 'Informado por',
  licence: 'N.º colegiado',
  signedAt: 'Firmado',
  version: (n) => (n === 1 ? 'Versión del informe 1' : `Versión del informe ${n} (modificado)`),
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

/** The findings of one eye as label/value lines, in the report's language. */
export function findingLines(text: ReportText, eye: EyeGrading): [string, string][] {
  const g = (value: string | null) => (value === null ? '—' : (text.grades[value] ?? value));
  const lines: [string, string][] = [
    [text.quality, g(eye.quality)],
    [text.dr, g(eye.dr)],
    [text.dme, g(eye.dme)],
    [text.amd, g(eye.amd)],
    [text.cdr, eye.vertical_cdr === null ? '—' : eye.vertical_cdr.toFixed(2)],
    [text.glaucomaSuspect, g(eye.glaucoma_suspect ? 'yes' : 'no')],
    [text.hypertensive, g(eye.hypertensive)],
  ];
  const others = eye.other_findings.map((f) => g(f));
  if (eye.other_text) others.push(eye.other_text);
  if (others.length > 0) lines.push([text.other, others.join('; ')]);
  return lines;
}
