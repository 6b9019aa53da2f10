import { randomFillSync } from 'node:crypto';
import sharp from 'sharp';
import { demoFundusJpeg } from '../../src/media/demo-fundus.js';

/** A fundus-like test picture: a reddish disc with noise, so JPEG sizes are realistic. */
export async function makeImage(
  format: 'jpeg' | 'png' | 'tiff',
  width = 640,
  height = 480,
  options: { quality?: number } = {},
): Promise<Buffer> {
  // One randomFillSync and integer arithmetic: a per-pixel Math.random and
  // Math.hypot took ~0.5 s for a 3000x2000 picture, and previews draw several.
  const noise = Buffer.alloc(width * height * 3);
  randomFillSync(noise);
  const cx = width / 2;
  const cy = height / 2;
  const radius = Math.min(width, height) / 2;
  const radiusSquared = radius * radius;
  for (let y = 0, i = 0; y < height; y++) {
    const dy = y - cy;
    for (let x = 0; x < width; x++, i += 3) {
      const dx = x - cx;
      const inside = dx * dx + dy * dy < radiusSquared;
      // The same grain (0..39) on all three channels, as a sensor's luminance noise.
      const grain = (noise[i]! * 40) >> 8;
      noise[i] = (inside ? 200 : 10) + grain;
      noise[i + 1] = (inside ? 90 : 4) + grain;
      noise[i + 2] = (inside ? 40 : 2) + grain;
    }
  }
  const image = sharp(noise, { raw: { width, height, channels: 3 } });
  if (format === 'jpeg') return image.jpeg({ quality: options.quality ?? 85 }).toBuffer();
  if (format === 'png') return image.png().toBuffer();
  return image.tiff().toBuffer();
}

/** A tiny valid PNG whose header claims `width`×`height` (a decompression bomb's header). */
export async function makePngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer();
  const copy = Buffer.from(png);
  // IHDR data starts at byte 16: width and height as big-endian uint32, then the CRC at 29.
  copy.writeUInt32BE(width, 16);
  copy.writeUInt32BE(height, 20);
  const { crc32 } = await import('node:zlib').then((z) => ({ crc32: (z as unknown as { crc32?: (b: Buffer) => number }).crc32 }));
  copy.writeUInt32BE((crc32 ?? crc32Fallback)(copy.subarray(12, 29)) >>> 0, 29);
  return copy;
}

function crc32Fallback(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The JPEG grown by `extraBytes` of APP15 segments right after its SOI marker:
 * still a valid, complete JPEG, for testing size limits.
 */
export function padJpeg(jpeg: Buffer, extraBytes: number): Buffer {
  const segments: Buffer[] = [];
  let left = extraBytes;
  while (left > 0) {
    const data = Math.min(left, 65533);
    const segment = Buffer.alloc(data + 4);
    segment[0] = 0xff;
    segment[1] = 0xef;
    segment.writeUInt16BE(data + 2, 2);
    segments.push(segment);
    left -= data + 4;
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/** A picture that is not a fundus photograph: a landscape (sky, sun, hills) lit to its borders. */
export async function landscapeJpeg(width = 1600, height = 1200): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b7fd4"/><stop offset="1" stop-color="#e8f1fb"/></linearGradient></defs>
    <rect width="${width}" height="${height}" fill="url(#s)"/><circle cx="${width * 0.75}" cy="${height * 0.22}" r="${height * 0.08}" fill="#fff3b0"/>
    <path d="M0 ${height * 0.66} Q ${width * 0.25} ${height * 0.5} ${width * 0.5} ${height * 0.65} T ${width} ${height * 0.6} V ${height} H 0 Z" fill="#4f8a3a"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** A PNG whose header reads fine (so the intake accepts it) but whose pixel data is garbage: no decoder can read it. */
export async function undecodablePng(): Promise<Buffer> {
  const png = Buffer.from(await makeImage('png', 64, 64));
  const idat = png.indexOf('IDAT');
  for (let i = idat + 4; i < idat + 40; i++) png[i] = 0x55;
  return png;
}

const fundusMade = new Map<string, Promise<Buffer>>();
/**
 * `demoFundusJpeg`, drawn once per test process for each eye and size: a
 * 2400 px one takes seconds of CPU on a loaded machine, and the drawing is
 * deterministic, so a second suite (the other database) gets the same bytes
 * it would have drawn. Callers get a copy they may change.
 */
export async function fundusJpeg(eye: 'od' | 'os', width: number, height: number): Promise<Buffer> {
  const key = `${eye} ${width}x${height}`;
  let made = fundusMade.get(key);
  if (!made) {
    made = demoFundusJpeg(eye, width, height);
    fundusMade.set(key, made);
  }
  return Buffer.from(await made);
}
