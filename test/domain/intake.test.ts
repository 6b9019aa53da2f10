import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateIntake } from '../../src/domain/intake.js';

const today = new Date('2026-11-28T10:00:00Z');
const base = { first_name: 'Ana', last_name: 'Ruiz', gender: '1', age: '61' };

function issues(raw: Record<string, string | string[]>) {
  const result = validateIntake(raw, today);
  assert.equal(result.ok, false, 'expected validation to fail');
  return result.ok ? [] : result.issues;
}

function valid(raw: Record<string, string | string[]>) {
  const result = validateIntake(raw, today);
  if (!result.ok) assert.fail(`expected valid, got ${JSON.stringify(result.issues)}`);
  return result.intake;
}

describe('intake validation', () => {
  it('accepts the minimum and fills the defaults', () => {
    const intake = valid(base);
    assert.equal(intake.gender, 1);
    assert.equal(intake.age, 61);
    assert.equal(intake.visit_date, '2026-11-28');
    assert.equal(intake.od_iop, null);
    assert.equal(intake.history_number, null);
  });

  it('treats empty strings as absent, as form clients send them', () => {
    const intake = valid({ ...base, od_iop: '', diabetes: '  ', callback_url: '' });
    assert.equal(intake.od_iop, null);
    assert.equal(intake.diabetes, null);
  });

  it('requires gender, age and a way to identify the patient', () => {
    const found = issues({});
    assert.deepEqual(
      found.map((i) => [i.field, i.rule]),
      [
        ['gender', 'required'],
        ['age', 'required'],
        ['history_number', 'patient_identification'],
      ],
    );
    assert.ok(valid({ history_number: '12345', gender: '0', age: '40' }));
    assert.deepEqual(
      issues({ first_name: 'A', gender: '0', age: '40' }).map((i) => i.field),
      ['last_name'],
    );
  });

  it('parses clinical numbers with their plausible ranges, naming each bad field', () => {
    const intake = valid({
      ...base,
      od_iop: '15.5',
      os_iop: '21',
      od_va: '0,8',
      os_va: '20/40',
      od_sphere: '-2.25',
      od_cylinder: '+0.75',
      od_axis: '180',
      od_add: '2',
      od_prism: '1.5',
      od_prism_base: '1',
    });
    assert.equal(intake.od_iop, 15.5);
    assert.equal(intake.od_va, 0.8);
    assert.equal(intake.os_va, 0.5);
    assert.equal(intake.od_sphere, -2.25);
    assert.equal(intake.od_cylinder, 0.75);
    assert.equal(intake.od_prism_base, 1);

    const found = issues({
      ...base,
      od_iop: '120',
      os_iop: 'high',
      od_va: '3',
      od_axis: '181',
      od_sphere: '-31',
      od_cylinder: '16',
      od_add: '-1',
      od_prism: '31',
      os_prism_base: '2',
      age: '12.5',
      gender: '2',
      diabetes: 'yes',
    });
    const byField = Object.fromEntries(found.map((i) => [i.field, i.rule]));
    assert.deepEqual(byField, {
      od_iop: 'range',
      os_iop: 'type',
      od_va: 'range',
      od_axis: 'range',
      od_sphere: 'range',
      od_cylinder: 'range',
      od_add: 'range',
      od_prism: 'range',
      os_prism_base: 'enum',
      age: 'integer',
      gender: 'enum',
      diabetes: 'enum',
    });
  });

  it('refuses numbers in exotic notations', () => {
    for (const bad of ['1e3', '0x10', 'Infinity', 'NaN', '1.2.3', '--1']) {
      assert.equal(issues({ ...base, od_iop: bad })[0]?.rule, 'type', bad);
    }
  });

  it('accepts real dates only, cutting timestamps to their day', () => {
    assert.equal(valid({ ...base, visit_date: '2024-02-29' }).visit_date, '2024-02-29');
    assert.equal(valid({ ...base, visit_date: '2026-11-01 09:30:00' }).visit_date, '2026-11-01');
    assert.equal(valid({ ...base, visit_date: '2026-11-01T09:30:00+01:00' }).visit_date, '2026-11-01');
    assert.equal(issues({ ...base, visit_date: '2023-02-29' })[0]?.rule, 'format');
    assert.equal(issues({ ...base, visit_date: '01/02/2024' })[0]?.rule, 'format');
    assert.equal(issues({ ...base, visit_date: '2027-01-01' })[0]?.rule, 'range');
    assert.equal(issues({ ...base, visit_date: '1899-12-31' })[0]?.rule, 'range');
    assert.equal(valid({ ...base, visit_date: '2026-11-29' }).visit_date, '2026-11-29', 'tomorrow is allowed (time zones)');
  });

  it('limits string lengths and refuses NUL bytes', () => {
    assert.equal(issues({ ...base, first_name: 'x'.repeat(101) })[0]?.rule, 'max_length');
    assert.equal(issues({ ...base, retinologist_notes: 'a\0b' })[0]?.rule, 'control_characters');
    assert.equal(valid({ ...base, retinologist_notes: 'line 1\r\nline 2' }).retinologist_notes, 'line 1\r\nline 2');
  });

  it('accepts only http(s) callback URLs without credentials', () => {
    assert.equal(valid({ ...base, callback_url: 'https://clinic.example/hook?x=1' }).callback_url, 'https://clinic.example/hook?x=1');
    assert.equal(issues({ ...base, callback_url: 'ftp://clinic.example/' })[0]?.rule, 'scheme');
    assert.equal(issues({ ...base, callback_url: 'https://u:p@clinic.example/' })[0]?.rule, 'credentials');
    assert.equal(issues({ ...base, callback_url: 'not a url' })[0]?.rule, 'format');
  });

  it('refuses unknown and repeated fields, and fields the server owns', () => {
    const found = issues({ ...base, status: 'reported', center_id: '9', age: ['61', '62'] });
    assert.deepEqual(
      found.map((i) => [i.field, i.rule]).sort(),
      [
        ['age', 'single_value'],
        ['center_id', 'unknown_field'],
        ['status', 'unknown_field'],
      ],
    );
  });

  it('ignores the access_token transport field', () => {
    assert.ok(valid({ ...base, access_token: 'x' }));
  });
});
