import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { canonicalTimezone } from '../../src/domain/center.js';
import { conclusionNotRestated, glaucomaStatement, type EyeGrading } from '../../src/domain/grading.js';
import { addMonths, formatDate, formatDateTime, formatDiopters, formatNumber, refractionText, reportText } from '../../src/domain/report-text.js';

const es = reportText('es');
const en = reportText('en');
/** What a reader of the PDF sees: the no-break spaces that keep a value with its unit read as spaces. */
const plain = (text: string | null) => text?.replace(/\u00a0/g, ' ');

describe('report text in the center’s language', () => {
  it('writes numbers and refraction in the locale, signs kept', () => {
    assert.equal(plain(formatDiopters(es, 1.25)), '+1,25 D');
    assert.equal(plain(formatDiopters(en, 1.25)), '+1.25 D');
    assert.equal(plain(formatDiopters(es, -0.5)), '-0,50 D');
    assert.equal(plain(formatDiopters(en, 0)), '0.00 D', 'plano has no sign');
    assert.equal(formatNumber(es, 0.75), '0,75');
    assert.equal(formatNumber(es, 1234.5, 1), '1234,5', 'no grouping');
    const full = { sphere: -2.25, cylinder: -0.75, axis: 180, add: 2.5, prism: 1.5, prismBase: 1 };
    assert.equal(plain(refractionText(es, full)), 'esf -2,25 D, cil -0,75 D × 180°, ad +2,50 D, prisma 1,5 dp base superior');
    assert.equal(plain(refractionText(en, { ...full, cylinder: null, prism: null })), 'sph -2.25 D, × 180°, add +2.50 D');
    assert.equal(refractionText(en, { sphere: null, cylinder: null, axis: null, add: null, prism: null, prismBase: null }), null, 'no refraction: no line');
  });

  it('writes dates in words and times on the center’s clock', () => {
    assert.equal(formatDate(es, '2026-07-15'), '15 de julio de 2026');
    assert.equal(formatDate(en, '2026-07-15'), '15 July 2026');
    assert.equal(formatDateTime(es, '2026-03-14T09:05:00.000Z', 'Europe/Madrid'), '14 de marzo de 2026, 10:05 CET');
    assert.equal(formatDateTime(es, '2026-07-14T09:05:00.000Z', 'Europe/Madrid'), '14 de julio de 2026, 11:05 CEST');
    assert.equal(formatDateTime(en, '2026-03-14T02:05:00.000Z', 'America/New_York'), '13 March 2026, 22:05 GMT-4', 'the local date, not the UTC one');
  });

  it('adds calendar months for the next screening, keeping to the month’s last day', () => {
    assert.equal(addMonths('2026-01-15', 6), '2026-07-15');
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
    assert.equal(addMonths('2028-01-31', 1), '2028-02-29');
    assert.equal(addMonths('2026-11-30', 24), '2028-11-30');
    assert.equal(addMonths('2026-12-31', 60), '2031-12-31');
  });
});

describe('time zones', () => {
  it('accepts IANA names Intl knows, spelt as chosen (the case put right)', () => {
    assert.equal(canonicalTimezone('Europe/Madrid'), 'Europe/Madrid');
    assert.equal(canonicalTimezone(' europe/madrid '), 'Europe/Madrid');
    assert.equal(canonicalTimezone('America/Argentina/Buenos_Aires'), 'America/Argentina/Buenos_Aires');
    assert.equal(canonicalTimezone('Asia/Kolkata'), 'Asia/Kolkata', 'not the old alias ICU prefers');
    assert.equal(canonicalTimezone('UTC'), 'UTC');
    for (const bad of ['', '+01:00', 'UTC+1', 'Mars/Olympus_Mons', 'Europe/Madrid/Centro/Sol', '../etc/passwd', 'x'.repeat(65)]) assert.equal(canonicalTimezone(bad), null, bad);
  });

  it('reads the instance default from OPENRETINA_DEFAULT_TIMEZONE', () => {
    assert.equal(loadConfig({}).defaultTimezone, 'UTC');
    assert.equal(loadConfig({ OPENRETINA_DEFAULT_TIMEZONE: 'atlantic/canary' }).defaultTimezone, 'Atlantic/Canary');
    assert.throws(() => loadConfig({ OPENRETINA_DEFAULT_TIMEZONE: 'CEST+2' }), (e: unknown) => e instanceof ConfigError && /OPENRETINA_DEFAULT_TIMEZONE/.test(e.message));
  });
});

describe('a report that never contradicts itself', () => {
  const conclusion = { derivation: 'routine' as const, recommendation: 'Please see an ophthalmologist in the coming months.', rescreenMonths: 12 };

  it('asks an amendment that changes the derivation to restate the advice', () => {
    assert.equal(conclusionNotRestated(conclusion, { ...conclusion, derivation: 'urgent' }), true);
    assert.equal(conclusionNotRestated(conclusion, { ...conclusion, derivation: 'urgent', recommendation: ' please see an  OPHTHALMOLOGIST in the coming months. ' }), true, 'the same words');
    assert.equal(conclusionNotRestated(conclusion, { ...conclusion, derivation: 'urgent', recommendation: 'Please see an ophthalmologist this week.' }), false);
    assert.equal(conclusionNotRestated(conclusion, { ...conclusion, derivation: 'urgent', rescreenMonths: 3 }), false);
    assert.equal(conclusionNotRestated(conclusion, conclusion), false, 'the same derivation: nothing to restate');
  });

  it('never says "no" to glaucoma beside a suspicious cup without the reader’s reason', () => {
    const eye: EyeGrading = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.75, glaucoma_suspect: false, hypertensive: 'none', other_findings: [], other_text: null };
    assert.equal(glaucomaStatement(eye, 0.3, 'large disc'), 'overridden');
    assert.equal(glaucomaStatement(eye, 0.3, null), 'suspected', 'a report signed before reasons were asked for says what its derivation counted');
    assert.equal(glaucomaStatement({ ...eye, vertical_cdr: 0.4 }, 0.3, null), 'not_suspected');
    assert.equal(glaucomaStatement({ ...eye, vertical_cdr: 0.3 }, 0.5, null), 'not_suspected', 'the asymmetry points at the larger cup');
    assert.equal(glaucomaStatement({ ...eye, vertical_cdr: 0.3, glaucoma_suspect: true }, 0.3, null), 'suspected');
  });
});
