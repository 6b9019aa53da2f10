import fc from 'fast-check';
import { type FieldSpec, INTAKE_FIELDS, type IntakeFieldName } from '../../../src/domain/intake.js';
import { type Json, type Pairs, anyText } from './fuzz.js';

/**
 * Values for the intake fields of a case: mostly ones of the field's own
 * kind (valid, at the edges, just outside), the rest tricky text.
 */
function valuesOf(spec: FieldSpec): fc.Arbitrary<string> {
  switch (spec.kind) {
    case 'text':
      return fc.oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        fc.constantFrom('Ana', '  Ruiz  ', 'Müller-Lüdenscheidt', '张伟', 'ʻOkina', 'x'.repeat(spec.maxLength), 'é'.repeat(spec.maxLength + 1), 'a\0b'),
      );
    case 'number': {
      const inside = fc.double({ min: spec.min, max: spec.max, noNaN: true }).map((n) => (spec.integer ? String(Math.round(n)) : String(n)));
      return fc.oneof(
        inside,
        inside.map((t) => t.replace('.', ',')),
        fc.constantFrom(String(spec.min), String(spec.max), String(spec.max + 1), String(spec.min - 1), '0.5', '20/40', '6/12', '1e1', '0x10', '.5', '5.', '+5', '- 5'),
      );
    }
    case 'code':
      return fc.constantFrom(...Object.keys(spec.values), '01', '1.0', '1e0', 'true', '2', '-0', ' 1 ');
    case 'date':
      return fc.oneof(
        fc.date({ min: new Date('1890-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        fc.constantFrom('2020-02-29', '2021-02-29', '1900-01-01', '1899-12-31', '2020-01-01T10:00:00Z', '2020-01-01 10:00:00', '2020-01-01T10:00:00+02:00', '2020-13-01', '2020-00-10', '20200101', '01/02/2020'),
      );
    case 'url':
      return fc.constantFrom('https://clinic.example/hook', 'http://127.0.0.1/x', 'https://user:pw@clinic.example/', 'ftp://clinic.example', 'https://[::1]/', 'https://2130706433/', 'not a url', 'https://clinic.example/' + 'a'.repeat(2100));
  }
}

export const INTAKE_NAMES = Object.keys(INTAKE_FIELDS) as IntakeFieldName[];

/** A value for a named intake field (or tricky text for any other name). */
export function intakeValue(name: string): fc.Arbitrary<string> {
  const spec = Object.hasOwn(INTAKE_FIELDS, name) ? (INTAKE_FIELDS as Record<string, FieldSpec>)[name] : undefined;
  return spec === undefined ? anyText : fc.oneof({ weight: 3, arbitrary: valuesOf(spec) }, { weight: 1, arbitrary: anyText });
}

/** Names a case form can never accept: none is a field, and some are what a JavaScript object holds already. */
export const NEVER_FIELDS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'status', 'center_id', 'id', 'derivation', 'Age', 'age ', 'images[x]', 'image', ''] as const;

export const fieldName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...INTAKE_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...NEVER_FIELDS) },
  { weight: 1, arbitrary: anyText },
);

/** A name and a value fitting it most of the time. */
export const intakePair: fc.Arbitrary<readonly [string, string]> = fieldName.chain((name) => intakeValue(name).map((value) => [name, value] as const));

/** The intake of a case that is accepted as it is. */
export const VALID_INTAKE: Pairs = [
  ['history_number', 'HC-77'],
  ['gender', '1'],
  ['age', '61'],
];

/** Intake pairs near a valid intake: one value replaced, one field added, dropped or repeated, or several random fields. */
export const intakePairs: fc.Arbitrary<(readonly [string, string])[]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(VALID_INTAKE.map(([k, v]) => [k, v as string] as const)) },
  { weight: 3, arbitrary: fc.tuple(fc.nat(), fieldName).chain(([i, name]) => intakeValue(name).map((value) => mutate(i, name, value))) },
  { weight: 2, arbitrary: fc.tuple(fc.array(intakePair, { maxLength: 5 })).map(([extra]) => [...VALID_INTAKE.map(([k, v]) => [k, v as string] as const), ...extra]) },
  { weight: 1, arbitrary: fc.array(intakePair, { maxLength: 8 }) },
);

function mutate(i: number, name: string, value: string): (readonly [string, string])[] {
  const base = VALID_INTAKE.map(([k, v]) => [k, v as string] as const);
  switch (i % 4) {
    case 0:
      return base.map(([k, v]) => (k === name ? ([k, value] as const) : ([k, v] as const))).concat(base.some(([k]) => k === name) ? [] : [[name, value] as const]);
    case 1:
      return [...base, [name, value] as const];
    case 2:
      return base.filter(([k]) => k !== name);
    default:
      return [...base, base[i % base.length]!];
  }
}

/** A JSON intake value: the text, or the same thing as a JSON number, boolean, null, list or object. */
export function asJson(value: string): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<Json>(value) },
    { weight: 1, arbitrary: fc.constant<Json>(/^-?\d+(\.\d+)?$/.test(value) ? { raw: value } : value) },
    { weight: 1, arbitrary: fc.constantFrom<Json>(true, false, null, 1, 0, { raw: '1e0' }, { raw: '-0' }, { raw: '1e400' }, [value], [value, value], { entries: [['v', value]] }) },
  );
}
