import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import {
  DEFAULT_CHECK_THRESHOLDS as T,
  type ImageMeasures,
  judgeFundus,
  judgeImage,
  judgeQuality,
  presentableChecks,
} from '../../src/domain/image-checks.js';

/** A well-taken macula-centred photograph of a right eye, as the media layer measures one. */
const GOOD: ImageMeasures = {
  width: 3000,
  height: 2000,
  field: { cx: 0.5, cy: 0.5, r: 0.31, circleFit: 0.98, darkSurround: 1, coverage: 0.99, litShare: 1 },
  colour: { red: 180, green: 90, blue: 45, hue: 20, saturation: 0.75 },
  underexposed: 0.01,
  overexposed: 0.001,
  sharpness: 2.4,
  focus: 1.2,
  fieldDiameterPx: 1860,
  disc: { x: 0.55, y: -0.05, prominence: 3, otherSide: 0.7 },
};
const with_ = (changes: Partial<ImageMeasures>): ImageMeasures => ({ ...GOOD, ...changes });

describe('automatic image checks: the rules', () => {
  it('a fundus photograph: a round field on a dark surround, in a retina’s colours (or grey, or too dark or bright to tell)', () => {
    assert.equal(judgeFundus(GOOD, T).verdict, 'fundus');
    assert.equal(judgeFundus(GOOD, T).value, 0.98);
    assert.equal(judgeFundus(with_({ colour: { red: 120, green: 120, blue: 121, hue: 200, saturation: 0.01 } }), T).verdict, 'fundus', 'red-free');
    assert.equal(judgeFundus(with_({ colour: { red: 20, green: 10, blue: 8, hue: 10, saturation: 0.6 } }), T).verdict, 'fundus', 'too dark to tell');

    const refused: [Partial<ImageMeasures>, RegExp][] = [
      [{ field: null }, /no round field of view/],
      [{ field: { ...GOOD.field!, circleFit: 0.3 } }, /not round/],
      [{ field: { ...GOOD.field!, darkSurround: 0.5 } }, /surround is not dark/],
      [{ field: { ...GOOD.field!, litShare: 0.4 } }, /a ring or an arc/],
      [{ colour: { red: 60, green: 120, blue: 200, hue: 215, saturation: 0.7 } }, /not a retina's/],
    ];
    for (const [changes, reason] of refused) {
      const check = judgeFundus(with_(changes), T);
      assert.equal(check.verdict, 'not_fundus', JSON.stringify(changes));
      assert.match(check.reason, reason);
      assert.ok(check.value < 0.98);
    }
  });

  it('quality: each measure graded on its own thresholds, the worst wins, with a score and the limiting reasons', () => {
    const good = judgeQuality(GOOD, T);
    assert.deepEqual([good.verdict, good.value, good.reason], ['good', 1, 'every measure is good']);
    const cases: [Partial<ImageMeasures>, string, string][] = [
      [{ sharpness: 1 }, 'usable', 'sharpness'],
      [{ sharpness: 0.2 }, 'reject', 'sharpness'],
      [{ underexposed: 0.3 }, 'reject', 'underexposed'],
      [{ overexposed: 0.05 }, 'usable', 'overexposed'],
      [{ fieldDiameterPx: 800 }, 'usable', 'resolution'],
      [{ fieldDiameterPx: 400 }, 'reject', 'resolution'],
      [{ field: { ...GOOD.field!, coverage: 0.5 } }, 'reject', 'coverage'],
    ];
    for (const [changes, verdict, measure] of cases) {
      const q = judgeQuality(with_(changes), T);
      assert.equal(q.verdict, verdict, measure);
      assert.equal(q.measures[measure as keyof typeof q.measures].verdict, verdict);
      assert.equal(q.reason, q.measures[measure as keyof typeof q.measures].reason);
      assert.ok(verdict === 'usable' ? q.value >= 0.5 && q.value < 1 : q.value < 0.5, `${measure}: score ${q.value}`);
    }
    assert.equal(judgeQuality(with_({ field: null }), T).measures.coverage.reason, 'no round field of view found');
  });

  it('laterality: the disc on the image’s right is a right eye, named only when it clearly stands out on one side', () => {
    assert.equal(judgeImage(GOOD, T).laterality.eye, 'od');
    assert.equal(judgeImage(with_({ disc: { ...GOOD.disc!, x: -0.5 } }), T).laterality.eye, 'os');
    const unsure: [Partial<ImageMeasures>, RegExp][] = [
      [{ disc: null }, /no optic disc/],
      [{ disc: { ...GOOD.disc!, prominence: 0.8 } }, /hardly stands out/],
      [{ disc: { ...GOOD.disc!, otherSide: 2.8 } }, /other side/],
      [{ disc: { ...GOOD.disc!, x: 0.1 } }, /near the centre/],
      [{ overexposed: 0.5 }, /too bright/],
      [{ field: null }, /not a fundus photograph/],
    ];
    for (const [changes, reason] of unsure) {
      const detected = judgeImage(with_(changes), T).laterality;
      assert.equal(detected.eye, null, JSON.stringify(changes));
      assert.match(detected.reason, reason);
    }
  });

  it('the detected eye is compared with the eye as it stands', () => {
    const stored = judgeImage(GOOD, T);
    const verdict = (eye: 'od' | 'os' | null, source: Parameters<typeof presentableChecks>[2]) => presentableChecks(stored, eye, source).laterality.verdict;
    assert.equal(verdict('od', 'detected'), 'detected');
    assert.equal(verdict('od', 'client'), 'agrees');
    assert.equal(verdict('os', 'client'), 'disagrees');
    assert.equal(verdict('os', 'reader'), 'disagrees');
    assert.match(presentableChecks(stored, 'os', 'file_name').laterality.reason, /but the file name says left \(OS\)/);
    assert.equal(verdict(null, null), 'uncertain');
    const unsure = judgeImage(with_({ disc: null }), T);
    assert.equal(presentableChecks(unsure, 'os', 'client').laterality.verdict, 'uncertain');
  });

  it('thresholds are settings: good,usable pairs in the right order, numbers in range', () => {
    const checks = loadConfig({ OPENRETINA_CHECK_SHARPNESS: '2,0.8', OPENRETINA_CHECK_UNDEREXPOSED: '0.05,0.2', OPENRETINA_CHECK_MAX_WAIT_MS: '3000' }).checks;
    assert.deepEqual([checks.sharpness, checks.underexposed, checks.maxWaitMs], [{ good: 2, usable: 0.8 }, { good: 0.05, usable: 0.2 }, 3000]);
    assert.deepEqual(loadConfig({}).checks.resolutionPx, T.resolutionPx);
    for (const env of [
      { OPENRETINA_CHECK_SHARPNESS: '0.5,2' },
      { OPENRETINA_CHECK_UNDEREXPOSED: '0.3,0.1' },
      { OPENRETINA_CHECK_COVERAGE: '0.8' },
      { OPENRETINA_CHECK_COVERAGE: '1.5,0.5' },
      { OPENRETINA_CHECK_FUNDUS_MIN_CIRCLE_FIT: 'high' },
      { OPENRETINA_CHECK_MAX_WAIT_MS: '600000' },
    ]) {
      assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
    }
  });
});
