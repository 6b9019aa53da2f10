import { type CallbackAllowList, EMPTY_ALLOW_LIST, checkCallbackUrl } from './callback-target.js';
import type { FieldIssue } from './errors.js';

/**
 * The intake fields of `POST /cases`, named as on the wire (the OPTretina
 * contract), with the clinical rule each one obeys. This table is the single
 * source for validation and for the OpenAPI description of the request.
 */
export type FieldSpec =
  | { readonly kind: 'text'; readonly maxLength: number; readonly description: string }
  | {
      readonly kind: 'number';
      readonly min: number;
      readonly max: number;
      readonly integer?: boolean;
      /** Visual acuity may also come as a Snellen fraction (20/40, 6/12). */
      readonly snellen?: boolean;
      readonly description: string;
    }
  | { readonly kind: 'code'; readonly values: Readonly<Record<number, string>>; readonly description: string }
  | { readonly kind: 'date'; readonly description: string }
  | { readonly kind: 'url'; readonly maxLength: number; readonly description: string };

const iop = (eye: string) =>
  ({
  kind: 'number',
  min: 0,
  max: 80,
  description: `Intraocular pressure of the ${eye} eye in mmHg (0–80; normal is about 10–21, acute angle closure reaches 60–70).`,
  }) as const satisfies FieldSpec;
const va = (eye: string) =>
  ({
  kind: 'number',
  min: 0,
  max: 2,
  snellen: true,
  description: `Visual acuity of the ${eye} eye as a decimal (0–2.0, 1.0 = 20/20). A Snellen fraction such as 20/40 or 6/12 is converted.`,
  }) as const satisfies FieldSpec;
const refraction = (eye: string) =>
  ({
    axis: { kind: 'number', min: 0, max: 180, description: `Cylinder axis of the ${eye} eye in degrees (0–180).` },
    cylinder: { kind: 'number', min: -15, max: 15, description: `Cylinder of the ${eye} eye in dioptres (−15 to +15).` },
    sphere: { kind: 'number', min: -30, max: 30, description: `Sphere of the ${eye} eye in dioptres (−30 to +30).` },
    add: { kind: 'number', min: 0, max: 5, description: `Near addition of the ${eye} eye in dioptres (0 to +5).` },
    prism: { kind: 'number', min: 0, max: 30, description: `Prism of the ${eye} eye in prism dioptres (0–30).` },
    prism_base: { kind: 'code', values: { 0: 'down', 1: 'up' }, description: `Prism base of the ${eye} eye: 0 down, 1 up.` },
  }) as const satisfies Record<string, FieldSpec>;

const od = refraction('right');
const os = refraction('left');

export const INTAKE_FIELDS = {
  history_number: { kind: 'text', maxLength: 64, description: "The center's own patient identifier (clinical history number)." },
  first_name: { kind: 'text', maxLength: 100, description: 'Patient first name. Never shown to readers.' },
  last_name: { kind: 'text', maxLength: 150, description: 'Patient last name. Never shown to readers.' },
  gender: { kind: 'code', values: { 0: 'male', 1: 'female' }, description: '0 male, 1 female.' },
  age: { kind: 'number', min: 0, max: 120, integer: true, description: 'Age in whole years (0–120).' },
  diabetes: { kind: 'code', values: { 0: 'no', 1: 'yes' }, description: '0 no, 1 yes.' },
  visit_date: {
    kind: 'date',
    description:
      'Date of the visit, YYYY-MM-DD (a full ISO 8601 or "YYYY-MM-DD HH:MM:SS" timestamp is cut to its date). Not before 1900, not after tomorrow. Defaults to the day the case is received.',
  },
  visit_reason: { kind: 'text', maxLength: 1000, description: 'Why the patient came.' },
  ophthalmic_antecedents: { kind: 'text', maxLength: 5000, description: 'Ophthalmic history.' },
  other_relevant_info: { kind: 'text', maxLength: 5000, description: 'Other relevant clinical information.' },
  retinologist_notes: { kind: 'text', maxLength: 5000, description: 'Notes for the reading retina specialist.' },
  description: { kind: 'text', maxLength: 5000, description: 'Free text for anything without its own field (OPTretina SDK).' },
  od_iop: iop('right'),
  od_va: va('right'),
  od_axis: od.axis,
  od_cylinder: od.cylinder,
  od_sphere: od.sphere,
  od_add: od.add,
  od_prism: od.prism,
  od_prism_base: od.prism_base,
  os_iop: iop('left'),
  os_va: va('left'),
  os_axis: os.axis,
  os_cylinder: os.cylinder,
  os_sphere: os.sphere,
  os_add: os.add,
  os_prism: os.prism,
  os_prism_base: os.prism_base,
  callback_url: {
    kind: 'url',
    maxLength: 2048,
    description: 'http(s) URL that is told when the report is ready or the case is rejected. No user:password part.',
  },
} as const satisfies Record<string, FieldSpec>;

export type IntakeFieldName = keyof typeof INTAKE_FIELDS;
type ValueOf<S> = S extends { kind: 'number' } | { kind: 'code' } ? number : string;
/** A validated intake: every field optional on the wire is `null` when absent. */
export type CaseIntake = { -readonly [K in IntakeFieldName]: ValueOf<(typeof INTAKE_FIELDS)[K]> | null } & {
  visit_date: string;
};

export const INTAKE_FIELD_NAMES = Object.keys(INTAKE_FIELDS) as IntakeFieldName[];

/**
 * Why these are required: `age` and `gender` change how a reader weighs what
 * the photographs show (risk of AMD, glaucoma and diabetic retinopathy rise with
 * age), and the report must name a patient the center can find again, so a case
 * needs a `history_number` or both names. Everything else is optional because
 * opticians' devices record different subsets; images may follow in
 * `POST /cases/{id}/images`.
 */
export const REQUIRED_FIELDS: readonly IntakeFieldName[] = ['gender', 'age'];
export const IDENTIFICATION_RULE =
  'a case needs history_number, or both first_name and last_name, so the center can match the report to its patient';

/** The same rule in the words of the person filling in the form. */
const IDENTIFICATION_MESSAGE = 'is needed: a case needs a history number, or both first and last name, so the center can match the report to its patient';

/** Fields the wire accepts besides the intake fields, handled elsewhere. */
const TRANSPORT_FIELDS = new Set(['access_token']);

const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;
const SNELLEN = /^(\d+(?:[.,]\d+)?)\s*\/\s*(\d+(?:[.,]\d+)?)$/;
const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$)/;

/**
 * Checks raw form values (strings; repeated fields arrive as arrays) against
 * the table and returns either the typed intake or every issue found.
 * Empty strings mean "absent", as PHP and HTML forms send unset fields.
 */
export function validateIntake(
  raw: Readonly<Record<string, string | readonly string[]>>,
  today: Date,
  options: { requireIdentity?: boolean; callbackAllow?: CallbackAllowList } = {},
): { ok: true; intake: CaseIntake } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const intake = Object.fromEntries(INTAKE_FIELD_NAMES.map((name) => [name, null])) as Record<
    IntakeFieldName,
    string | number | null
  >;

  for (const [name, value] of Object.entries(raw)) {
    if (TRANSPORT_FIELDS.has(name)) continue;
    // Own fields only: `constructor` or `toString` is no field of a case, whatever a JavaScript object inherits.
    if (!Object.hasOwn(INTAKE_FIELDS, name)) {
      issues.push({ field: name, rule: 'unknown_field', message: 'is not a field of a case' });
      continue;
    }
    const field = name as IntakeFieldName;
    if (typeof value !== 'string') {
      issues.push({ field, rule: 'single_value', message: 'must be sent once' });
      continue;
    }
    if (value.trim() === '') continue;
    const parsed = parseField(field, INTAKE_FIELDS[field], value, today, options.callbackAllow ?? EMPTY_ALLOW_LIST);
    if ('issue' in parsed) issues.push(parsed.issue);
    else intake[field] = parsed.value;
  }

  for (const field of REQUIRED_FIELDS) {
    if (intake[field] === null && !issues.some((i) => i.field === field)) {
      issues.push({ field, rule: 'required', message: 'is required' });
    }
  }
  if ((options.requireIdentity ?? true) && intake.history_number === null && (intake.first_name === null || intake.last_name === null)) {
    const missing = intake.first_name === null ? 'first_name' : 'last_name';
    if (!issues.some((i) => i.field === missing || i.field === 'history_number')) {
      issues.push({ field: intake.first_name === null && intake.last_name === null ? 'history_number' : missing, rule: 'patient_identification', message: IDENTIFICATION_MESSAGE });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  intake.visit_date ??= isoDate(today);
  return { ok: true, intake: intake as CaseIntake };
}

function parseField(
  field: IntakeFieldName,
  spec: FieldSpec,
  value: string,
  today: Date,
  callbackAllow: CallbackAllowList,
): { value: string | number } | { issue: FieldIssue } {
  const fail = (rule: string, message: string) => ({ issue: { field, rule, message } });
  switch (spec.kind) {
    case 'text': {
      const text = value.trim();
      if (text.includes('\0')) return fail('control_characters', 'must not contain NUL characters');
      if ([...text].length > spec.maxLength) return fail('max_length', `must be at most ${spec.maxLength} characters`);
      return { value: text };
    }
    case 'number': {
      const text = value.trim();
      let number: number;
      const snellen = spec.snellen ? SNELLEN.exec(text) : null;
      if (snellen) {
        const denominator = Number(snellen[2]!.replace(',', '.'));
        if (denominator === 0) return fail('type', 'Snellen denominator must not be 0');
        number = Math.round((Number(snellen[1]!.replace(',', '.')) / denominator) * 1000) / 1000;
      } else if (DECIMAL.test(text)) {
        number = Number(text.replace(',', '.'));
      } else {
        return fail('type', spec.snellen ? 'must be a decimal number or a Snellen fraction' : 'must be a number');
      }
      if (spec.integer && !Number.isInteger(number)) return fail('integer', 'must be a whole number');
      if (number < spec.min || number > spec.max) return fail('range', `must be from ${spec.min} to ${spec.max}`);
      return { value: number };
    }
    case 'code': {
      const allowed = Object.keys(spec.values);
      if (!allowed.includes(value.trim())) {
        return fail('enum', `must be ${Object.entries(spec.values).map(([k, v]) => `${k} (${v})`).join(' or ')}`);
      }
      return { value: Number(value.trim()) };
    }
    case 'date': {
      const match = DATE_PREFIX.exec(value.trim());
      if (!match) return fail('format', 'must be a date as YYYY-MM-DD');
      const [, y, m, d] = match as unknown as [string, string, string, string];
      const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
      if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) {
        return fail('format', 'is not a real calendar date');
      }
      const tomorrow = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1));
      if (date.getTime() > tomorrow.getTime()) return fail('range', 'must not be in the future');
      if (Number(y) < 1900) return fail('range', 'must not be before 1900');
      return { value: `${y}-${m}-${d}` };
    }
    case 'url': {
      const text = value.trim();
      if (text.length > spec.maxLength) return fail('max_length', `must be at most ${spec.maxLength} characters`);
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return fail('format', 'must be an absolute http(s) URL');
      }
      const target = checkCallbackUrl(url, callbackAllow);
      if (!target.ok) return fail(target.rule, target.message);
      return { value: url.toString() };
    }
  }
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
