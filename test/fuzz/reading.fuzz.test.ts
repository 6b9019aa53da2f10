import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { AMD_GRADES, DME_GRADES, DR_GRADES, HYPERTENSIVE_GRADES, IMAGE_QUALITY, OTHER_FINDINGS, REJECTION_REASONS } from '../../src/domain/grading.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { type Json, ODD_CONTENT_TYPES, type Pairs, TRICKY_TEXTS, around, assertEnvelope, check, formEncode, jsonDamage, jsonLeaf, jsonText, send } from './support/fuzz.js';
import { type FuzzServer, createPendingCase, imageFixtures, startFuzzServer } from './support/fuzz-server.js';
import { type StoreState, assertConsistent, assertUnchanged, caseRecord, storeState } from './support/store-state.js';

/**
 * A reader who holds the claim on a pending case signs or rejects it with
 * malformed gradings, reasons, ids and bodies: never a 5xx, always the
 * envelope, a report or a rejection only for an exactly valid body (JSON
 * numbers and booleans as such, no unknown field), and a refusal leaves the
 * case, its claim and the outbox as they were.
 */

const STATUSES = [200, 400, 401, 403, 404, 409, 413, 414, 415];

const EYE: Pairs = [
  ['quality', 'good'],
  ['dr', 'none'],
  ['dme', 'absent'],
  ['amd', 'none'],
  ['vertical_cdr', 0.3],
  ['glaucoma_suspect', false],
  ['hypertensive', 'none'],
  ['other_findings', []],
  ['other_text', null],
];
const EYE_KEYS = EYE.map(([k]) => k);

const gradeValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Json>(...IMAGE_QUALITY, ...DR_GRADES, ...DME_GRADES, ...AMD_GRADES, ...HYPERTENSIVE_GRADES) },
  { weight: 2, arbitrary: fc.constantFrom<Json>(0, 1, 0.3, 1.0001, -0.0001, { raw: '-0' }, { raw: '3e-1' }, { raw: '1e400' }, '0.3', true, 'false', null, [], ['other'], ['other', 'other'], [...OTHER_FINDINGS], ['choroidal_naevus'], 'x'.repeat(2001)) },
  { weight: 2, arbitrary: jsonLeaf },
);
const eyeName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...EYE_KEYS) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'notes', 'Quality', '') });
const eye: fc.Arbitrary<Json> = around(EYE, eyeName, gradeValue).map((entries): Json => ({ entries }));

const signName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('od', 'os', 'recommendation', 'rescreen_months', 'derivation', 'override_reason') },
  { weight: 1, arbitrary: fc.constantFrom('amend_reason', 'status', '__proto__', 'constructor', 'case_id', '') },
);
const signValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: eye },
  { weight: 2, arbitrary: fc.constantFrom<Json>(12, 1, 60, 0, 61, { raw: '1e0' }, { raw: '12.0' }, { raw: '-0' }, '12', true, null, 'urgent', 'normal', 'a reason', 'Rescreen in a year.', '\0', 'x'.repeat(2001)) },
  { weight: 2, arbitrary: jsonLeaf },
);

const rejectName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('reason', 'text') }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'note', 'Reason', '') });
const rejectValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Json>(...REJECTION_REASONS, 'blurred photographs', null, '', 'IMAGE_QUALITY', ' other', 'x'.repeat(2001), 'a\0b', ['other'], 1, true) },
  { weight: 2, arbitrary: jsonLeaf },
);

/** The body as sent: JSON mostly (perhaps broken), else a form or another type. */
const encoding = fc.oneof(
  { weight: 8, arbitrary: fc.record({ contentType: fc.constantFrom<string | undefined>('application/json', 'application/json; charset=utf-8'), damage: jsonDamage, form: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ contentType: fc.constant<string | undefined>('application/x-www-form-urlencoded'), damage: fc.constant((t: string) => t), form: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ contentType: fc.constantFrom<string | undefined>(...ODD_CONTENT_TYPES), damage: fc.constant((t: string) => t), form: fc.constant(false) }) },
);

type Target = 'claimed' | 'unclaimed' | 'text';
const target = fc.oneof(
  { weight: 8, arbitrary: fc.constant<{ kind: Target; text: string }>({ kind: 'claimed', text: '' }) },
  { weight: 1, arbitrary: fc.constant<{ kind: Target; text: string }>({ kind: 'unclaimed', text: '' }) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_TEXTS, '2147483648', '99999999999', '999999999999999').map((t) => ({ kind: 'text' as Target, text: formEncode(t) })) },
);
const who = fc.oneof({ weight: 9, arbitrary: fc.constant<'reader' | 'client' | 'none'>('reader') }, { weight: 1, arbitrary: fc.constantFrom<'reader' | 'client' | 'none'>('client', 'none') });

/** A JSON value read back as the server parses it. */
const parsed = (value: Json | undefined): unknown => (value === undefined ? undefined : JSON.parse(jsonText(value)));
const lastOf = (pairs: Pairs) => new Map(pairs.map(([k, v]) => [k, v] as const));

describeEachDialect('fuzz: a reader signs and rejects (POST /reading/cases/{id}/sign, /reject)', (dialect) => {
  let fuzz: FuzzServer;
  let jpeg: Buffer;
  let claimed: number;
  let unclaimed: number;

  const claim = async (caseId: number) => {
    const answer = await send(fuzz.server.baseUrl, { path: `/reading/cases/${caseId}/claim`, headers: { authorization: `Bearer ${fuzz.readerToken}` } });
    assert.equal(answer.status, 200, answer.text);
  };
  const freshClaim = async () => {
    claimed = await createPendingCase(fuzz, jpeg);
    await claim(claimed);
  };

  before(async () => {
    fuzz = await startFuzzServer(dialect);
    jpeg = (await imageFixtures()).jpeg;
    unclaimed = await createPendingCase(fuzz, jpeg);
    await freshClaim();
  });
  after(() => fuzz.close());

  /** One action on a case; a refusal changes nothing, a success exactly the one case, which then needs replacing. */
  const act = async (
    action: 'sign' | 'reject',
    input: { pairs: Pairs; enc: { contentType: string | undefined; damage: (t: string) => string; form: boolean }; target: { kind: Target; text: string }; who: 'reader' | 'client' | 'none' },
    accepted: (before: StoreState, after: StoreState, content: unknown) => Promise<void>,
  ) => {
    const id = input.target.kind === 'claimed' ? String(claimed) : input.target.kind === 'unclaimed' ? String(unclaimed) : input.target.text;
    const token = input.who === 'reader' ? fuzz.readerToken : input.who === 'client' ? fuzz.clientToken : undefined;
    const body = input.enc.form
      ? input.pairs.map(([k, v]) => `${formEncode(k)}=${formEncode(typeof v === 'string' ? v : jsonText(v))}`).join('&')
      : input.enc.damage(jsonText({ entries: input.pairs }));
    const before = await storeState(fuzz.server);
    const answer = await send(fuzz.server.baseUrl, {
      path: `/reading/cases/${id}/${action}`,
      headers: { 'content-type': input.enc.contentType, authorization: token === undefined ? undefined : `Bearer ${token}` },
      body,
    });
    const after = await storeState(fuzz.server);
    assertConsistent(after);
    const envelope = assertEnvelope(answer, STATUSES);
    if (answer.status !== 200) {
      assertUnchanged(before, after, `POST /reading/cases/${id}/${action}`);
      return;
    }
    assert.equal(input.target.kind, 'claimed', `only the claimed case, not ${id}`);
    assert.equal(input.who, 'reader');
    await accepted(before, after, envelope.content);
    await freshClaim();
  };

  it('POST /reading/cases/{id}/sign: a report only for an exactly valid grading', async () => {
    const exact: Pairs = [
      ['od', { entries: EYE }],
      ['os', { entries: EYE }],
      ['recommendation', 'Rescreen in a year.'],
      ['rescreen_months', 12],
    ];
    const pairs = fc.oneof({ weight: 4, arbitrary: around(exact, signName, signValue) }, { weight: 1, arbitrary: fc.array(fc.tuple(signName, signValue), { maxLength: 5 }) });
    await check('sign', fc.record({ pairs, enc: encoding, target, who }), (input) =>
      act('sign', input, async (before, after, content) => {
        assert.ok(!input.enc.form, 'a grading is JSON: a form cannot carry it');
        const fields = lastOf(input.pairs);
        for (const name of fields.keys()) assert.ok(['od', 'os', 'recommendation', 'rescreen_months', 'derivation', 'override_reason'].includes(name), `no unknown field: ${name}`);
        const months = parsed(fields.get('rescreen_months'));
        assert.ok(months === undefined || months === null || (Number.isInteger(months) && (months as number) >= 1 && (months as number) <= 60), `rescreen_months exactly a whole number of months: ${String(months)}`);
        assert.equal(typeof parsed(fields.get('recommendation')), 'string');
        for (const side of ['od', 'os']) {
          const given = fields.get(side);
          assert.ok(given !== null && given !== undefined && typeof given === 'object' && !Array.isArray(given) && 'entries' in given, `${side} is an object`);
          const grading = lastOf((given as { entries: Pairs }).entries);
          for (const key of grading.keys()) assert.ok(EYE_KEYS.includes(key), `no unknown field in ${side}: ${key}`);
          const flag = parsed(grading.get('glaucoma_suspect'));
          assert.ok(flag === undefined || typeof flag === 'boolean', `glaucoma_suspect exactly a boolean: ${String(flag)}`);
          const cdr = parsed(grading.get('vertical_cdr'));
          assert.ok(cdr === undefined || cdr === null || (typeof cdr === 'number' && cdr >= 0 && cdr <= 1), `vertical_cdr a number from 0 to 1: ${String(cdr)}`);
        }
        assert.deepEqual(await caseRecord(fuzz.server, claimed), { status: 'reported', reports: 1 }, 'one report, the case reported');
        assert.equal(after.counts.reports, before.counts.reports + 1);
        assert.equal((content as { case_id: number }).case_id, claimed);
      }),
    60);
  });

  it('POST /reading/cases/{id}/reject: a rejection only for a reason from the list', async () => {
    const exact = fc.constantFrom<Pairs>([['reason', 'image_quality']], [['reason', 'other'], ['text', 'The photographs show a finger.']], [['reason', 'missing_clinical_data'], ['text', null]]);
    const pairs = fc.oneof({ weight: 4, arbitrary: exact.chain((e) => around(e, rejectName, rejectValue)) }, { weight: 1, arbitrary: fc.array(fc.tuple(rejectName, rejectValue), { maxLength: 3 }) });
    await check('reject', fc.record({ pairs, enc: encoding, target, who }), (input) =>
      act('reject', input, async (before, after) => {
        const fields = lastOf(input.pairs);
        for (const name of fields.keys()) assert.ok(name === 'reason' || name === 'text', `no unknown field: ${name}`);
        // A form carries text: what was sent is the value's own spelling.
        const sent = (name: string) => {
          const value = fields.get(name);
          return input.enc.form && value !== undefined ? (typeof value === 'string' ? value : jsonText(value)) : parsed(value);
        };
        const reason = sent('reason');
        assert.ok((REJECTION_REASONS as readonly unknown[]).includes(reason), `a reason from the list: ${String(reason)}`);
        const text = sent('text');
        assert.ok(text === undefined || text === null || typeof text === 'string', 'text is text');
        if (reason === 'other') assert.ok(typeof text === 'string' && text.trim() !== '', '"other" says what');
        assert.equal(after.counts.rejections, before.counts.rejections + 1, 'one rejection');
        assert.equal((await caseRecord(fuzz.server, claimed)).status, 'rejected');
      }),
    60);
  });
});
