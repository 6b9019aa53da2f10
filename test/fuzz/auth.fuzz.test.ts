import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { describeEachDialect } from '../helpers/dialects.js';
import {
  type Json,
  ODD_CONTENT_TYPES,
  type Pairs,
  anyText,
  around,
  assertEnvelope,
  check,
  formEncode,
  jsonDamage,
  jsonLeaf,
  jsonText,
  jsonValue,
  rawFormPieces,
  send,
  urlencoded,
} from './support/fuzz.js';
import { type FuzzServer, READER_EMAIL, READER_PASSWORD, startFuzzServer } from './support/fuzz-server.js';
import { activeCenters, assertConsistent, assertUnchanged, storeState } from './support/store-state.js';

/**
 * The token endpoint, people's login and the change of active center, fed
 * malformed bodies of every encoding, tricky values and broken credentials:
 * never a 5xx, always the envelope (RFC 6749 bodies from /authorize), a
 * success only for exactly right input, and a refusal changes nothing.
 */

type Encoding = 'form' | 'json' | 'odd';
/** A request body as pairs (repeats and `__proto__` allowed), encoded one way. */
interface BodySpec {
  readonly encoding: Encoding;
  readonly contentType: string | undefined;
  readonly pairs: readonly (readonly [string, Json])[];
  readonly rawPieces: readonly string[];
  readonly damage: (text: string) => string;
}

function encodeBody(spec: BodySpec): { contentType: string | undefined; body: string } {
  if (spec.encoding === 'json') return { contentType: spec.contentType, body: spec.damage(jsonText({ entries: spec.pairs })) };
  const text = urlencoded(
    spec.pairs.map(([k, v]) => [k, typeof v === 'string' ? v : jsonText(v)] as const),
    spec.rawPieces,
  );
  return { contentType: spec.contentType, body: text };
}

/** A body whose fields come from `field` (name → value arbitraries), in one of the encodings. */
function bodyOf(fields: fc.Arbitrary<readonly [string, Json]>): fc.Arbitrary<BodySpec> {
  const pairs = fc.array(fields, { maxLength: 6 });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        encoding: fc.constant<Encoding>('form'),
        contentType: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'Application/X-WWW-Form-Urlencoded'),
        pairs,
        rawPieces: fc.array(rawFormPieces, { maxLength: 2 }),
        damage: fc.constant((t: string) => t),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        encoding: fc.constant<Encoding>('json'),
        contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8'),
        pairs,
        rawPieces: fc.constant([]),
        damage: jsonDamage,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        encoding: fc.constant<Encoding>('odd'),
        contentType: fc.constantFrom(...ODD_CONTENT_TYPES),
        pairs,
        rawPieces: fc.array(rawFormPieces, { maxLength: 2 }),
        damage: fc.constant((t: string) => t),
      }),
    },
  );
}

const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'];

/** RFC 6749 §5.2, wrapped in the envelope's success/content. */
function assertOAuthError(status: number, text: string): Record<string, unknown> {
  const body = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['content', 'error', 'error_description', 'success'], `an RFC 6749 error body: ${text.slice(0, 300)}`);
  assert.equal(body.success, false);
  assert.ok(typeof body.content === 'string' && body.content !== '', 'content is the message');
  assert.ok(typeof body.error === 'string' && OAUTH_ERRORS.includes(body.error), `error is an RFC 6749 code, not ${String(body.error)}`);
  assert.equal(typeof body.error_description, 'string');
  assert.equal(status === 401, body.error === 'invalid_client', `401 exactly for invalid_client (${status} ${String(body.error)})`);
  return body;
}

/** The last value sent under a name, as the server would read it: repeated form fields are a list. */
function sentValues(spec: BodySpec, name: string): Json[] {
  return spec.pairs.filter(([k]) => k === name).map(([, v]) => v);
}

const basicOf = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describeEachDialect('fuzz: /authorize, /auth/login, /change-center', (dialect) => {
  let fuzz: FuzzServer;
  before(async () => {
    fuzz = await startFuzzServer(dialect);
  });
  after(() => fuzz.close());

  it('POST /authorize: RFC 6749 errors for anything but exact client credentials, and no token', async () => {
    const { client_id: id, client_secret: secret } = fuzz.server.demo.client;
    const value = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom<Json>(id, secret, 'client_credentials', ` ${id}`, `${secret} `, id.toUpperCase(), `${id}&client_secret=${secret}`, 'password') },
      { weight: 3, arbitrary: jsonLeaf },
      { weight: 1, arbitrary: jsonValue },
    );
    const name = fc.constantFrom('client_id', 'client_secret', 'grant_type', 'grant_type', 'scope', 'redirect_uri', 'access_token', '__proto__', 'constructor', 'Client_Id', '');
    const exact: Pairs = [
      ['client_id', id],
      ['client_secret', secret],
      ['grant_type', 'client_credentials'],
    ];
    const pairs = fc.oneof({ weight: 3, arbitrary: around(exact, name, value) }, { weight: 2, arbitrary: fc.array(fc.tuple(name, value), { maxLength: 6 }) });
    const spec = fc.tuple(bodyOf(fc.tuple(name, value)), pairs).map(([b, p]) => ({ ...b, pairs: p }));
    const authorization = fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom(basicOf(`${formEncode(id)}:${formEncode(secret)}`), basicOf(`${id}:wrong`), basicOf(id), basicOf(`${id}:%zz`), basicOf(':'), 'Basic', 'Basic !!!', 'Basic =', `Bearer ${secret}`, 'basic  ') },
      { weight: 1, arbitrary: anyText.map((t) => basicOf(t)) },
      { weight: 1, arbitrary: anyText.map((t) => basicOf(`${id}:${t}`)) },
      { weight: 1, arbitrary: fc.constantFrom(basicOf(`${id}\0:${secret}`), basicOf(`${id}%00:${secret}`), basicOf(`${formEncode(id)}:${formEncode(secret)}%00`)) },
    );
    const query = fc.constantFrom('', '', '', '?client_secret=x', `?client_id=${id}`, '?grant_type=client_credentials', '?a=%zz', '?client_secret', '?__proto__=1');

    await check('POST /authorize', fc.record({ spec, authorization, query }), async ({ spec: body, authorization: auth, query: q }) => {
      const { server } = fuzz;
      const before = await storeState(server);
      const encoded = encodeBody(body);
      const answer = await send(server.baseUrl, {
        path: `/authorize${q}`,
        headers: { 'content-type': encoded.contentType, authorization: auth },
        body: encoded.body,
      });
      const after = await storeState(server);
      assertConsistent(after);
      assert.ok(answer.status < 500, `never a server error: ${answer.status} ${answer.text}`);
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      if (answer.status === 200) {
        const token = JSON.parse(answer.text) as Record<string, unknown>;
        assert.equal(token.token_type, 'Bearer');
        assert.equal(typeof token.access_token, 'string');
        assert.ok(Number.isInteger(token.expires_in));
        assert.ok(!q.includes('client_secret'), 'never with the secret in the URL');
        const secrets = sentValues(body, 'client_secret');
        assert.ok(secrets.includes(secret) || (auth?.startsWith('Basic ') ?? false), 'a token only for the right secret');
        assert.equal(after.counts.tokens, before.counts.tokens + 1, 'one token issued');
        return;
      }
      assert.ok([400, 401, 413].includes(answer.status), `a refusal is 400 or 401 (RFC 6749), not ${answer.status}: ${answer.text}`);
      if (answer.status === 413) assertEnvelope(answer, [413]);
      else assertOAuthError(answer.status, answer.text);
      assertUnchanged(before, after, 'POST /authorize');
    }, 120);
  });

  it('POST /auth/login: a session only for the exact e-mail, password and cookie flag; every refusal in the envelope', async () => {
    const value = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom<Json>(READER_EMAIL, READER_PASSWORD, READER_EMAIL.toUpperCase(), ` ${READER_EMAIL} `, `${READER_PASSWORD}\0`, true, false, 'true', 'false', 'TRUE', 1, 0, '1', 'yes') },
      { weight: 3, arbitrary: jsonLeaf },
      { weight: 1, arbitrary: jsonValue },
    );
    const name = fc.constantFrom('email', 'password', 'cookie', 'cookie', 'remember', '__proto__', 'constructor', 'Email', '');
    const exact = fc.constantFrom<Json>(true, false, 'true', 'false').chain((cookie) =>
      around(
        [
          ['email', READER_EMAIL],
          ['password', READER_PASSWORD],
          ['cookie', cookie],
        ],
        name,
        value,
      ),
    );
    const pairs = fc.oneof({ weight: 3, arbitrary: exact }, { weight: 2, arbitrary: fc.array(fc.tuple(name, value), { maxLength: 6 }) });
    const spec = fc.tuple(bodyOf(fc.tuple(name, value)), pairs).map(([b, p]) => ({ ...b, pairs: p }));
    const origin = fc.constantFrom(undefined, undefined, undefined, 'https://evil.example', 'null');

    await check('POST /auth/login', fc.record({ spec, origin }), async ({ spec: body, origin: o }) => {
      const { server } = fuzz;
      const before = await storeState(server);
      const encoded = encodeBody(body);
      const answer = await send(server.baseUrl, { path: '/auth/login', headers: { 'content-type': encoded.contentType, origin: o }, body: encoded.body });
      const after = await storeState(server);
      assertConsistent(after);
      const envelope = assertEnvelope(answer, [200, 400, 401, 403, 413, 415]);
      if (answer.status === 200) {
        const names = body.pairs.map(([k]) => k);
        assert.ok(names.every((n) => ['email', 'password', 'cookie'].includes(n)), `no unknown field is accepted: ${names.join(', ')}`);
        const cookie = sentValues(body, 'cookie');
        if (body.encoding !== 'json') {
          assert.ok(cookie.length <= 1 && sentValues(body, 'email').length === 1 && sentValues(body, 'password').length === 1, 'a repeated form field is refused');
        }
        const last = cookie.at(-1);
        assert.ok(last === undefined || [true, false, 'true', 'false'].includes(last as string | boolean), `cookie is exactly a boolean: ${jsonText(last ?? null)}`);
        // E-mail addresses are compared trimmed and without case (the session service's rule).
        const email = sentValues(body, 'email').at(-1);
        assert.ok(typeof email === 'string' && email.trim().toLowerCase() === READER_EMAIL, `the reader's e-mail: ${jsonText(email ?? null)}`);
        assert.equal(sentValues(body, 'password').at(-1), READER_PASSWORD);
        assert.equal(after.counts.sessions, before.counts.sessions + 1, 'one session');
        assert.equal(typeof envelope.content, 'object');
        return;
      }
      assertUnchanged(before, after, 'POST /auth/login');
    }, 120);
  });

  it('POST /change-center: only an exact id of one of its centers moves the token; anything else changes nothing', async () => {
    const { ownCenters, foreignCenter, clientToken, readerToken } = fuzz;
    const id = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom<Json>(...ownCenters, ...ownCenters.map(String), foreignCenter, String(foreignCenter), 999_999, '999999999999999', 2 ** 31, 2 ** 53, 0, -1) },
      { weight: 1, arbitrary: fc.constantFrom<Json>(...ownCenters.flatMap((c) => [`0${c}`, `${c}e0`, ` ${c}`, `${c}.0`, `+${c}`, [c], [String(c)], { entries: [['id', c] as const] }] as Json[])) },
      { weight: 1, arbitrary: fc.constantFrom<Json>({ raw: '1e0' }, { raw: '1.0' }, { raw: '-0' }, { raw: '1e400' }, { raw: '2147483648' }, true, null) },
      { weight: 3, arbitrary: jsonLeaf },
      { weight: 1, arbitrary: jsonValue },
    );
    const name = fc.constantFrom('center_id', 'center_id', 'center_id', 'access_token', 'centre_id', '__proto__', 'constructor', 'active', '');
    const exact = fc.constantFrom<Json>(...ownCenters, ...ownCenters.map(String)).chain((c) => around([['center_id', c]], name, id));
    const pairs = fc.oneof({ weight: 3, arbitrary: exact }, { weight: 2, arbitrary: fc.array(fc.tuple(name, id), { maxLength: 4 }) });
    const spec = fc.tuple(bodyOf(fc.tuple(name, id)), pairs).map(([b, p]) => ({ ...b, pairs: p }));
    const token = fc.oneof(
      { weight: 6, arbitrary: fc.constant({ header: `Bearer ${clientToken}` as string | undefined, query: '' }) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          { header: undefined, query: '' },
          { header: undefined, query: `?access_token=${clientToken}` },
          { header: `Bearer ${clientToken}`, query: `?access_token=${clientToken}` },
          { header: undefined, query: `?access_token=${clientToken}&access_token=${clientToken}` },
          { header: `Bearer ${readerToken}`, query: '' },
          { header: `Bearer ${clientToken}x`, query: '' },
          { header: `Bearer ${clientToken} ${clientToken}`, query: '' },
          { header: `Basic ${clientToken}`, query: '' },
          { header: 'Bearer', query: '' },
          { header: `bearer\t${clientToken}`, query: '' },
          { header: undefined, query: '?access_token=%zz' },
        ),
      },
      { weight: 1, arbitrary: anyText.filter((t) => !/[\r\n\0]/.test(t) && /^[\t\x20-\x7e\x80-\xff]*$/.test(t)).map((t) => ({ header: `Bearer ${t}` as string | undefined, query: '' })) },
    );

    await check('POST /change-center', fc.record({ spec, token }), async ({ spec: body, token: t }) => {
      const { server } = fuzz;
      const before = await storeState(server);
      const encoded = encodeBody(body);
      const answer = await send(server.baseUrl, {
        path: `/change-center${t.query}`,
        headers: { 'content-type': encoded.contentType, authorization: t.header },
        body: encoded.body,
      });
      const after = await storeState(server);
      assertConsistent(after);
      const envelope = assertEnvelope(answer, [200, 400, 401, 404, 413, 415]);
      if (answer.status !== 200) {
        assertUnchanged(before, after, 'POST /change-center');
        return;
      }
      const names = body.pairs.map(([k]) => k);
      assert.ok(names.every((n) => n === 'center_id' || n === 'access_token'), `no unknown field is accepted: ${names.join(', ')}`);
      const sent = sentValues(body, 'center_id');
      if (body.encoding !== 'json') assert.equal(sent.length, 1, 'a repeated form field is refused');
      const raw = sent.at(-1) ?? null;
      // A form carries text: the JSON spelling of the value is what was sent.
      const value: unknown =
        body.encoding !== 'json' ? (typeof raw === 'string' ? raw : jsonText(raw)) : typeof raw === 'object' && raw !== null && 'raw' in raw ? JSON.parse(raw.raw) : raw;
      const exactId = (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^[1-9][0-9]{0,14}$/.test(value));
      assert.ok(exactId, `center_id is exactly an id: ${jsonText(raw)}`);
      const centerId = Number(value);
      assert.ok(ownCenters.includes(centerId), `only one of its own centers: ${centerId}`);
      assert.equal((envelope.content as { id: number }).id, centerId);
      assert.ok((await activeCenters(server)).includes(centerId), 'the token is active there');
    }, 120);
  });
});
