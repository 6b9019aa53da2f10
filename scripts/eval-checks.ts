/**
 * How often the automatic image checks are right: `npm run eval:checks -- <folder>`.
 *
 * The folder holds photographs (in it or in `images/`) and `labels.csv` with
 * at least the columns `file`, `eye` (`OD`, `OS`, `unknown`; `na` for a
 * picture that is not a fundus photograph) and `quality` (`good`, `usable`,
 * `reject`, `unknown`). Each photograph goes through what the image worker
 * does (one decode, the measures, the rules, with the thresholds of the
 * settings in the environment). The script also makes, from each fundus
 * photograph, degraded copies whose right answer it knows (blurred, under-
 * and over-exposed, half cut off, mirrored, red-free grey) and pictures that
 * are not fundus photographs (a landscape, a document, an OCT-like scan, a
 * face, an orange ball on black, noise, a black frame, skin). It prints one
 * table (per check: how many, accuracy, what fails) and every failure.
 *
 * Options: `--no-degraded` (only the folder), `--json <file>` (every result),
 * `--shows-other-eye <file,file,…>`: photographs whose optic disc lies on the
 * other eye's side than their label says (EyePACS publishes some photographs
 * inverted, as seen through a condensing lens); laterality is then also
 * counted against what each photograph shows (and so are the copies
 * always: a mirrored copy shows the other eye than the photograph it comes
 * from).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../src/config.js';
import { type QualityVerdict, type StoredImageChecks, judgeImage } from '../src/domain/image-checks.js';
import { measureFundus } from '../src/media/fundus-analysis.js';
import { renderImage } from '../src/media/preview-renderer.js';

type Eye = 'od' | 'os';
interface Expected {
  readonly fundus: boolean;
  /** null: not known (not scored). */
  readonly eye: Eye | null;
  /** The eye the photograph shows, where it differs from the label (`--shows-other-eye`). */
  readonly shownEye: Eye | null;
  readonly quality: QualityVerdict | null;
}
interface Sample {
  readonly name: string;
  readonly group: 'real' | 'degraded' | 'generated';
  readonly kind: string;
  readonly expected: Expected;
  readonly bytes: () => Promise<Buffer>;
}
interface Result {
  readonly sample: Sample;
  readonly checks: StoredImageChecks | null;
  readonly error: string | null;
  readonly ms: number;
}

const args = process.argv.slice(2);
const VALUED = ['--json', '--shows-other-eye'];
const folder = args.find((a, i) => !a.startsWith('--') && !VALUED.includes(args[i - 1] ?? ''));
if (!folder) {
  console.error('usage: npm run eval:checks -- <folder with labels.csv> [--no-degraded] [--json results.json] [--shows-other-eye a.jpg,b.jpg]');
  process.exit(2);
}
const showsOtherEye = new Set(args.includes('--shows-other-eye') ? (args[args.indexOf('--shows-other-eye') + 1] ?? '').split(',').map((f) => f.trim()) : []);
const otherEye = (eye: Eye | null): Eye | null => (eye === null ? null : eye === 'od' ? 'os' : 'od');
const withDegraded = !args.includes('--no-degraded');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const config = loadConfig();
sharp.concurrency(1);
sharp.cache(false);

/** A minimal CSV reader: quoted fields with commas and doubled quotes. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  const [header, ...body] = rows.filter((r) => r.some((f) => f.trim() !== ''));
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}

async function findFile(name: string): Promise<string> {
  for (const candidate of [path.join(folder!, 'images', name), path.join(folder!, name)]) {
    try {
      await fs.access(candidate);
      return candidate;
    } catch {
      // try the next place
    }
  }
  throw new Error(`${name} is named in labels.csv but is in neither ${folder} nor its images/`);
}

function expectedOf(label: Record<string, string>): Expected {
  const eye = (label.eye ?? '').toLowerCase();
  const quality = (label.quality ?? '').toLowerCase();
  const labelled = eye === 'od' || eye === 'os' ? eye : null;
  return {
    fundus: eye !== 'na',
    eye: labelled,
    shownEye: showsOtherEye.has(label.file ?? '') ? otherEye(labelled) : labelled,
    quality: quality === 'good' || quality === 'usable' || quality === 'reject' ? quality : null,
  };
}

const jpeg = (pipeline: sharp.Sharp) => pipeline.jpeg({ quality: 92 }).toBuffer();

/** Copies whose right answer follows from the original's labels. */
function degradedCopies(name: string, file: string, expected: Expected): Sample[] {
  const base = name.replace(/\.[a-z]+$/i, '');
  const upright = async () => {
    const { data, info } = await sharp(await fs.readFile(file)).rotate().toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, info };
  };
  const from = (data: Buffer, info: sharp.OutputInfo) => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels as 3 } });
  const copy = (kind: string, exp: Partial<Expected>, make: (data: Buffer, info: sharp.OutputInfo) => Promise<Buffer>): Sample => ({
    name: `${base}~${kind}`,
    group: 'degraded',
    kind,
    expected: { ...expected, ...exp },
    bytes: async () => {
      const { data, info } = await upright();
      return make(data, info);
    },
  });
  return [
    // Out of focus: a blur of about 0.6 % of the picture's width (18 px at 3000 px) hides small vessels and microaneurysms.
    copy('blur', { quality: 'reject' }, (d, i) => jpeg(from(d, i).blur(Math.max(1.5, i.width * 0.006)))),
    // Two and a half stops under: a fifth of the light.
    copy('dark', { quality: 'reject' }, (d, i) => jpeg(from(d, i).linear(0.2, 0))),
    // Two stops over: four times the light, clipped.
    copy('bright', { quality: 'reject' }, (d, i) => jpeg(from(d, i).linear(4, 0))),
    // Half the picture cut away (the right half): half the field is missing; which eye cannot be said.
    copy('half', { quality: 'reject', eye: null, shownEye: null }, (d, i) => jpeg(from(d, i).extract({ left: 0, top: 0, width: Math.max(1, Math.round(i.width / 2)), height: i.height }))),
    // Mirrored left to right: the disc changes side, so the anatomy says the other eye.
    copy('mirror', { eye: otherEye(expected.eye), shownEye: otherEye(expected.shownEye) }, (d, i) => jpeg(from(d, i).flop())),
    // Red-free (grey), as some cameras take them: still a fundus photograph of the same eye.
    copy('grey', {}, (d, i) => jpeg(from(d, i).greyscale())),
  ];
}

/** Pictures that are not fundus photographs, drawn here (no outside data). */
function generatedNegatives(): Sample[] {
  const W = 1600;
  const H = 1200;
  const svg = (body: string) => sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${body}</svg>`));
  const random = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pictures: Record<string, () => Promise<Buffer>> = {
    landscape: () =>
      jpeg(
        svg(`<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b7fd4"/><stop offset="1" stop-color="#e8f1fb"/></linearGradient></defs>
        <rect width="${W}" height="${H}" fill="url(#s)"/><circle cx="1200" cy="260" r="90" fill="#fff3b0"/>
        <path d="M0 800 Q 400 600 800 780 T 1600 720 V 1200 H 0 Z" fill="#4f8a3a"/><path d="M0 950 Q 500 850 1000 960 T 1600 930 V 1200 H 0 Z" fill="#2f6b2a"/>`),
      ),
    document: () => {
      const rnd = random(3);
      let lines = '';
      for (let y = 120; y < H - 100; y += 42) lines += `<rect x="140" y="${y}" width="${Math.round(900 + rnd() * 400)}" height="14" fill="#222"/>`;
      return jpeg(svg(`<rect width="${W}" height="${H}" fill="#f7f5ef"/>${lines}`));
    },
    oct: () => {
      const rnd = random(5);
      let layers = '';
      for (let k = 0; k < 6; k++) layers += `<path d="M0 ${520 + k * 28} Q 800 ${620 + k * 28} 1600 ${510 + k * 28}" stroke="rgb(${200 - k * 25},${200 - k * 25},${200 - k * 25})" stroke-width="${10 + rnd() * 14}" fill="none"/>`;
      return jpeg(svg(`<rect width="${W}" height="${H}" fill="#050505"/>${layers}`));
    },
    face: () =>
      jpeg(
        svg(`<rect width="${W}" height="${H}" fill="#dfe6ee"/><ellipse cx="800" cy="620" rx="330" ry="430" fill="#e9b48f"/>
        <ellipse cx="680" cy="540" rx="50" ry="28" fill="#fff"/><ellipse cx="920" cy="540" rx="50" ry="28" fill="#fff"/>
        <circle cx="680" cy="540" r="20" fill="#4a3222"/><circle cx="920" cy="540" r="20" fill="#4a3222"/>
        <path d="M700 800 Q 800 860 900 800" stroke="#a0524a" stroke-width="14" fill="none"/>`),
      ),
    orange_ball: () =>
      jpeg(
        svg(`<defs><radialGradient id="b" cx="0.4" cy="0.4" r="0.7"><stop offset="0" stop-color="#ffb070"/><stop offset="1" stop-color="#a8380c"/></radialGradient></defs>
        <rect width="${W}" height="${H}" fill="#000"/><circle cx="800" cy="600" r="540" fill="url(#b)"/>`),
      ),
    noise: async () => {
      const rnd = random(7);
      const data = Buffer.alloc(W * H * 3);
      for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256);
      return jpeg(sharp(data, { raw: { width: W, height: H, channels: 3 } }));
    },
    black_frame: async () => {
      const rnd = random(11);
      const data = Buffer.alloc(W * H * 3);
      for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 6);
      return jpeg(sharp(data, { raw: { width: W, height: H, channels: 3 } }));
    },
    skin: async () => {
      const rnd = random(13);
      const data = Buffer.alloc(W * H * 3);
      for (let p = 0; p < W * H; p++) {
        const g = rnd() * 30;
        data[3 * p] = 200 + g * 0.8;
        data[3 * p + 1] = 130 + g;
        data[3 * p + 2] = 110 + g;
      }
      return jpeg(sharp(data, { raw: { width: W, height: H, channels: 3 } }).blur(2));
    },
  };
  return Object.entries(pictures).map(([kind, bytes]) => ({ name: `generated-${kind}`, group: 'generated', kind, expected: { fundus: false, eye: null, shownEye: null, quality: null }, bytes }));
}

async function run(sample: Sample): Promise<Result> {
  const started = performance.now();
  try {
    const rendered = await renderImage(await sample.bytes(), config.intake.maxImagePixels);
    const measures = await measureFundus(rendered.pixels, rendered.original);
    return { sample, checks: judgeImage(measures, config.checks), error: null, ms: performance.now() - started };
  } catch (error) {
    return { sample, checks: null, error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
  }
}

interface Row {
  readonly check: string;
  readonly set: string;
  readonly n: number;
  readonly right: number;
  readonly note?: string;
  readonly fails: string[];
}

function tally(check: string, set: string, results: readonly Result[], score: (r: Result) => { right: boolean; got: string; want: string } | null, note?: string): Row {
  let n = 0;
  let right = 0;
  const fails: string[] = [];
  for (const r of results) {
    const s = score(r);
    if (s === null) continue;
    n++;
    if (s.right) right++;
    else fails.push(`${r.sample.name}: ${s.got}, expected ${s.want}`);
  }
  return { check, set, n, right, note, fails };
}

const gradable = (q: QualityVerdict) => (q === 'reject' ? 'ungradable' : 'gradable');

/** Quality without the resolution measure: the worst of the others. */
function qualityWithoutResolution(c: StoredImageChecks): QualityVerdict {
  const order: QualityVerdict[] = ['good', 'usable', 'reject'];
  return Object.entries(c.quality.measures)
    .filter(([name]) => name !== 'resolution')
    .map(([, m]) => m.verdict)
    .reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), 'good');
}

async function main(): Promise<void> {
  const labels = parseCsv(await fs.readFile(path.join(folder!, 'labels.csv'), 'utf8'));
  const samples: Sample[] = [];
  for (const label of labels) {
    const name = label.file;
    if (!name) continue;
    const file = await findFile(name);
    const expected = expectedOf(label);
    samples.push({ name, group: 'real', kind: label.dataset ?? '', expected, bytes: () => fs.readFile(file) });
    if (withDegraded && expected.fundus) samples.push(...degradedCopies(name, file, expected));
  }
  if (withDegraded) samples.push(...generatedNegatives());

  const results: Result[] = [];
  for (const [i, sample] of samples.entries()) {
    results.push(await run(sample));
    process.stderr.write(`\r${i + 1}/${samples.length} ${sample.name}`.padEnd(60));
  }
  process.stderr.write('\n');

  const of = (group: Sample['group'], kinds?: readonly string[]) => results.filter((r) => r.sample.group === group && (!kinds || kinds.includes(r.sample.kind)));
  const fundusScore = (r: Result) => {
    const got = r.checks?.fundus.verdict ?? `unreadable (${r.error})`;
    const want = r.sample.expected.fundus ? 'fundus' : 'not_fundus';
    return { right: got === want, got: `${got}${r.checks ? ` (${r.checks.fundus.reason})` : ''}`, want };
  };
  const gradableScore = (q: (c: StoredImageChecks) => QualityVerdict) => (r: Result) => {
    if (!r.sample.expected.fundus || r.sample.expected.quality === null || !r.checks) return null;
    const got = q(r.checks);
    return { right: gradable(got) === gradable(r.sample.expected.quality), got: `${got} (${r.checks.quality.reason})`, want: r.sample.expected.quality };
  };
  const gradesScore = (q: (c: StoredImageChecks) => QualityVerdict) => (r: Result) => {
    if (!r.sample.expected.fundus || r.sample.expected.quality === null || !r.checks) return null;
    const got = q(r.checks);
    return { right: got === r.sample.expected.quality, got: `${got} (${r.checks.quality.reason})`, want: r.sample.expected.quality };
  };
  const eyeScore = (r: Result, shown = false) => {
    const want = shown ? r.sample.expected.shownEye : r.sample.expected.eye;
    if (want === null || !r.checks) return null;
    const got = r.checks.laterality.eye;
    return { right: got === want, got: got === null ? `not named (${r.checks.laterality.reason})` : `${got} (${r.checks.laterality.reason})`, want };
  };
  const eyeNamedScore = (r: Result, shown = false) => {
    const want = shown ? r.sample.expected.shownEye : r.sample.expected.eye;
    if (want === null || !r.checks || r.checks.laterality.eye === null) return null;
    return { right: r.checks.laterality.eye === want, got: r.checks.laterality.eye, want };
  };
  const shownRows =
    showsOtherEye.size === 0
      ? []
      : [
          tally('Laterality: right, of all, against what the photograph shows', 'real, OD/OS labels', of('real'), (r) => eyeScore(r, true), `${showsOtherEye.size} labels turned`),
          tally('Laterality: right, of those named, against what the photograph shows', 'real, OD/OS labels', of('real'), (r) => eyeNamedScore(r, true)),
        ];
  const degradations = ['blur', 'dark', 'bright', 'half'];
  const rows: Row[] = [
    tally('Fundus or not', 'real photographs', of('real'), fundusScore),
    ...(withDegraded
      ? [
          tally('Fundus or not', 'degraded copies (blur, dark, bright, half, mirror)', of('degraded', [...degradations, 'mirror']), fundusScore),
          tally('Fundus or not', 'red-free (grey) copies', of('degraded', ['grey']), fundusScore),
          tally('Fundus or not', 'generated non-fundus pictures', of('generated'), fundusScore),
        ]
      : []),
    tally('Quality: gradable or not', 'real, EyeQ grades', of('real'), gradableScore((c) => c.quality.verdict)),
    tally('Quality: gradable or not, resolution left out', 'real, EyeQ grades', of('real'), gradableScore(qualityWithoutResolution), 'the 400×400 crops were graded at full size'),
    tally('Quality: good / usable / reject', 'real, EyeQ grades', of('real'), gradesScore((c) => c.quality.verdict)),
    tally('Quality: good / usable / reject, resolution left out', 'real, EyeQ grades', of('real'), gradesScore(qualityWithoutResolution)),
    ...(withDegraded ? [tally('Quality: reject', 'degraded copies (blur, dark, bright, half)', of('degraded', degradations), (r) => (r.checks ? { right: r.checks.quality.verdict === 'reject', got: `${r.checks.quality.verdict} (${r.checks.quality.reason})`, want: 'reject' } : null))] : []),
    tally('Laterality: right, of all, against the labels', 'real, OD/OS labels', of('real'), (r) => eyeScore(r), 'an eye not named counts as wrong'),
    tally('Laterality: right, of those named, against the labels', 'real, OD/OS labels', of('real'), (r) => eyeNamedScore(r)),
    ...shownRows,
    ...(withDegraded
      ? [
          tally('Laterality: right, of all', 'mirrored copies (the other eye)', of('degraded', ['mirror']), (r) => eyeScore(r, true)),
          tally('Laterality: right, of those named', 'mirrored copies (the other eye)', of('degraded', ['mirror']), (r) => eyeNamedScore(r, true)),
          tally('Laterality: right, of all', 'degraded copies (blur, dark, bright, grey)', of('degraded', ['blur', 'dark', 'bright', 'grey']), (r) => eyeScore(r, true)),
          tally('Laterality: right, of those named', 'degraded copies (blur, dark, bright, grey)', of('degraded', ['blur', 'dark', 'bright', 'grey']), (r) => eyeNamedScore(r, true)),
        ]
      : []),
  ];

  const pct = (row: Row) => (row.n === 0 ? '–' : `${((100 * row.right) / row.n).toFixed(1)} %`);
  console.log('| Check | Images | n | Right | Accuracy | Fails |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    const fails = row.fails.length === 0 ? '' : row.fails.map((f) => f.split(':')[0]).join(', ');
    console.log(`| ${row.check}${row.note ? ` (${row.note})` : ''} | ${row.set} | ${row.n} | ${row.right} | ${pct(row)} | ${fails} |`);
  }
  const named = results.filter((r) => r.sample.group === 'real' && r.sample.expected.eye !== null && r.checks?.laterality.eye);
  const labelled = results.filter((r) => r.sample.group === 'real' && r.sample.expected.eye !== null);
  console.log(`\nLaterality named for ${named.length} of ${labelled.length} labelled real photographs.`);
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  console.log(`Time per image (decode, previews, measures, rules): median ${Math.round(times[times.length >> 1] ?? 0)} ms, slowest ${Math.round(times[times.length - 1] ?? 0)} ms.`);
  console.log('\nFailures:');
  for (const row of rows) for (const fail of row.fails) console.log(`- ${row.check} — ${row.set}: ${fail}`);
  if (jsonOut) {
    await fs.writeFile(jsonOut, JSON.stringify(results.map((r) => ({ name: r.sample.name, group: r.sample.group, expected: r.sample.expected, checks: r.checks, error: r.error, ms: Math.round(r.ms) })), null, 2));
  }
}

await main();
