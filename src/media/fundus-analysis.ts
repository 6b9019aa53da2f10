import { loadSharp } from './libraries.js';
import type { DiscMeasures, FieldMeasures, ImageMeasures } from '../domain/image-checks.js';

/**
 * The measurements of one decoded photograph (`ImageMeasures`, declared with
 * the rules that read them in src/domain/image-checks.ts): numbers only, no
 * verdict. Everything is measured on small copies (the field of view at
 * about 512 px across, the optic disc at about 256 px), so a check costs the
 * same whatever the camera's resolution; the caller decodes the original
 * once and hands over its pixels (see `renderImage`).
 */
export type FundusMeasures = ImageMeasures;

/** Decoded pixels: 8 bits per channel, 1 to 4 channels (grey, grey+alpha, RGB, RGBA). */
export interface DecodedImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/** The field is found at this size (long side). */
const FIELD_SIZE = 512;
/** Sharpness is measured with the field this wide, or at the size given when it is smaller. */
const SHARPNESS_FIELD = 512;
/** The disc is looked for with the field this wide. */
const DISC_FIELD = 256;

/**
 * Measures a decoded photograph. `original` is the size of the file as sent
 * (upright), of which `image` may be a reduced copy (the preview).
 */
export async function measureFundus(image: DecodedImage, original: { width: number; height: number }): Promise<FundusMeasures> {
  const small = await resized(image, FIELD_SIZE / Math.max(image.width, image.height));
  const lum = luminance(small);
  const smooth = boxBlur(lum, small.width, small.height, 2);
  const threshold = litThreshold(smooth, small.width, small.height);
  const lit = litMask(smooth, small.width, small.height, threshold);
  const field = findField(smooth, small.width, small.height, lit, threshold);
  const inField = fieldMask(small.width, small.height, field, 1);
  const litField = and(inField, lit);
  const colour = meanColour(small, litField.count > 0.02 * small.width * small.height ? litField.mask : inField.mask);

  let under = 0;
  let over = 0;
  for (let i = 0; i < inField.mask.length; i++) {
    if (!inField.mask[i]) continue;
    if (lum[i]! < 25.5) under++;
    if (lum[i]! >= 242) over++;
  }
  const fieldPixels = Math.max(1, inField.count);

  const scaleToOriginal = original.width / small.width;
  const diameterSmall = field ? 2 * field.r * small.width : Math.min(small.width, small.height);
  const fieldDiameterPx = Math.round(diameterSmall * scaleToOriginal);

  const { sharpness, focus } = await measureSharpness(image, field, diameterSmall / small.width);
  const disc = field ? await findDisc(image, field) : null;
  return {
    width: original.width,
    height: original.height,
    field: field
      ? {
          cx: round(field.cx),
          cy: round(field.cy),
          r: round(field.r),
          circleFit: round(field.circleFit),
          darkSurround: field.darkSurround === null ? null : round(field.darkSurround),
          coverage: round(field.coverage),
          litShare: round(field.litShare),
        }
      : null,
    colour,
    underexposed: round(under / fieldPixels),
    overexposed: round(over / fieldPixels),
    sharpness: round(sharpness),
    focus: round(focus),
    fieldDiameterPx,
    disc,
  };
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

interface Rgb {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** An RGB copy at `scale` (never enlarged beyond 1). */
async function resized(image: DecodedImage, scale: number): Promise<Rgb> {
  const width = Math.max(1, Math.round(image.width * Math.min(1, scale)));
  const height = Math.max(1, Math.round(image.height * Math.min(1, scale)));
  const sharp = await loadSharp();
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels as 1 | 2 | 3 | 4 } });
  if (image.channels === 2 || image.channels === 4) pipeline = pipeline.removeAlpha();
  if (width !== image.width || height !== image.height) pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'cubic' });
  const { data, info } = await pipeline.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return { data, width: info.width, height: info.height };
  // A single grey band: spread to three.
  const rgb = Buffer.alloc(info.width * info.height * 3);
  for (let i = 0, j = 0; i < info.width * info.height; i++, j += info.channels) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[j]!;
  return { data: rgb, width: info.width, height: info.height };
}

function luminance(img: Rgb): Float32Array {
  const out = new Float32Array(img.width * img.height);
  for (let i = 0, p = 0; i < out.length; i++, p += 3) out[i] = 0.299 * img.data[p]! + 0.587 * img.data[p + 1]! + 0.114 * img.data[p + 2]!;
  return out;
}

function channel(img: Rgb, c: number): Float32Array {
  const out = new Float32Array(img.width * img.height);
  for (let i = 0, p = c; i < out.length; i++, p += 3) out[i] = img.data[p]!;
  return out;
}

/** Summed-area table with one row and column of zeros in front. */
function integral(values: Float32Array | Uint8Array, width: number, height: number): Float64Array {
  const sums = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x]!;
      sums[(y + 1) * (width + 1) + x + 1] = sums[y * (width + 1) + x + 1]! + row;
    }
  }
  return sums;
}

function boxSum(sums: Float64Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number): number {
  const a = Math.max(0, Math.min(width, x0));
  const b = Math.max(0, Math.min(height, y0));
  const c = Math.max(0, Math.min(width, x1));
  const d = Math.max(0, Math.min(height, y1));
  if (c <= a || d <= b) return 0;
  const w = width + 1;
  return sums[d * w + c]! - sums[b * w + c]! - sums[d * w + a]! + sums[b * w + a]!;
}

/** Mean over a (2r+1)² square, shrinking at the borders. */
function boxBlur(values: Float32Array, width: number, height: number, r: number): Float32Array {
  const sums = integral(values, width, height);
  const out = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const y0 = Math.max(0, y - r);
      const x1 = Math.min(width, x + r + 1);
      const y1 = Math.min(height, y + r + 1);
      out[y * width + x] = boxSum(sums, width, height, x0, y0, x1, y1) / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/** The value below which a fraction `q` of the values lie (0–255 values, to the nearest integer). */
function quantile(values: Iterable<number>, q: number): number {
  const histogram = new Uint32Array(257);
  let n = 0;
  for (const v of values) {
    histogram[Math.max(0, Math.min(256, Math.round(v)))]!++;
    n++;
  }
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v]!;
    if (seen > q * n) return v;
  }
  return 256;
}

/**
 * The dark level of the frame (its darkest corner: a field cut by the frame
 * may light the others) and the level of its lit part: a pixel is lit above
 * a threshold between them.
 */
function litThreshold(values: Float32Array, width: number, height: number): number {
  const patch = Math.max(2, Math.round(Math.min(width, height) * 0.04));
  let dark = Infinity;
  for (const [x0, y0] of [
    [0, 0],
    [width - patch, 0],
    [0, height - patch],
    [width - patch, height - patch],
  ] as const) {
    const corner: number[] = [];
    for (let y = y0; y < y0 + patch; y++) for (let x = x0; x < x0 + patch; x++) corner.push(values[y * width + x]!);
    dark = Math.min(dark, quantile(corner, 0.5));
  }
  const bright = quantile(values, 0.95);
  return dark + Math.max(6, 0.12 * (bright - dark));
}

type Field = FieldMeasures;

function litMask(values: Float32Array, width: number, height: number, threshold = litThreshold(values, width, height)): { mask: Uint8Array; count: number } {
  const mask = new Uint8Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > threshold) {
      mask[i] = 1;
      count++;
    }
  }
  return { mask, count };
}

/** The largest 4-connected lit region, with its holes filled (a dark macula, a lesion). */
function mainRegion(lit: Uint8Array, width: number, height: number): Uint8Array {
  const label = new Int32Array(lit.length);
  const stack = new Int32Array(lit.length);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < lit.length; start++) {
    if (!lit[start] || label[start]) continue;
    next++;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    label[start] = next;
    while (top > 0) {
      const i = stack[--top]!;
      size++;
      const x = i % width;
      for (let k = 0; k < 4; k++) {
        const n = k === 0 ? (x > 0 ? i - 1 : -1) : k === 1 ? (x < width - 1 ? i + 1 : -1) : k === 2 ? i - width : i + width;
        if (n < 0 || n >= lit.length || !lit[n] || label[n]) continue;
        label[n] = next;
        stack[top++] = n;
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = next;
    }
  }
  // Fill holes: what the frame's border cannot reach through unlit pixels is inside the region.
  const outside = new Uint8Array(lit.length);
  let top = 0;
  const push = (i: number) => {
    if (label[i] === best || outside[i]) return;
    outside[i] = 1;
    stack[top++] = i;
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % width;
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
    if (i >= width) push(i - width);
    if (i < lit.length - width) push(i + width);
  }
  const region = new Uint8Array(lit.length);
  for (let i = 0; i < lit.length; i++) region[i] = best !== 0 && !outside[i] ? 1 : 0;
  return region;
}

/** A small deterministic generator: the same image always gives the same measures. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function circleThrough(a: readonly [number, number], b: readonly [number, number], c: readonly [number, number]): { x: number; y: number; r: number } | null {
  const d = 2 * (a[0] * (b[1] - c[1]) + b[0] * (c[1] - a[1]) + c[0] * (a[1] - b[1]));
  if (Math.abs(d) < 1e-9) return null;
  const a2 = a[0] ** 2 + a[1] ** 2;
  const b2 = b[0] ** 2 + b[1] ** 2;
  const c2 = c[0] ** 2 + c[1] ** 2;
  const x = (a2 * (b[1] - c[1]) + b2 * (c[1] - a[1]) + c2 * (a[1] - b[1])) / d;
  const y = (a2 * (c[0] - b[0]) + b2 * (a[0] - c[0]) + c2 * (b[0] - a[0])) / d;
  return { x, y, r: Math.hypot(a[0] - x, a[1] - y) };
}

/** Least-squares circle (Kåsa) through points. */
function fitCircle(points: readonly (readonly [number, number])[]): { x: number; y: number; r: number } | null {
  // Solve [x y 1]·[D E F] = -(x²+y²) in the least-squares sense.
  let sxx = 0, sxy = 0, sx = 0, syy = 0, sy = 0, n = 0, sxz = 0, syz = 0, sz = 0;
  for (const [x, y] of points) {
    const z = -(x * x + y * y);
    sxx += x * x; sxy += x * y; sx += x; syy += y * y; sy += y; n++;
    sxz += x * z; syz += y * z; sz += z;
  }
  const m = [
    [sxx, sxy, sx, sxz],
    [sxy, syy, sy, syz],
    [sx, sy, n, sz],
  ];
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let row = col + 1; row < 3; row++) if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    if (Math.abs(m[pivot]![col]!) < 1e-9) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = 0; row < 3; row++) {
      if (row === col) continue;
      const f = m[row]![col]! / m[col]![col]!;
      for (let k = col; k < 4; k++) m[row]![k]! -= f * m[col]![k]!;
    }
  }
  const D = m[0]![3]! / m[0]![0]!;
  const E = m[1]![3]! / m[1]![1]!;
  const F = m[2]![3]! / m[2]![2]!;
  const x = -D / 2;
  const y = -E / 2;
  const r2 = x * x + y * y - F;
  return r2 > 0 ? { x, y, r: Math.sqrt(r2) } : null;
}

/**
 * The camera's round field: the lit region's edge against the dark surround
 * (not the frame's border), fitted with a circle that tolerates a dark
 * crescent or a notch. Null when the edge is too short or no circle fits it.
 */
function findField(values: Float32Array, width: number, height: number, lit: { mask: Uint8Array }, threshold: number): Field | null {
  const region = mainRegion(lit.mask, width, height);
  const edge: [number, number][] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!region[i]) continue;
      if (!region[i - 1] || !region[i + 1] || !region[i - width] || !region[i + width]) edge.push([x + 0.5, y + 0.5]);
    }
  }
  const size = Math.max(width, height);
  if (edge.length < size * 0.1) return null;
  const random = prng(edge.length);
  let best: { x: number; y: number; r: number } | null = null;
  let bestInliers = 0;
  for (let k = 0; k < 400; k++) {
    const a = edge[Math.floor(random() * edge.length)]!;
    const b = edge[Math.floor(random() * edge.length)]!;
    const c = edge[Math.floor(random() * edge.length)]!;
    const circle = circleThrough(a, b, c);
    if (!circle || circle.r < size * 0.15 || circle.r > size * 0.8) continue;
    if (circle.x < -circle.r * 0.5 || circle.x > width + circle.r * 0.5 || circle.y < -circle.r * 0.5 || circle.y > height + circle.r * 0.5) continue;
    const tolerance = Math.max(1.5, circle.r * 0.02);
    let inliers = 0;
    for (let i = 0; i < edge.length; i += 2) if (Math.abs(Math.hypot(edge[i]![0] - circle.x, edge[i]![1] - circle.y) - circle.r) < tolerance) inliers++;
    if (inliers > bestInliers) {
      bestInliers = inliers;
      best = circle;
    }
  }
  if (!best) return null;
  let circle = best;
  for (let round = 0; round < 2; round++) {
    const tolerance = Math.max(1.5, circle.r * 0.02);
    const inliers = edge.filter(([x, y]) => Math.abs(Math.hypot(x - circle.x, y - circle.y) - circle.r) < tolerance);
    const refined = inliers.length >= 10 ? fitCircle(inliers) : null;
    if (refined) circle = refined;
  }
  const tolerance = Math.max(1.5, circle.r * 0.02);
  const inliers = edge.filter(([x, y]) => Math.abs(Math.hypot(x - circle.x, y - circle.y) - circle.r) < tolerance);
  const onCircle = inliers.length;
  // The arc found must be a real part of a circle, not a few points of a straight edge.
  if (onCircle < circle.r * 0.3) return null;

  let outside = 0;
  let darkOutside = 0;
  let insideFrame = 0;
  let litInside = 0;
  const r2 = circle.r ** 2;
  const beyond2 = (circle.r * 1.04) ** 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d2 = (x + 0.5 - circle.x) ** 2 + (y + 0.5 - circle.y) ** 2;
      if (d2 <= r2) {
        insideFrame++;
        if (lit.mask[y * width + x]) litInside++;
      }
      else if (d2 > beyond2) {
        outside++;
        if (values[y * width + x]! <= threshold) darkOutside++;
      }
    }
  }
  return {
    cx: circle.x / width,
    cy: circle.y / height,
    r: circle.r / width,
    circleFit: perimeterSupport(circle, inliers, width, height),
    darkSurround: outside < 0.02 * width * height ? null : darkOutside / outside,
    coverage: Math.min(1, insideFrame / (Math.PI * circle.r * circle.r)),
    litShare: insideFrame === 0 ? 0 : litInside / insideFrame,
  };
}

/**
 * How much of the circle's perimeter inside the frame has an edge point on
 * it (in one-degree steps): near 1 for a camera's round field, however
 * ragged the rest of the lit area's edge (a dark crescent, noise); low for
 * a circle that chance fitted through a few edge points.
 */
function perimeterSupport(circle: { x: number; y: number; r: number }, inliers: readonly (readonly [number, number])[], width: number, height: number): number {
  const seen = new Uint8Array(360);
  for (const [x, y] of inliers) seen[Math.floor(((Math.atan2(y - circle.y, x - circle.x) * 180) / Math.PI + 360) % 360)] = 1;
  let inFrame = 0;
  let supported = 0;
  for (let degree = 0; degree < 360; degree++) {
    const angle = ((degree + 0.5) * Math.PI) / 180;
    const x = circle.x + circle.r * Math.cos(angle);
    const y = circle.y + circle.r * Math.sin(angle);
    if (x < 2 || y < 2 || x > width - 2 || y > height - 2) continue;
    inFrame++;
    supported += seen[degree]!;
  }
  return inFrame < 30 ? 0 : supported / inFrame;
}

/** Pixels inside the field's circle (shrunk by `shrink`), or the whole frame when there is no field. */
function fieldMask(width: number, height: number, field: Field | null, shrink: number): { mask: Uint8Array; count: number } {
  const mask = new Uint8Array(width * height);
  let count = 0;
  const cx = field ? field.cx * width : 0;
  const cy = field ? field.cy * height : 0;
  const r2 = field ? (field.r * width * shrink) ** 2 : 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = field === null || (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r2;
      if (inside) {
        mask[y * width + x] = 1;
        count++;
      }
    }
  }
  return { mask, count };
}

function and(a: { mask: Uint8Array }, b: { mask: Uint8Array }): { mask: Uint8Array; count: number } {
  const mask = new Uint8Array(a.mask.length);
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    if (a.mask[i] && b.mask[i]) {
      mask[i] = 1;
      count++;
    }
  }
  return { mask, count };
}

function meanColour(img: Rgb, mask: Uint8Array): FundusMeasures['colour'] {
  let r = 0, g = 0, b = 0, n = 0;
  for (let i = 0, p = 0; i < mask.length; i++, p += 3) {
    if (!mask[i]) continue;
    r += img.data[p]!; g += img.data[p + 1]!; b += img.data[p + 2]!; n++;
  }
  n = Math.max(1, n);
  r /= n; g /= n; b /= n;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  let hue = 0;
  if (max - min > 1e-6) {
    if (max === r) hue = 60 * (((g - b) / (max - min)) % 6);
    else if (max === g) hue = 60 * ((b - r) / (max - min) + 2);
    else hue = 60 * ((r - g) / (max - min) + 4);
  }
  if (hue < 0) hue += 360;
  return { red: round(r, 1), green: round(g, 1), blue: round(b, 1), hue: round(hue, 1), saturation: round(max === 0 ? 0 : (max - min) / max) };
}

/**
 * Relative high-frequency energy of the green channel inside the field, at a
 * scale where the field is `SHARPNESS_FIELD` px across (or the image's own,
 * when smaller: it is never enlarged). `fieldWidthFraction`: the field's
 * diameter over the image's width.
 */
async function measureSharpness(image: DecodedImage, field: Field | null, fieldWidthFraction: number): Promise<{ sharpness: number; focus: number }> {
  const diameter = fieldWidthFraction * image.width;
  const img = await resized(image, SHARPNESS_FIELD / Math.max(1, diameter));
  const { width, height } = img;
  const green = channel(img, 1);
  const blurred = boxBlur(boxBlur(green, width, height, 1), width, height, 2);
  const coarse = boxBlur(blurred, width, height, 5);
  const lit = litMask(boxBlur(luminance(img), width, height, 2), width, height);
  // Away from the field's rim (and the edge of any dark part), where the step from lit to dark is no detail.
  const inner = erode(and(fieldMask(width, height, field, 0.9), lit).mask, width, height, Math.max(2, Math.round(diameter > 0 ? 0.02 * Math.min(diameter, SHARPNESS_FIELD) : 4)));
  let fine = 0;
  let next = 0;
  let level = 0;
  for (let i = 0; i < green.length; i++) {
    if (!inner[i]) continue;
    fine += Math.abs(green[i]! - blurred[i]!);
    next += Math.abs(blurred[i]! - coarse[i]!);
    level += green[i]!;
  }
  if (level === 0 || next === 0) return { sharpness: 0, focus: 0 };
  // Defocus takes the finest scale first: detail whose finest scale carries less than the next is discounted.
  const focus = fine / next;
  return { sharpness: ((100 * fine) / level) * Math.min(1, focus) ** 2, focus };
}

function erode(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const sums = integral(mask, width, height);
  const out = new Uint8Array(mask.length);
  const full = (2 * r + 1) ** 2;
  for (let y = r; y < height - r; y++) {
    for (let x = r; x < width - r; x++) {
      if (boxSum(sums, width, height, x - r, y - r, x + r + 1, y + r + 1) === full) out[y * width + x] = 1;
    }
  }
  return out;
}

/**
 * The optic disc: the brightest compact blob of disc size (about a fifth of
 * the field's radius across) within 0.45 radii above or below the field's
 * centre, found as the largest difference between a square's mean and its
 * surrounding ring's, in standard deviations of the field's (evened)
 * brightness.
 */
async function findDisc(image: DecodedImage, field: Field): Promise<DiscMeasures | null> {
  const diameter = 2 * field.r * image.width;
  const img = await resized(image, DISC_FIELD / Math.max(1, diameter));
  const { width, height } = img;
  const cx = field.cx * width;
  const cy = field.cy * height;
  const r = field.r * width;
  // Brightness (the largest channel), over the field's own light around each point: vignetting and an
  // unevenly lit field are divided away, and what is left bright is compact and locally brighter.
  const bright = new Float32Array(width * height);
  for (let i = 0, p = 0; i < bright.length; i++, p += 3) bright[i] = Math.max(img.data[p]!, img.data[p + 1]!, img.data[p + 2]!);
  const inField = and(fieldMask(width, height, field, 0.97), litMask(bright, width, height)).mask;
  const background = Math.max(2, Math.round(0.3 * r));
  const lightSum = boxBlur(Float32Array.from(bright, (v, i) => v * inField[i]!), width, height, background);
  const lightShare = boxBlur(Float32Array.from(inField), width, height, background);
  for (let i = 0; i < bright.length; i++) bright[i] = lightShare[i]! > 0.05 && lightSum[i]! > 0 ? (100 * bright[i]!) / (lightSum[i]! / lightShare[i]!) : 0;
  const weighted = new Float32Array(bright.length);
  let sum = 0, sum2 = 0, n = 0;
  for (let i = 0; i < bright.length; i++) {
    if (!inField[i]) continue;
    weighted[i] = bright[i]!;
    sum += bright[i]!; sum2 += bright[i]! ** 2; n++;
  }
  if (n < 100) return null;
  const spread = Math.sqrt(Math.max(1e-6, sum2 / n - (sum / n) ** 2));
  const values = integral(weighted, width, height);
  const counts = integral(inField, width, height);
  const inner = Math.max(2, Math.round(0.1 * r));
  const outer = Math.max(inner + 2, Math.round(0.25 * r));
  let best = { score: -Infinity, x: 0, y: 0 };
  const sides = { left: -Infinity, right: -Infinity };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) > r * 0.92 || !inField[y * width + x]) continue;
      // In a macula-centred photograph the disc lies near the horizontal through the centre.
      if (Math.abs(y + 0.5 - cy) > 0.45 * r) continue;
      const ni = boxSum(counts, width, height, x - inner, y - inner, x + inner + 1, y + inner + 1);
      if (ni < 0.8 * (2 * inner + 1) ** 2) continue;
      const si = boxSum(values, width, height, x - inner, y - inner, x + inner + 1, y + inner + 1);
      const no = boxSum(counts, width, height, x - outer, y - outer, x + outer + 1, y + outer + 1) - ni;
      if (no < 0.4 * ((2 * outer + 1) ** 2 - (2 * inner + 1) ** 2)) continue;
      const so = boxSum(values, width, height, x - outer, y - outer, x + outer + 1, y + outer + 1) - si;
      const score = (si / ni - so / no) / spread;
      if (score > best.score) best = { score, x: x + 0.5, y: y + 0.5 };
      if (x + 0.5 < cx - 0.1 * r) sides.left = Math.max(sides.left, score);
      if (x + 0.5 > cx + 0.1 * r) sides.right = Math.max(sides.right, score);
    }
  }
  if (!Number.isFinite(best.score)) return null;
  const x = (best.x - cx) / r;
  const other = x > 0 ? sides.left : sides.right;
  return { x: round(x), y: round((best.y - cy) / r), prominence: round(best.score, 2), otherSide: round(Number.isFinite(other) ? other : 0, 2) };
}
