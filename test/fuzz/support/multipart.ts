import fc from 'fast-check';
import type { ImageFixtures } from './fuzz-server.js';

/**
 * Multipart bodies as a model (parts with names, file names, types and
 * bytes) written out by hand, so they can be broken at any byte: cut short,
 * bare LF line ends, no closing boundary, a wrong boundary, a part header
 * without its colon, garbage before or after.
 */

export type FileKind = 'jpeg' | 'png' | 'tiff' | 'truncated' | 'huge_png' | 'empty' | 'random' | 'magic_only' | 'text' | 'jpeg_with_tail';
export const GOOD_FILES: readonly FileKind[] = ['jpeg', 'png', 'tiff', 'jpeg_with_tail'];

export interface Part {
  readonly name: string;
  /** A file part (busboy's rule: it has a filename parameter), or a text field. */
  readonly file?: { readonly filename: string; readonly kind: FileKind; readonly contentType: string | undefined };
  readonly value?: string;
}

export interface Fixtures extends ImageFixtures {
  readonly hugePng: Buffer;
}

export function fileBytes(kind: FileKind, fixtures: Fixtures, random: Uint8Array): Buffer {
  switch (kind) {
    case 'jpeg':
      return fixtures.jpeg;
    case 'png':
      return fixtures.png;
    case 'tiff':
      return fixtures.tiff;
    case 'jpeg_with_tail':
      return Buffer.concat([fixtures.jpeg, Buffer.from('trailing bytes after EOI')]);
    case 'truncated':
      return fixtures.jpeg.subarray(0, Math.floor(fixtures.jpeg.length / 2));
    case 'huge_png':
      return fixtures.hugePng;
    case 'empty':
      return Buffer.alloc(0);
    case 'random':
      return Buffer.from(random);
    case 'magic_only':
      return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(random)]);
    case 'text':
      return Buffer.from('this is not a photograph\n');
  }
}

export const FILE_NAMES = ['od.jpg', 'OS.JPG', '', '../../etc/passwd', 'C:\\fakepath\\x.png', 'fundus\u0000.jpg', 'ñandú 👁.tif', 'a"b.jpg', 'x'.repeat(300), '.', '..'];

export const fileKind = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<FileKind>(...GOOD_FILES) },
  { weight: 3, arbitrary: fc.constantFrom<FileKind>('truncated', 'huge_png', 'empty', 'random', 'magic_only', 'text') },
);

export const filePart = (names: fc.Arbitrary<string>): fc.Arbitrary<Part> =>
  fc.record({
    name: names,
    file: fc.record({
      filename: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FILE_NAMES) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) }),
      kind: fileKind,
      contentType: fc.constantFrom(undefined, 'image/jpeg', 'application/octet-stream', 'text/plain', 'image/png; charset=x'),
    }),
  });

/** `"` and line breaks cannot stand in a quoted header parameter; the rest is sent raw, as UTF-8. */
const quoted = (text: string) => text.replace(/["\r\n]/g, '_');

export function encodeMultipart(boundary: string, parts: readonly Part[], fixtures: Fixtures, random: Uint8Array): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.file === undefined ? '' : `; filename="${quoted(part.file.filename)}"`;
    const type = part.file?.contentType === undefined ? '' : `Content-Type: ${part.file.contentType}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(part.name)}"${filename}\r\n${type}\r\n`, 'utf8'));
    chunks.push(part.file === undefined ? Buffer.from(part.value ?? '', 'utf8') : fileBytes(part.file.kind, fixtures, random));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A structural break of an encoded body, and the Content-Type it then travels under. */
export interface Breakage {
  readonly label: string;
  apply(body: Buffer, boundary: string): { body: Buffer; contentType: string };
}

const replaceAll = (body: Buffer, from: string, to: string) => Buffer.from(body.toString('latin1').split(from).join(to), 'latin1');
const ok = (boundary: string) => `multipart/form-data; boundary=${boundary}`;

export const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  fc.nat().map((n): Breakage => ({ label: `cut at ${n}`, apply: (b, s) => ({ body: b.subarray(0, n % Math.max(1, b.length)), contentType: ok(s) }) })),
  fc.constant<Breakage>({ label: 'bare LF', apply: (b, s) => ({ body: replaceAll(b, '\r\n', '\n'), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'no closing boundary', apply: (b, s) => ({ body: replaceAll(b, `--${s}--\r\n`, ''), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'closing boundary only', apply: (_b, s) => ({ body: Buffer.from(`--${s}--\r\n`), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'empty body', apply: (_b, s) => ({ body: Buffer.alloc(0), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'another boundary', apply: (b) => ({ body: b, contentType: ok('not-the-boundary') }) }),
  fc.constant<Breakage>({ label: 'no boundary parameter', apply: (b) => ({ body: b, contentType: 'multipart/form-data' }) }),
  fc.constant<Breakage>({ label: 'quoted boundary', apply: (b, s) => ({ body: b, contentType: `multipart/form-data; boundary="${s}"; charset=utf-8` }) }),
  fc.constant<Breakage>({ label: 'upper-case type', apply: (b, s) => ({ body: b, contentType: `MULTIPART/FORM-DATA; BOUNDARY=${s}` }) }),
  fc.constant<Breakage>({ label: 'multipart/mixed', apply: (b, s) => ({ body: b, contentType: `multipart/mixed; boundary=${s}` }) }),
  fc.constant<Breakage>({ label: 'header without colon', apply: (b, s) => ({ body: replaceAll(b, 'Content-Disposition:', 'Content-Disposition'), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'no disposition', apply: (b, s) => ({ body: replaceAll(b, 'Content-Disposition: form-data; ', 'X-Nothing: '), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'disposition twice', apply: (b, s) => ({ body: replaceAll(b, '\r\nContent-Disposition: ', '\r\nContent-Disposition: form-data; name="age"\r\nContent-Disposition: '), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'RFC 5987 names', apply: (b, s) => ({ body: replaceAll(b, 'filename="', "filename*=UTF-8''%E2%82%AC%00x; filename=\""), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'NUL in part headers', apply: (b, s) => ({ body: replaceAll(b, 'form-data; name="', 'form-data\0; name="'), contentType: ok(s) }) }),
  fc.constant<Breakage>({ label: 'long part header', apply: (b, s) => ({ body: replaceAll(b, 'Content-Disposition: ', `X-Long: ${'h'.repeat(100_000)}\r\nContent-Disposition: `), contentType: ok(s) }) }),
  fc.constantFrom('garbage before\r\n', '\r\n\r\n', '--').map((prefix): Breakage => ({ label: `preamble ${JSON.stringify(prefix)}`, apply: (b, s) => ({ body: Buffer.concat([Buffer.from(prefix), b]), contentType: ok(s) }) })),
  fc.constantFrom('epilogue', `--x--`, '\0\0').map((suffix): Breakage => ({ label: `epilogue ${JSON.stringify(suffix)}`, apply: (b, s) => ({ body: Buffer.concat([b, Buffer.from(suffix)]), contentType: ok(s) }) })),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([n, byte]): Breakage => ({
    label: `byte ${n} set to ${byte}`,
    apply: (b, s) => {
      const copy = Buffer.from(b);
      if (copy.length > 0) copy[n % copy.length] = byte;
      return { body: copy, contentType: ok(s) };
    },
  })),
);

export const BOUNDARIES = ['fuzzboundary', '----WebKitFormBoundary7MA4YWxkTrZu0gW', 'x', 'b'.repeat(70), 'with=equals', "a'b(c)d+e_f,g-h.i/j:k?l"];
