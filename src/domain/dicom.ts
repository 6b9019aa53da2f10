import type { Eye } from './eyes.js';

/**
 * What the intake takes from a DICOM file besides its pixels: the kind of
 * object it is, which eye (ImageLaterality), and the patient's sex and age,
 * which fill the form's gaps (the form wins where both say something).
 */
export const DICOM_SOP_CLASSES = {
  '1.2.840.10008.5.1.4.1.1.77.1.5.1': 'ophthalmic_photography',
  '1.2.840.10008.5.1.4.1.1.7': 'secondary_capture',
} as const satisfies Record<string, string>;
export type DicomSopClass = (typeof DICOM_SOP_CLASSES)[keyof typeof DICOM_SOP_CLASSES];
export const DICOM_SOP_CLASS_NAMES = Object.values(DICOM_SOP_CLASSES) as DicomSopClass[];

export function sopClassOf(uid: string | undefined): DicomSopClass | null {
  return uid !== undefined && Object.hasOwn(DICOM_SOP_CLASSES, uid) ? DICOM_SOP_CLASSES[uid as keyof typeof DICOM_SOP_CLASSES] : null;
}

export interface DicomPatient {
  /** The intake's code: 0 male, 1 female; null for O (other), absent or unknown. */
  readonly gender: 0 | 1 | null;
  readonly age: number | null;
}

/** ImageLaterality (0020,0062): R or L; B (both) and U (unpaired) name no single eye. */
export function eyeOfImageLaterality(value: string | undefined): Eye | null {
  const v = value?.trim().toUpperCase();
  return v === 'R' ? 'od' : v === 'L' ? 'os' : null;
}

/** PatientSex (0010,0040): M or F. */
export function genderOfPatientSex(value: string | undefined): 0 | 1 | null {
  const v = value?.trim().toUpperCase();
  return v === 'M' ? 0 : v === 'F' ? 1 : null;
}

const MAX_AGE = 120;

/**
 * PatientAge (0010,1010), an age string such as `061Y`, `018M`, `003W`,
 * `010D`; else the whole years from PatientBirthDate to the study's date
 * (both DA, YYYYMMDD). Null when neither gives an age from 0 to 120.
 */
export function ageOfDicom(ageString: string | undefined, birthDate: string | undefined, onDate: string | undefined): number | null {
  const as = /^(\d{3})([DWMY])$/.exec(ageString?.trim().toUpperCase() ?? '');
  if (as) {
    const n = Number(as[1]);
    const years = as[2] === 'Y' ? n : as[2] === 'M' ? Math.floor(n / 12) : 0; // weeks and days: under a year
    return years <= MAX_AGE ? years : null;
  }
  const born = dicomDate(birthDate);
  const on = dicomDate(onDate);
  if (!born || !on) return null;
  let years = on.y - born.y;
  if (on.m < born.m || (on.m === born.m && on.d < born.d)) years--;
  return years >= 0 && years <= MAX_AGE ? years : null;
}

function dicomDate(value: string | undefined): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value?.trim() ?? '');
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? { y, m, d } : null;
}

type FormFields = Readonly<Record<string, string | readonly string[]>>;

/**
 * The form with `gender` and `age` taken from the DICOM files where the
 * form left them out (absent or blank, as forms send unset fields): the first
 * file that says wins. A field the form sent, valid or not, is the form's.
 */
export function fillFormFromDicom(form: FormFields, patients: readonly DicomPatient[]): FormFields {
  const blank = (name: string) => {
    const value = form[name];
    return value === undefined || (typeof value === 'string' && value.trim() === '');
  };
  const gender = patients.find((p) => p.gender !== null)?.gender;
  const age = patients.find((p) => p.age !== null)?.age;
  const filled: Record<string, string | readonly string[]> = Object.assign(Object.create(null) as object, form);
  if (gender !== undefined && gender !== null && blank('gender')) filled.gender = String(gender);
  if (age !== undefined && age !== null && blank('age')) filled.age = String(age);
  return filled;
}

/**
 * An Application Entity title as DICOM allows it (PS3.5 6.2, VR AE): 1 to
 * 16 characters of the default repertoire without backslash or control
 * characters, not all spaces. Leading and trailing spaces are not
 * significant: the title is kept trimmed, and compared trimmed.
 */
export function normalizedAeTitle(value: string): string | null {
  const title = value.trim();
  return title.length >= 1 && title.length <= 16 && /^[\x20-\x5b\x5d-\x7e]+$/.test(title) ? title : null;
}

/** The intake fields a DICOM file names the patient and the visit with, as the form would send them (absent when the file says nothing). */
export interface DicomIdentity {
  readonly history_number?: string;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly visit_date?: string;
}

/**
 * What names the patient in a study received over the network, where no
 * form comes with the files: PatientID (0010,0020) is the center's history
 * number, PatientName (0010,0010, `Family^Given^Middle^Prefix^Suffix`, its
 * first, alphabetic group) the names, StudyDate (0008,0020) the visit.
 */
export function identityOfDicom(tags: { patientId?: string; patientName?: string; studyDate?: string }): DicomIdentity {
  const identity: { -readonly [K in keyof DicomIdentity]: DicomIdentity[K] } = {};
  const id = tags.patientId?.trim();
  if (id) identity.history_number = id;
  const [family, given, middle] = (tags.patientName?.split('=')[0] ?? '').split('^').map((part) => part.trim());
  if (family) identity.last_name = family;
  const first = [given, middle].filter(Boolean).join(' ');
  if (first) identity.first_name = first;
  const date = dicomDate(tags.studyDate);
  if (date) identity.visit_date = `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
  return identity;
}
