import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_CHECK_THRESHOLDS, judgeImage } from '../../src/domain/image-checks.js';
import { demoFundusJpeg } from '../../src/media/demo-fundus.js';
import { type FundusMeasures, measureFundus } from '../../src/media/fundus-analysis.js';
import { UndecodableImageError, renderImage } from '../../src/media/preview-renderer.js';
import { landscapeJpeg, undecodablePng } from '../helpers/images.js';

/** What the image worker does: one decode (into the preview's pixels), then the measures. */
async function measure(bytes: Buffer): Promise<FundusMeasures> {
  const rendered = await renderImage(bytes, 1e8);
  return measureFundus(rendered.pixels, rendered.original);
}

/** The image as raw pixels, changed by `edit`, back to a JPEG. */
async function edited(bytes: Buffer, edit: (s: sharp.Sharp, width: number) => sharp.Sharp): Promise<Buffer> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return edit(sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }), info.width).jpeg({ quality: 92 }).toBuffer();
}

/** Pictures made here: a synthetic fundus photograph of each eye (disc on its nasal side) and copies spoilt on purpose. */
describe('fundus analysis (the measures of src/media)', () => {
  let od: Buffer;
  let right: FundusMeasures;
  before(async () => {
    od = await demoFundusJpeg('od', 2400, 1800);
    right = await measure(od);
  });

  it('finds the round field, its dark surround and the disc on the right of a right eye', async () => {
    const field = right.field!;
    assert.ok(Math.abs(field.cx - 0.5) < 0.02 && Math.abs(field.cy - 0.5) < 0.02, JSON.stringify(field));
    assert.ok(Math.abs(field.r * 2400 - 0.47 * 1800) < 20, `radius ${field.r * 2400} px`);
    assert.ok(field.circleFit > 0.9 && field.darkSurround! > 0.95 && field.coverage > 0.95 && field.litShare > 0.95);
    assert.ok(Math.abs(right.fieldDiameterPx - 0.94 * 1800) < 40, `diameter in the original's pixels: ${right.fieldDiameterPx}`);
    assert.ok(right.disc!.x > 0.3 && right.disc!.prominence > DEFAULT_CHECK_THRESHOLDS.discMinProminence, JSON.stringify(right.disc));
    assert.deepEqual([right.width, right.height], [2400, 1800]);
    const left = await measure(await demoFundusJpeg('os', 2400, 1800));
    assert.ok(left.disc!.x < -0.3, JSON.stringify(left.disc));
    const checks = judgeImage(right, DEFAULT_CHECK_THRESHOLDS);
    assert.deepEqual([checks.fundus.verdict, checks.quality.verdict, checks.laterality.eye], ['fundus', 'good', 'od']);
  });

  it('a mirrored photograph shows the other eye', async () => {
    const mirrored = await measure(await edited(od, (s) => s.flop()));
    assert.equal(judgeImage(mirrored, DEFAULT_CHECK_THRESHOLDS).laterality.eye, 'os');
  });

  it('blur takes the fine detail, too little light leaves the field dark, too much burns it, a cut loses coverage', async () => {
    const blurred = await measure(await edited(od, (s, width) => s.blur(width * 0.006)));
    assert.ok(blurred.sharpness < right.sharpness / 3 && blurred.focus < right.focus, `${blurred.sharpness} vs ${right.sharpness}`);
    const dark = await measure(await edited(od, (s) => s.linear(0.15, 0)));
    assert.ok(dark.underexposed > 0.5, `underexposed ${dark.underexposed}`);
    const bright = await measure(await edited(od, (s) => s.linear(4, 0)));
    assert.ok(bright.overexposed > 0.3, `overexposed ${bright.overexposed}`);
    const half = await measure(await edited(od, (s, width) => s.extract({ left: 0, top: 0, width: width / 2, height: 1800 })));
    assert.ok(half.field!.coverage < 0.6, `coverage ${half.field!.coverage}`);
    for (const spoilt of [blurred, dark, bright, half]) assert.equal(judgeImage(spoilt, DEFAULT_CHECK_THRESHOLDS).quality.verdict, 'reject');
  });

  it('a picture lit to its borders has no field of view; tiny, grey and transparent images are measured without failing', async () => {
    const landscape = judgeImage(await measure(await landscapeJpeg()), DEFAULT_CHECK_THRESHOLDS);
    assert.equal(landscape.fundus.verdict, 'not_fundus');
    for (const bytes of [
      await sharp({ create: { width: 1, height: 1, channels: 3, background: '#a33' } }).png().toBuffer(),
      await sharp({ create: { width: 3000, height: 8, channels: 3, background: '#a33' } }).jpeg().toBuffer(),
      await sharp({ create: { width: 300, height: 200, channels: 3, background: '#888' } }).toColourspace('b-w').png().toBuffer(),
      await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 200, g: 80, b: 40, alpha: 0.5 } } }).png().toBuffer(),
    ]) {
      const checks = judgeImage(await measure(bytes), DEFAULT_CHECK_THRESHOLDS);
      assert.equal(checks.fundus.verdict, 'not_fundus');
    }
  });

  it('an undecodable file is refused as such', async () => {
    await assert.rejects(renderImage(await undecodablePng(), 1e8), UndecodableImageError);
  });
});
