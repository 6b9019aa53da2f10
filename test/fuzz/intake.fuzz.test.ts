import '../helpers/setup.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { INTAKE_FIELDS } from '../../src/domain/intake.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makePngClaiming } from '../helpers/images.js';
import { type Json, type Pairs, TRICKY_TEXTS, assertEnvelope, check, formEncode, jsonDamage, jsonText, rawFormPieces, send, urlencoded } from './support/fuzz.js';
import { type FuzzServer, createPendingCase, imageFixtures, startFuzzServer } from './support/fuzz-server.js';
import { NEVER_FIELDS, asJson, intakePairs } from './support/intake-values.js';
import { BOUNDARIES, type Fixtures, GOOD_FILES, type Part, breakage, encodeMultipart, filePart } from './support/multipart.js';
import { type StoreState, assertConsistent, assertUnchanged, imagesOf, storeState } from './support/store-state.js';

/**
 * The intake (`POST /cases` as multipart, urlencoded and JSON, and
 * `POST /cases/{id}/images`) fed malformed forms, files and ids: never a
 * 5xx, always the envelope; a refused request leaves no row and no file;
 * an accepted one stored exactly the images sent and the fields as sent
 * (trimmed); unknown, server-owned and repeated fields are refused.
 */

const CASE_STATUSES = [201, 400, 401, 409, 413, 414, 415, 422];
const IMAGE_STATUSES = [200, 400, 401, 404, 409, 413, 414, 415, 422];

type TokenWay = 'header' | 'field_first' | 'field_last' | 'query' | 'none' | 'header_and_field' | 'malformed';
const tokenWay = fc.oneof(
  { weight: 8, arbitrary: fc.constant<TokenWay>('header') },
  { weight: 3, arbitrary: fc.constantFrom<TokenWay>('field_first', 'field_last', 'query', 'none', 'header_and_field', 'malformed') },
);

/** Where the token goes: headers, query and the form parts around the others. */
function withToken(way: TokenWay, token: string, parts: readonly Part[]): { headers: Record<string, string>; query: string; parts: Part[] } {
  const field: Part = { name: 'access_token', value: token };
  switch (way) {
    case 'header':
      return { headers: { authorization: `Bearer ${token}` }, query: '', parts: [...parts] };
    case 'field_first':
      return { headers: {}, query: '', parts: [field, ...parts] };
    case 'field_last':
      return { headers: {}, query: '', parts: [...parts, field] };
    case 'query':
      return { headers: {}, query: `?access_token=${token}`, parts: [...parts] };
    case 'none':
      return { headers: {}, query: '', parts: [...parts] };
    case 'header_and_field':
      return { headers: { authorization: `Bearer ${token}` }, query: '', parts: [field, ...parts] };
    case 'malformed':
      return { headers: { authorization: `Bearer ${token}!` }, query: '', parts: [...parts] };
  }
}

const IMAGE_FIELD = /^images(\[\d*\])?$/;

/** The intake field of a name (own properties only: `toString` is no field). */
const specOf = (name: string) =>
  Object.hasOwn(INTAKE_FIELDS, name) ? (INTAKE_FIELDS as Record<string, { kind: string; values?: Record<number, string> }>)[name] : undefined;

/** What a well-formed case form must be refused for, whatever else the rules say. */
function mustRefuse(way: TokenWay, parts: readonly Part[]): string | null {
  if (way === 'none' || way === 'header_and_field' || way === 'malformed') return `the token sent ${way}`;
  const firstFile = parts.findIndex((p) => p.file !== undefined);
  if (way === 'field_last' && firstFile >= 0) return 'the token came after a file';
  for (const part of parts) {
    if ((NEVER_FIELDS as readonly string[]).includes(part.name)) return `the field ${JSON.stringify(part.name)}`;
    if (part.file !== undefined && !GOOD_FILES.includes(part.file.kind)) return `a ${part.file.kind} file`;
    if (part.file !== undefined && !IMAGE_FIELD.test(part.name) && !/^images\[(od|os)\]$/i.test(part.name)) return `a file under ${JSON.stringify(part.name)}`;
  }
  const texts = parts.filter((p) => p.file === undefined);
  for (const name of Object.keys(INTAKE_FIELDS)) {
    if (texts.filter((p) => p.name === name).length > 1) return `${name} sent twice`;
  }
  for (const part of texts) {
    const spec = specOf(part.name);
    const value = (part.value ?? '').trim();
    if (spec?.kind === 'code' && value !== '' && !Object.keys(spec.values!).includes(value)) return `${part.name}=${JSON.stringify(part.value)} is not exactly a code`;
    if (spec?.kind === 'number' && value !== '' && /^(true|false|null|NaN|-?Infinity|.*[eExX].*)$/.test(value)) return `${part.name}=${JSON.stringify(part.value)} is not a decimal`;
  }
  return null;
}

/** The stored case has the text fields as sent (trimmed) and the codes and numbers they say. */
async function assertStoredAsSent(fuzz: FuzzServer, caseId: number, fields: readonly (readonly [string, string])[]): Promise<void> {
  const answer = await send(fuzz.server.baseUrl, { method: 'GET', path: `/cases/${caseId}`, headers: { authorization: `Bearer ${fuzz.clientToken}` } });
  assert.equal(answer.status, 200, answer.text);
  const stored = (JSON.parse(answer.text) as { content: Record<string, unknown> }).content;
  for (const [name, raw] of fields) {
    const spec = specOf(name);
    const value = raw.trim();
    if (spec === undefined || value === '') continue;
    if (spec.kind === 'text') assert.equal(stored[name], value, `${name} stored as sent`);
    if (spec.kind === 'code') assert.equal(stored[name], Number(value), `${name} stored as its code`);
  }
}

describeEachDialect('fuzz: the intake (POST /cases, POST /cases/{id}/images)', (dialect) => {
  let fuzz: FuzzServer;
  let fixtures: Fixtures;
  before(async () => {
    fuzz = await startFuzzServer(dialect);
    fixtures = { ...(await imageFixtures()), hugePng: await makePngClaiming(100_000, 100_000) };
  });
  after(() => fuzz.close());

  /** Sends one request and checks the envelope, the store's consistency and, for a refusal, that nothing changed. */
  const exchange = async (request: Parameters<typeof send>[1], allowed: readonly number[]) => {
    const before = await storeState(fuzz.server);
    const answer = await send(fuzz.server.baseUrl, request);
    const after = await storeState(fuzz.server);
    assertConsistent(after);
    const body = assertEnvelope(answer, allowed);
    if (answer.status >= 400) assertUnchanged(before, after, `${request.method ?? 'POST'} ${request.path}`);
    return { answer, body, before, after };
  };

  /** A 201 made exactly one case with exactly the images sent, or replayed an earlier answer and changed nothing. */
  const assertCreated = async (result: { answer: { headers: http.IncomingHttpHeaders }; body: Record<string, unknown>; before: StoreState; after: StoreState }, images: number) => {
    const { answer, body, before, after } = result;
    if (answer.headers['idempotent-replayed'] === 'true') {
      assertUnchanged(before, after, 'an idempotent replay');
      return;
    }
    const id = body.content as number;
    assert.ok(Number.isInteger(id), 'the new case id');
    assert.equal(after.counts.cases, before.counts.cases + 1, 'one case');
    assert.equal(await imagesOf(fuzz.server, id), images, 'exactly the images sent');
    assert.equal(after.counts.images, before.counts.images + images, 'no image elsewhere');
  };

  it('POST /cases, multipart: every field and file refused or stored whole', async () => {
    const partName = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('images[]', 'images', 'images[0]', 'images[1]') },
      { weight: 1, arbitrary: fc.constantFrom('images[x]', 'image', 'age', '__proto__', '') },
    );
    const parts = fc
      .tuple(intakePairs, fc.array(filePart(partName), { maxLength: 3 }), fc.nat())
      .map(([fields, files, at]): Part[] => {
        const text = fields.map(([name, value]): Part => ({ name, value }));
        const k = at % (text.length + 1);
        return at % 3 === 0 ? [...text.slice(0, k), ...files, ...text.slice(k)] : [...text, ...files];
      });
    const arbitrary = fc.record({
      parts,
      way: tokenWay,
      boundary: fc.constantFrom(...BOUNDARIES.slice(0, 4)),
      random: fc.uint8Array({ maxLength: 48 }),
      idempotencyKey: fc.constantFrom(undefined, undefined, undefined, 'key-a', 'key-b', ' ', 'x'.repeat(256), 'cl\u00e9'),
    });
    await check('POST /cases multipart', arbitrary, async ({ parts: given, way, boundary, random, idempotencyKey }) => {
      const sent = withToken(way, fuzz.clientToken, given);
      const result = await exchange(
        {
          path: `/cases${sent.query}`,
          headers: { ...sent.headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'idempotency-key': idempotencyKey },
          body: encodeMultipart(boundary, sent.parts, fixtures, random),
        },
        CASE_STATUSES,
      );
      if (result.answer.status !== 201) return;
      const reason = mustRefuse(way, given);
      assert.equal(reason, null, `accepted although ${reason}`);
      await assertCreated(result, given.filter((p) => p.file !== undefined).length);
      if (result.answer.headers['idempotent-replayed'] !== 'true') {
        await assertStoredAsSent(fuzz, result.body.content as number, given.filter((p) => p.file === undefined).map((p) => [p.name, p.value ?? ''] as const));
      }
    }, 80);
  });

  it('POST /cases, multipart broken at the byte level: a 4xx in the envelope, nothing stored', async () => {
    const parts = fc.tuple(intakePairs, fc.array(filePart(fc.constantFrom('images[]', 'images')), { minLength: 1, maxLength: 2 })).map(([fields, files]): Part[] => [
      ...fields.map(([name, value]): Part => ({ name, value })),
      ...files,
    ]);
    const arbitrary = fc.record({ parts, broken: breakage, boundary: fc.constantFrom(...BOUNDARIES), random: fc.uint8Array({ maxLength: 48 }) });
    await check('POST /cases broken multipart', arbitrary, async ({ parts: given, broken, boundary, random }) => {
      const { body, contentType } = broken.apply(encodeMultipart(boundary, given, fixtures, random), boundary);
      const result = await exchange({ path: '/cases', headers: { authorization: `Bearer ${fuzz.clientToken}`, 'content-type': contentType }, body }, CASE_STATUSES);
      if (result.answer.status === 201) {
        const stored = await imagesOf(fuzz.server, result.body.content as number);
        assert.ok(stored <= given.filter((p) => p.file !== undefined).length, 'no more images than files');
        await assertCreated(result, stored);
      }
    }, 80);
  });

  it('POST /cases, urlencoded and JSON: exact values, no unknown or repeated field, no image', async () => {
    const arbitrary = fc.oneof(
      intakePairs.chain((pairs) =>
        fc.record({
          encoding: fc.constant<'form' | 'json'>('form'),
          pairs: fc.constant<Pairs>(pairs),
          raw: fc.array(rawFormPieces, { maxLength: 2 }),
          damage: fc.constant((t: string) => t),
        }),
      ),
      intakePairs.chain((pairs) =>
        fc.record({
          encoding: fc.constant<'form' | 'json'>('json'),
          pairs: fc.tuple(...pairs.map(([k, v]) => asJson(v).map((j) => [k, j] as const))).map((p): Pairs => p),
          raw: fc.constant<string[]>([]),
          damage: jsonDamage,
        }),
      ),
    );
    await check('POST /cases urlencoded/JSON', fc.record({ spec: arbitrary, query: fc.constantFrom('', '', '', '?access_token=x', '?age=1') }), async ({ spec, query }) => {
      const body =
        spec.encoding === 'json'
          ? spec.damage(jsonText({ entries: spec.pairs }))
          : urlencoded(spec.pairs.map(([k, v]) => [k, v as string] as const), spec.raw);
      const contentType = spec.encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
      const result = await exchange({ path: `/cases${query}`, headers: { authorization: `Bearer ${fuzz.clientToken}`, 'content-type': contentType }, body }, CASE_STATUSES);
      if (result.answer.status !== 201) return;
      assert.equal(query, '', 'never with a query the route does not know');
      const names = spec.pairs.map(([k]) => k);
      for (const name of names) assert.ok(!(NEVER_FIELDS as readonly string[]).includes(name), `accepted the field ${JSON.stringify(name)}`);
      if (spec.encoding === 'form') {
        assert.equal(new Set(names).size, names.length, 'a repeated field is refused');
        assert.deepEqual(spec.raw.filter((r) => /^[^=&%+]+=/.test(r) && !r.startsWith('a=')), [], 'raw pieces name no field');
      }
      // JSON keeps the last of a repeated key (JSON.parse); a form keeps all, and a repeat is refused above.
      const last = new Map(spec.pairs.map(([k, v]) => [k, v] as const));
      for (const [name, value] of last) {
        const v = value as Json;
        assert.ok(!Array.isArray(v) && (v === null || typeof v !== 'object' || 'raw' in v), `${name}: a list or an object is refused`);
        const spec2 = specOf(name);
        if (spec2 !== undefined && (spec2.kind === 'code' || spec2.kind === 'number')) assert.ok(typeof v !== 'boolean', `${name}: true is not a number`);
      }
      await assertCreated(result, 0);
      if (spec.encoding === 'form') await assertStoredAsSent(fuzz, result.body.content as number, spec.pairs.map(([k, v]) => [k, v as string] as const));
    }, 100);
  });

  it('POST /cases/{id}/images: only a pending case of the client takes images, and only images', async () => {
    const pending = await createPendingCase(fuzz, fixtures.jpeg);
    const done = await createPendingCase(fuzz, fixtures.jpeg);
    const reader = { authorization: `Bearer ${fuzz.readerToken}`, 'content-type': 'application/json' };
    assert.equal((await send(fuzz.server.baseUrl, { path: `/reading/cases/${done}/claim`, headers: reader, body: '{}' })).status, 200);
    assert.equal((await send(fuzz.server.baseUrl, { path: `/reading/cases/${done}/reject`, headers: reader, body: '{"reason":"image_quality"}' })).status, 200);
    let current = pending;
    const id = fc.oneof(
      { weight: 6, arbitrary: fc.constant('current') },
      { weight: 1, arbitrary: fc.constantFrom(String(done), '999999', '2147483647', '2147483648', '99999999999', '999999999999999', '9999999999999999') },
      { weight: 1, arbitrary: fc.constantFrom(...TRICKY_TEXTS).map((t) => formEncode(t)) },
      { weight: 1, arbitrary: fc.constantFrom('current>', '0current', 'current.0', 'current%00', 'current/', '+current', 'current%20e0', '%20current') },
    );
    const parts = fc.tuple(fc.array(filePart(fc.constantFrom('images[]', 'images', 'images[0]', 'other')), { maxLength: 3 }), fc.array(fc.constantFrom<Part>({ name: 'age', value: '61' }, { name: '__proto__', value: 'x' }, { name: 'status', value: 'reported' }), { maxLength: 1 })).map(([files, fields]) => [...fields, ...files]);
    const arbitrary = fc.record({ id, parts, way: tokenWay, random: fc.uint8Array({ maxLength: 48 }) });
    await check('POST /cases/{id}/images', arbitrary, async ({ id: rawId, parts: given, way, random }) => {
      const target = rawId.replace('current', String(current));
      const sent = withToken(way, fuzz.clientToken, given);
      const boundary = 'imagesboundary';
      const result = await exchange(
        { path: `/cases/${target}/images${sent.query}`, headers: { ...sent.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: encodeMultipart(boundary, sent.parts, fixtures, random) },
        IMAGE_STATUSES,
      );
      if (result.answer.status === 200) {
        assert.ok([String(current), `${current}>`, `${current}/`].includes(target), `images only for the pending case, not ${target}`);
        assert.equal(mustRefuse(way, given), null);
        assert.ok(given.every((p) => p.file !== undefined), 'nothing but images');
        assert.equal(result.after.counts.images - result.before.counts.images, given.length, 'every image sent, and no other');
        assert.ok(given.length > 0, 'at least one image');
        if ((await imagesOf(fuzz.server, current)) > 12) current = await createPendingCase(fuzz, fixtures.jpeg);
      }
    }, 70);
  });

  it('a client that hangs up in the middle of an image leaves no file behind', async () => {
    const arbitrary = fc.record({ cut: fc.nat(), kind: fc.constantFrom<'jpeg' | 'png' | 'tiff'>('jpeg', 'png', 'tiff'), fieldsFirst: fc.boolean() });
    await check('hang-up mid-upload', arbitrary, async ({ cut, kind, fieldsFirst }) => {
      const boundary = 'hangupboundary';
      const parts: Part[] = [{ name: 'images[]', file: { filename: 'od.jpg', kind, contentType: 'image/jpeg' } }];
      const fields: Part[] = [{ name: 'history_number', value: 'H' }, { name: 'gender', value: '0' }, { name: 'age', value: '50' }];
      const body = encodeMultipart(boundary, fieldsFirst ? [...fields, ...parts] : parts, fixtures, new Uint8Array());
      // A hang-up of an earlier run may still be cleaning up its unfinished write (the server
      // may even have begun it after that run's check): start from a store with none.
      let before = await storeState(fuzz.server);
      for (let i = 0; i < 100 && before.files.some((f) => path.basename(f).startsWith('.tmp-')); i++) {
        await new Promise((r) => setTimeout(r, 20));
        before = await storeState(fuzz.server);
      }
      await hangUpAfter(fuzz.server.baseUrl, `multipart/form-data; boundary=${boundary}`, fuzz.clientToken, body, 1 + (cut % (body.length - 1)));
      // The server notices the closed connection on its own time: wait until the store is back as it was.
      let after = await storeState(fuzz.server);
      for (let i = 0; i < 100 && JSON.stringify(after) !== JSON.stringify(before); i++) {
        await new Promise((r) => setTimeout(r, 20));
        after = await storeState(fuzz.server);
      }
      assertConsistent(after);
      assertUnchanged(before, after, 'a request cut off by its client');
    }, 8);
  });
});

/** Sends the head and the first `length` bytes of a body announced whole, then closes the connection. */
function hangUpAfter(baseUrl: string, contentType: string, token: string, body: Buffer, length: number): Promise<void> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/cases', agent: false, headers: { 'content-type': contentType, 'content-length': body.length, authorization: `Bearer ${token}` } });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.write(body.subarray(0, length), () => setTimeout(() => {
      req.destroy();
      resolve();
    }, 5));
  });
}
