import { loadSharp } from './libraries.js';

/**
 * A synthetic fundus photograph for the demo case: the orange-red retina
 * with its vignette, the optic disc on the nasal side (the viewer's right for
 * a right eye), the darker macula, vessel arcades leaving the disc and a
 * sensor's grain, so the reader's viewer has something realistic to zoom into.
 * Drawn as SVG and encoded as JPEG by sharp; no patient's image is shipped.
 */
export async function demoFundusJpeg(eye: 'od' | 'os', width = 2048, height = 1536): Promise<Buffer> {
  const cx = width / 2;
  const cy = height / 2;
  const r = Math.min(width, height) * 0.47;
  const side = eye === 'od' ? 1 : -1;
  const disc = { x: cx + side * r * 0.42, y: cy - r * 0.03, r: r * 0.09 };
  const macula = { x: cx - side * r * 0.1, y: cy + r * 0.02 };

  // Arcades: each vessel leaves the disc, arches above or below the macula and thins out.
  const vessel = (dy: number, reach: number, bend: number, w: number, colour: string) => {
    const endX = disc.x - side * r * reach;
    const endY = cy + dy * r;
    const c1x = disc.x - side * r * 0.15;
    const c1y = disc.y + dy * r * bend;
    const c2x = (disc.x + endX) / 2;
    const c2y = endY + dy * r * 0.15;
    return `<path d="M ${disc.x} ${disc.y} C ${c1x} ${c1y}, ${c2x} ${c2y}, ${endX} ${endY}" stroke="${colour}" stroke-width="${w}" fill="none" stroke-linecap="round" opacity="0.85"/>`;
  };
  const vessels = [
    vessel(-0.42, 1.05, 0.9, r * 0.022, '#6d140a'),
    vessel(-0.36, 0.95, 0.7, r * 0.016, '#9c2a14'),
    vessel(0.44, 1.05, 0.9, r * 0.022, '#6d140a'),
    vessel(0.38, 0.95, 0.7, r * 0.016, '#9c2a14'),
    vessel(-0.62, 0.55, 0.8, r * 0.012, '#7d1a0c'),
    vessel(0.64, 0.55, 0.8, r * 0.012, '#7d1a0c'),
    vessel(-0.1, -0.35, 0.3, r * 0.01, '#8a200f'),
    vessel(0.12, -0.35, 0.3, r * 0.01, '#8a200f'),
  ].join('');

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs>
    <radialGradient id="retina" cx="${cx}" cy="${cy}" r="${r}" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="#d8703e"/><stop offset="0.7" stop-color="#bd5326"/><stop offset="0.93" stop-color="#7c2a10"/><stop offset="1" stop-color="#2a0c04"/>
    </radialGradient>
    <radialGradient id="disc" cx="${disc.x}" cy="${disc.y}" r="${disc.r * 1.6}" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="#fff6d8"/><stop offset="0.35" stop-color="#f7dc94"/><stop offset="0.62" stop-color="#eab060"/><stop offset="1" stop-color="#d8703e" stop-opacity="0"/>
    </radialGradient>
    <radialGradient id="macula" cx="${macula.x}" cy="${macula.y}" r="${r * 0.2}" gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="#4a1206" stop-opacity="0.75"/><stop offset="0.4" stop-color="#6e1d0a" stop-opacity="0.35"/><stop offset="1" stop-color="#6e1d0a" stop-opacity="0"/>
    </radialGradient>
    <clipPath id="field"><circle cx="${cx}" cy="${cy}" r="${r}"/></clipPath>
  </defs>
  <rect width="${width}" height="${height}" fill="#000"/>
  <g clip-path="url(#field)">
    <circle cx="${cx}" cy="${cy}" r="${r}" fill="url(#retina)"/>
    <circle cx="${macula.x}" cy="${macula.y}" r="${r * 0.2}" fill="url(#macula)"/>
    ${vessels}
    <circle cx="${disc.x}" cy="${disc.y}" r="${disc.r * 1.6}" fill="url(#disc)"/>
  </g>
</svg>`;
  // A fine grain, as a camera sensor gives (SVG turbulence is far slower to render).
  const grain = Buffer.alloc(width * height);
  let state = eye === 'od' ? 7 : 11;
  for (let i = 0; i < grain.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    grain[i] = 118 + (state >>> 27);
  }
  const sharp = await loadSharp();
  return sharp(Buffer.from(svg))
    .composite([{ input: grain, raw: { width, height, channels: 1 }, blend: 'soft-light' }])
    .jpeg({ quality: 88 })
    .toBuffer();
}
