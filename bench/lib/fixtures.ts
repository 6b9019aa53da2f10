/**
 * Synthetic fundus photographs and the multipart body of the benchmarks. The
 * images are generated (never taken from patients or from files outside the repository): a dark
 * frame, an orange-red retina with a vignette, a bright optic disc, a darker
 * macula, vessels, and mild sensor noise tuned so each JPEG weighs what a
 * real fundus camera's does: about 2.5 MB at 15 megapixels (the intake
 * benchmark's default), proportionally less at other sizes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export const IMAGE_WIDTH = 4500;
export const IMAGE_HEIGHT = 3334; // 4500 × 3334 = 15.0 megapixels
export const TARGET_BYTES = 2_500_000;

/** The size of the generated photographs and the JPEG weight aimed at (±8 %). */
export interface FundusSize {
  readonly width: number;
  readonly height: number;
  readonly targetBytes: number;
}

export const INTAKE_SIZE: FundusSize = { width: IMAGE_WIDTH, height: IMAGE_HEIGHT, targetBytes: TARGET_BYTES };
/** 12 megapixels (4000 × 3000), weighted like the 15-megapixel ones per pixel. */
export const READING_SIZE: FundusSize = { width: 4000, height: 3000, targetBytes: 2_000_000 };
/** Bump when the generator changes, so cached files are regenerated. */
const GENERATOR_VERSION = 2;

export interface FundusImage {
  readonly name: string;
  readonly file: string;
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
  readonly quality: number;
  readonly noise: number;
}

interface EyeSpec {
  readonly name: string;
  readonly seed: number;
  /** +1: optic disc right of centre (right eye as photographed), -1: left. */
  readonly side: 1 | -1;
}

const EYES: readonly EyeSpec[] = [
  { name: 'od', seed: 0x0d15c0, side: 1 },
  { name: 'os', seed: 0x05f00d, side: -1 },
  // A second visit's pair, for benchmarks that need four photographs.
  { name: 'od2', seed: 0x0d2bad, side: 1 },
  { name: 'os2', seed: 0x052cab, side: -1 },
];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Raw RGB pixels of one synthetic fundus with noise of standard deviation about `noise` levels. */
function renderRaw(eye: EyeSpec, noise: number, w: number, h: number): Buffer {
  const raw = Buffer.alloc(w * h * 3);
  const random = prng(eye.seed);
  const cx = w / 2;
  const cy = h / 2;
  const radius = 0.62 * h; // the circular field is cropped at top and bottom, as on many cameras
  const discX = cx + eye.side * 0.2 * w;
  const discY = cy - 0.02 * h;
  const discR = 0.075 * h;
  const macX = cx - eye.side * 0.06 * w;
  const macY = cy + 0.01 * h;
  const macR = 0.11 * h;
  // Sum of three uniforms has standard deviation 0.5 per unit: scale accordingly.
  const amplitude = noise * 2;
  let i = 0;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++, i += 3) {
      const dx = x - cx;
      const d = Math.sqrt(dx * dx + dy * dy) / radius;
      if (d > 1) {
        // The black frame: almost no signal, a trace of noise.
        const n = random() < 0.02 ? 1 : 0;
        raw[i] = n;
        raw[i + 1] = n;
        raw[i + 2] = n;
        continue;
      }
      const edge = d > 0.97 ? (1 - d) / 0.03 : 1; // soft rim
      const vignette = (1 - 0.55 * d * d) * edge;
      let r = 190 * vignette + 20 * Math.sin(x / 310 + y / 470);
      let g = 78 * vignette + 8 * Math.sin(x / 190 - y / 260);
      let b = 32 * vignette;
      const ddx = (x - discX) / discR;
      const ddy = (y - discY) / (discR * 1.12);
      const disc = Math.exp(-(ddx * ddx + ddy * ddy) * 1.6);
      r += (252 - r) * disc;
      g += (205 - g) * disc;
      b += (140 - b) * disc;
      const mdx = (x - macX) / macR;
      const mdy = (y - macY) / macR;
      const macula = Math.exp(-(mdx * mdx + mdy * mdy) * 1.2);
      r *= 1 - 0.35 * macula;
      g *= 1 - 0.45 * macula;
      b *= 1 - 0.3 * macula;
      const n = (random() + random() + random() - 1.5) * amplitude * edge;
      raw[i] = clamp(r + n);
      raw[i + 1] = clamp(g + n * 0.8);
      raw[i + 2] = clamp(b + n * 0.6);
    }
  }
  return raw;
}

/** Vessels: dark red curves leaving the disc, as an SVG overlay. */
function vesselsSvg(eye: EyeSpec, w: number, h: number): Buffer {
  const random = prng(eye.seed ^ 0x5eed);
  const discX = w / 2 + eye.side * 0.2 * w;
  const discY = h / 2 - 0.02 * h;
  const radius = 0.62 * h;
  const paths: string[] = [];
  for (let v = 0; v < 14; v++) {
    const angle = (v / 14) * Math.PI * 2 + random() * 0.3;
    let x = discX;
    let y = discY;
    let d = `M${x.toFixed(0)},${y.toFixed(0)}`;
    let heading = angle;
    for (let s = 0; s < 9; s++) {
      heading += (random() - 0.5) * 0.6 - eye.side * 0.08 * Math.sign(Math.cos(angle));
      const step = 120 + random() * 160;
      const nx = x + Math.cos(heading) * step;
      const ny = y + Math.sin(heading) * step;
      d += ` Q${((x + nx) / 2 + (random() - 0.5) * 80).toFixed(0)},${((y + ny) / 2 + (random() - 0.5) * 80).toFixed(0)} ${nx.toFixed(0)},${ny.toFixed(0)}`;
      x = nx;
      y = ny;
    }
    const width = (10 + random() * 14).toFixed(1);
    const colour = v % 2 === 0 ? '#6e1208' : '#8c1c0c';
    paths.push(`<path d="${d}" stroke="${colour}" stroke-width="${width}" stroke-opacity="0.55" fill="none" stroke-linecap="round"/>`);
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><clipPath id="c"><circle cx="${w / 2}" cy="${h / 2}" r="${radius * 0.98}"/></clipPath><filter id="b"><feGaussianBlur stdDeviation="3"/></filter><g clip-path="url(#c)"><g filter="url(#b)">${paths.join('')}</g></g></svg>`,
  );
}

async function encode(eye: EyeSpec, noise: number, quality: number, size: FundusSize): Promise<Buffer> {
  const raw = renderRaw(eye, noise, size.width, size.height);
  return sharp(raw, { raw: { width: size.width, height: size.height, channels: 3 } })
    .composite([{ input: vesselsSvg(eye, size.width, size.height), top: 0, left: 0 }])
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/** The accepted range around a size's target weight. */
function byteRange(size: FundusSize): { min: number; max: number } {
  return { min: Math.round(size.targetBytes * 0.92), max: Math.round(size.targetBytes * 1.08) };
}

/**
 * Searches the noise level giving a JPEG close to the target weight. The size
 * grows about linearly with the noise (≈0.39 MB per level at quality 90 and
 * 15 megapixels), so a few secant steps from a good first guess suffice; each
 * encode takes seconds.
 */
async function generate(eye: EyeSpec, size: FundusSize, log: (line: string) => void): Promise<{ bytes: Buffer; quality: number; noise: number }> {
  const target = size.targetBytes;
  const { min, max } = byteRange(size);
  const quality = 90;
  let best: { bytes: Buffer; noise: number } | null = null;
  let previous: { noise: number; size: number } | null = null;
  let noise = 5.7;
  for (let step = 0; step < 6; step++) {
    const bytes = await encode(eye, noise, quality, size);
    log(`    ${eye.name}: quality ${quality}, noise σ≈${noise.toFixed(2)} → ${(bytes.length / 1e6).toFixed(3)} MB`);
    if (best === null || Math.abs(bytes.length - target) < Math.abs(best.bytes.length - target)) best = { bytes, noise };
    if (Math.abs(bytes.length - target) < target * 0.024) break;
    const scale = (size.width * size.height) / (IMAGE_WIDTH * IMAGE_HEIGHT);
    let slope = 390_000 * scale; // bytes per noise level
    if (previous !== null && previous.noise !== noise) {
      const measured = (bytes.length - previous.size) / (noise - previous.noise);
      if (measured > 50_000 * scale) slope = measured;
    }
    previous = { noise, size: bytes.length };
    noise = Math.min(20, Math.max(0, noise + (target - bytes.length) / slope));
  }
  if (best === null || best.bytes.length < min || best.bytes.length > max) {
    throw new Error(`could not tune ${eye.name} to ${min}–${max} bytes`);
  }
  return { ...best, quality };
}

/** `count` (at most four) test images of `size`, generated once and cached in `cacheDir`. */
export async function loadFundusImages(
  cacheDir: string,
  log: (line: string) => void,
  options: { size?: FundusSize; count?: number } = {},
): Promise<FundusImage[]> {
  const size = options.size ?? INTAKE_SIZE;
  const { width, height } = size;
  const { min, max } = byteRange(size);
  await fs.mkdir(cacheDir, { recursive: true });
  const images: FundusImage[] = [];
  for (const eye of EYES.slice(0, options.count ?? 2)) {
    const file = path.join(cacheDir, `fundus-${eye.name}-${width}x${height}-v${GENERATOR_VERSION}.jpg`);
    const metaFile = `${file}.json`;
    let cached: FundusImage | null = null;
    try {
      const bytes = await fs.readFile(file);
      const meta = JSON.parse(await fs.readFile(metaFile, 'utf8')) as { quality: number; noise: number };
      const info = await sharp(bytes).metadata();
      if (info.width === width && info.height === height && bytes.length >= min && bytes.length <= max) {
        cached = { name: `${eye.name}.jpg`, file, bytes, width, height, quality: meta.quality, noise: meta.noise };
      }
    } catch {
      cached = null;
    }
    if (cached === null) {
      log(`  generating ${path.basename(file)} (first run only)`);
      const made = await generate(eye, size, log);
      await fs.writeFile(file, made.bytes);
      await fs.writeFile(metaFile, JSON.stringify({ quality: made.quality, noise: made.noise }));
      cached = { name: `${eye.name}.jpg`, file, bytes: made.bytes, width, height, quality: made.quality, noise: made.noise };
    }
    images.push(cached);
  }
  return images;
}

export const INTAKE_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['first_name', 'Ana'],
  ['last_name', 'Benchmark'],
  ['gender', '1'],
  ['age', '61'],
  ['diabetes', '1'],
  ['od_iop', '15'],
  ['os_iop', '16'],
  ['visit_date', '2026-11-01'],
];

export interface MultipartBody {
  readonly body: Buffer;
  readonly contentType: string;
  readonly boundary: string;
}

/** One `multipart/form-data` body: the intake fields (and `extraFields`) first, then the images as `images[]`. */
export function buildMultipartBody(
  images: readonly FundusImage[],
  boundary = '----openretina-bench-9f3c1e7a52d4',
  extraFields: ReadonlyArray<readonly [string, string]> = [],
): MultipartBody {
  const marker = Buffer.from(`--${boundary}`);
  for (const image of images) {
    if (image.bytes.includes(marker)) throw new Error(`boundary occurs inside ${image.name}`);
  }
  const parts: Buffer[] = [];
  for (const [name, value] of [...INTAKE_FIELDS, ...extraFields]) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const image of images) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="images[]"; filename="${image.name}"\r\nContent-Type: image/jpeg\r\n\r\n`),
      image.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}`, boundary };
}
