import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';

/**
 * Property-based fuzzing over real HTTP. One seed per test process: taken
 * from OPENRETINA_FUZZ_SEED when set (to reproduce a failure), else drawn and
 * logged. OPENRETINA_FUZZ_RUNS multiplies every property's run count (1 by
 * default, sized so all fuzz files together stay well under a minute on a
 * 2-core machine with both databases).
 */
const given = process.env.OPENRETINA_FUZZ_SEED;
export const FUZZ_SEED = given !== undefined && given !== '' ? Number(given) : randomInt(0, 2 ** 31 - 1);
if (!Number.isSafeInteger(FUZZ_SEED)) throw new Error(`OPENRETINA_FUZZ_SEED must be an integer, not ${given}`);
const scale = Number(process.env.OPENRETINA_FUZZ_RUNS ?? '1');
if (!(scale > 0)) throw new Error('OPENRETINA_FUZZ_RUNS must be a positive number');

process.stderr.write(`fuzz seed ${FUZZ_SEED} (reproduce with OPENRETINA_FUZZ_SEED=${FUZZ_SEED})\n`);

/** Runs one asynchronous property with the process's seed; a failure names the seed and the shrunk counterexample. */
export async function check<T>(name: string, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, runs: number): Promise<void> {
  const numRuns = Math.max(1, Math.round(runs * scale));
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), { seed: FUZZ_SEED, numRuns, endOnFailure: process.env.OPENRETINA_FUZZ_SHRINK === '0' });
  if (details.failed) {
    const reason = details.errorInstance instanceof Error ? (details.errorInstance.stack ?? details.errorInstance.message) : String(details.errorInstance);
    assert.fail(
      `${name}: property failed after ${details.numRuns} runs (${details.numShrinks} shrinks)\n` +
        `reproduce with OPENRETINA_FUZZ_SEED=${FUZZ_SEED} (path ${details.counterexamplePath})\n` +
        `counterexample: ${fc.stringify(details.counterexample)}\n${reason}`,
    );
  }
}

// ---------------------------------------------------------------------------
// HTTP

export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  /** Header values; an array sends the header once per value. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body?: Buffer | string;
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * Sends one request over a fresh connection to the server under test and
 * reads the whole answer. Bodies are sent as given (broken multipart, NUL
 * bytes, invalid UTF-8): only what Node's client refuses outright (CR or LF
 * in a header) cannot be expressed.
 */
export function send(baseUrl: string, request: RawRequest): Promise<Answer> {
  const url = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: request.method ?? 'POST', path: request.path, agent: false, timeout: 15_000 });
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) req.setHeader(name, value as string | string[]);
    }
    if (body !== undefined && !req.hasHeader('content-length')) req.setHeader('content-length', body.length);
    req.on('timeout', () => req.destroy(new Error(`no answer to ${request.method ?? 'POST'} ${request.path} within 15 s`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(body);
  });
}

/** The answer's JSON body, or a failed assertion naming what came instead. */
export function jsonOf(answer: Answer): Record<string, unknown> {
  assert.match(String(answer.headers['content-type']), /^application\/json\b/, `a JSON answer (${answer.status}: ${answer.text.slice(0, 200)})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    assert.fail(`the ${answer.status} answer is not JSON: ${answer.text.slice(0, 200)}`);
  }
  assert.ok(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed), `a JSON object, not ${answer.text.slice(0, 200)}`);
  return parsed as Record<string, unknown>;
}

/**
 * Never a server error; a refusal is the error envelope
 * `{success: false, content: <message>, error: {code, fields?}}`, a success
 * `{success: true, content}`. Returns the parsed body.
 */
export function assertEnvelope(answer: Answer, allowed: readonly number[]): Record<string, unknown> {
  assert.ok(answer.status < 500, `never a server error: ${answer.status} ${answer.text.slice(0, 300)}`);
  assert.ok(allowed.includes(answer.status), `status ${answer.status} is one of ${allowed.join(', ')}: ${answer.text.slice(0, 300)}`);
  const body = jsonOf(answer);
  if (answer.status < 400) {
    assert.equal(body.success, true, `a success says so: ${answer.text.slice(0, 200)}`);
    assert.ok('content' in body);
    return body;
  }
  assert.deepEqual(Object.keys(body).sort(), ['content', 'error', 'success'], `only the envelope's keys: ${answer.text.slice(0, 300)}`);
  assert.equal(body.success, false);
  assert.ok(typeof body.content === 'string' && body.content.trim() !== '', `a message in content: ${answer.text.slice(0, 300)}`);
  const error = body.error as Record<string, unknown>;
  assert.ok(error !== null && typeof error === 'object' && !Array.isArray(error), `error is an object: ${answer.text.slice(0, 300)}`);
  assert.ok(typeof error.code === 'string' && error.code !== '', 'error.code is a non-empty string');
  for (const key of Object.keys(error)) assert.ok(key === 'code' || key === 'fields', `error has only code and fields, not ${key}`);
  if (error.fields !== undefined) {
    assert.ok(Array.isArray(error.fields) && error.fields.length > 0, 'fields, when given, lists something');
    for (const issue of error.fields as Record<string, unknown>[]) {
      for (const key of ['field', 'rule', 'message']) assert.equal(typeof issue[key], 'string', `every field issue has a ${key}`);
    }
  }
  return body;
}

// ---------------------------------------------------------------------------
// Values that break parsers

/** Text that looks like a number, an id or a boolean but is not exactly one, and other trouble. */
export const TRICKY_TEXTS = [
  '', ' ', '01', '001', '1e0', '1E0', '1.0', '1,0', '+1', '-0', '-1', '0', '0x1', '0b1', '0o1', ' 1', '1 ', '\t1\n', '1_000', '1\u00a0',
  'true', 'false', 'TRUE', 'null', 'undefined', 'NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '4.9e-324',
  '2147483647', '2147483648', '4294967296', '9007199254740991', '9007199254740993', '999999999999999', '9999999999999999', '9'.repeat(40),
  '１', '١', '٣٤', '①', '¹', 'Ⅰ', '\0', '1\0', '\0\0', 'a\0b', '%00', '%', '%zz', '&', '=', '[]', '{}', '[1]', '{"a":1}',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__',
  '\u202e1', '\ufeff1', '\u200b', 'é', 'e\u0301', '🩺', '\ud800', '\udfff', 'Ω'.repeat(101), 'x'.repeat(1025),
  '2020-02-29', '2021-02-29', '1899-12-31', '0000-00-00', '9999-12-31', '2020-01-01T25:61:00Z', '+002020-01-01', '2020-1-1',
  '20/40', '6/0', '0/0', '20 / 20', '1/3', "'; drop table cases; --", '<script>', '${7*7}', '../../etc/passwd', 'C:\\x', '\\\\server\\share',
] as const;

/** Any text: the tricky ones, arbitrary Unicode (graphemes and lone surrogates) and control characters. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_TEXTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 300 }).map(String) },
);

/** A JSON value written out by hand, so number tokens can be spelled as sent (1e0, -0, 1e400) and keys repeat. */
export type JsonText = { readonly raw: string };
export type Json = null | boolean | string | number | JsonText | readonly Json[] | { readonly entries: readonly (readonly [string, Json])[] };

export const NUMBER_TOKENS = ['1e0', '1E+0', '-0', '0.0', '1.0', '10e-1', '1e400', '-1e400', '1e-400', '123456789012345678901234567890', '2147483648', '9007199254740993', '0.30000000000000004'] as const;

export function jsonText(value: Json): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value) ?? 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if ('raw' in value) return value.raw;
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(jsonText).join(',')}]`;
  return `{${(value as { entries: readonly (readonly [string, Json])[] }).entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

/** A leaf JSON value: tricky texts, numbers of every spelling, booleans, null. */
export const jsonLeaf: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: anyText },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 250 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBER_TOKENS).map((raw): Json => ({ raw })) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Any JSON value, nested a little. */
export const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: jsonLeaf },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(anyText, fc.constantFrom('__proto__', 'constructor')), tie('value')), { maxLength: 3 }).map((entries) => ({ entries })) },
  ),
})).value;

/** Ways a JSON text is broken: cut short, a byte added, a BOM, garbage after it. */
export const jsonDamage = fc.oneof(
  { weight: 6, arbitrary: fc.constant((text: string) => text) },
  { weight: 1, arbitrary: fc.nat().map((n) => (text: string) => text.slice(0, n % Math.max(1, text.length))) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(',', '}', ']', '"', '\\', '\0', ':', '{')).map(([n, c]) => (text: string) => text.slice(0, n % (text.length + 1)) + c + text.slice(n % (text.length + 1))) },
  { weight: 1, arbitrary: fc.constantFrom('\ufeff', ' \n\t').map((prefix) => (text: string) => prefix + text) },
  { weight: 1, arbitrary: fc.constantFrom('x', '{}', '\0', ' null').map((suffix) => (text: string) => text + suffix) },
);

/** Percent-encodes every byte of the UTF-8 of a string that is not unreserved (lone surrogates become U+FFFD, as a browser sends them). */
export function formEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A urlencoded body from pairs, with some pairs spelled raw (bad escapes, no "=", "+" for space). */
export function urlencoded(pairs: readonly (readonly [string, string])[], raw: readonly string[] = []): string {
  return [...pairs.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`), ...raw].join('&');
}

export const rawFormPieces = fc.constantFrom('%zz', '%', '%E0%A4', '%ff%fe', 'novalue', '=x', '&', '+', 'a=%00', 'a[b]=1', 'x=1&x=2', '%5F_proto__=1', '__proto__[x]=1');

/** Content types a client may send, and ones it should not. */
export const ODD_CONTENT_TYPES = [
  undefined,
  '',
  'text/plain',
  'application/octet-stream',
  'application/xml',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json;;',
  'application/json, text/plain',
  'application/x-www-form-urlencoded; charset=utf-16',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/mixed; boundary=x',
  '*/*',
  'application/',
  'a/b/c',
  ';',
] as const;

export type Pairs = readonly (readonly [string, Json])[];

/**
 * Bodies near an exactly right one, where defects hide: it as is, one value
 * replaced, one field added, dropped or repeated.
 */
export function around(exact: Pairs, names: fc.Arbitrary<string>, values: fc.Arbitrary<Json>): fc.Arbitrary<Pairs> {
  const at = (i: number, length: number) => (length === 0 ? 0 : i % length);
  return fc.oneof(
    fc.constant(exact),
    fc.tuple(fc.nat(), values).map(([i, v]): Pairs => exact.map((p, j) => (j === at(i, exact.length) ? ([p[0], v] as const) : p))),
    fc.tuple(fc.nat(), names, values).map(([i, n, v]): Pairs => {
      const k = i % (exact.length + 1);
      return [...exact.slice(0, k), [n, v] as const, ...exact.slice(k)];
    }),
    fc.nat().map((i): Pairs => exact.filter((_, j) => j !== at(i, exact.length))),
    fc.nat().map((i): Pairs => (exact.length === 0 ? exact : [...exact, exact[at(i, exact.length)]!])),
  );
}
