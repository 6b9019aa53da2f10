import './helpers/setup.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { API_TYPES_PATH, apiTypesSource } from '../scripts/api-types.js';
import { generateOpenApiDocument } from '../src/cli/openapi.js';
import { repoFile } from './helpers/repo.js';
import { type TestServer, startTestServer } from './helpers/server.js';

/**
 * The OpenAPI 3.1 document is generated from the route schemas, served at
 * /openapi.json with an interactive reference at /docs, and committed as
 * openapi.json; this test proves the committed copy is current.
 */
const COMMITTED_PATH = repoFile('openapi.json');
const STALE = 'openapi.json is out of date with the route schemas: run `npm run openapi:write` and commit the result';

const EXPECTED_PATHS = ['/authorize', '/cases', '/cases/{id}', '/cases/{id}/images', '/cases/report/{id}', '/centers', '/change-center'];

type Json = Record<string, unknown>;

function asObject(value: unknown, what: string): Json {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what} must be an object`);
  return value as Json;
}

/** Follows a path of keys through a JSON document, failing with the path when a step is missing. */
function at(document: unknown, ...keys: string[]): unknown {
  let current: unknown = document;
  for (let i = 0; i < keys.length; i++) current = asObject(current, keys.slice(0, i).join(' → ') || 'document')[keys[i]!];
  assert.notEqual(current, undefined, `${keys.join(' → ')} is missing`);
  return current;
}

/** The document as it would be written to disk (undefined values dropped). */
async function generated(): Promise<unknown> {
  return JSON.parse(JSON.stringify(await generateOpenApiDocument())) as unknown;
}

describe('OpenAPI document', () => {
  let committed: unknown;
  let current: unknown;

  before(async () => {
    let text: string;
    try {
      text = await fs.readFile(COMMITTED_PATH, 'utf8');
    } catch {
      throw new Error(`openapi.json is missing at the repository root: ${STALE}`);
    }
    committed = JSON.parse(text) as unknown;
    current = await generated();
  });

  test('the committed openapi.json is current', () => {
    assert.deepStrictEqual(current, committed, STALE);
  });

  test("the web app's generated API types are current", async () => {
    const committedTypes = await fs.readFile(API_TYPES_PATH, 'utf8').catch(() => '');
    assert.equal(committedTypes, await apiTypesSource(current), 'web/src/api-schema.d.ts is out of date with openapi.json: run `npm run openapi:write` and commit the result');
  });

  test('generation is deterministic', async () => {
    const again = await generated();
    assert.deepStrictEqual(again, current, 'two generations of the OpenAPI document differ');
    assert.equal(JSON.stringify(again), JSON.stringify(current), 'two generations differ in key order');
  });

  test('is OpenAPI 3.1 with every OPTretina path', () => {
    assert.equal(at(current, 'openapi'), '3.1.0');
    const paths = Object.keys(asObject(at(current, 'paths'), 'paths'));
    for (const path of EXPECTED_PATHS) assert.ok(paths.includes(path), `path ${path} is missing from ${paths.join(', ')}`);
    assert.ok(at(current, 'paths', '/authorize', 'post'));
    assert.ok(at(current, 'paths', '/cases', 'post'));
    assert.ok(at(current, 'paths', '/cases', 'get'));
    assert.ok(at(current, 'paths', '/cases/{id}', 'get'));
    assert.ok(at(current, 'paths', '/cases/{id}/images', 'post'));
    assert.ok(at(current, 'paths', '/cases/report/{id}', 'get'));
    assert.ok(at(current, 'paths', '/centers', 'get'));
    assert.ok(at(current, 'paths', '/change-center', 'post'));
    assert.ok(!paths.includes('/openapi.json') && !paths.includes('/health'), 'internal routes are hidden');
  });

  test('POST /cases documents the multipart intake with gender and age required', () => {
    const schema = asObject(at(current, 'paths', '/cases', 'post', 'requestBody', 'content', 'multipart/form-data', 'schema'), 'schema');
    const properties = asObject(schema.properties, 'properties');
    for (const field of ['history_number', 'first_name', 'last_name', 'gender', 'age', 'diabetes', 'visit_date', 'od_iop', 'os_iop', 'od_prism_base', 'callback_url']) {
      assert.ok(field in properties, `POST /cases does not document ${field}`);
    }
    assert.ok(Object.keys(properties).some((name) => name === 'images[]' || name === 'images'), 'POST /cases does not document the images');
    assert.ok(Array.isArray(schema.required), 'POST /cases has no required list');
    const required = schema.required as unknown[];
    assert.ok(required.includes('gender') && required.includes('age'), `required is ${JSON.stringify(required)}`);
    assert.ok(at(current, 'paths', '/cases', 'post', 'responses', '201'));
  });

  test(
    'POST /authorize documents the seed form body as well as JSON',
    () => {
      const content = asObject(at(current, 'paths', '/authorize', 'post', 'requestBody', 'content'), 'content');
      assert.ok('application/json' in content, 'JSON body not documented');
      assert.ok('application/x-www-form-urlencoded' in content, 'the seed form body is not documented');
    },
  );

  test('GET /cases/report/{id} documents a PDF', () => {
    assert.ok(at(current, 'paths', '/cases/report/{id}', 'get', 'responses', '200', 'content', 'application/pdf'));
  });
});

describe('OpenAPI served by the app', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('sqlite');
  });
  after(async () => {
    await server?.close();
  });

  test('GET /openapi.json serves the document with the same paths', async () => {
    const response = await fetch(`${server.baseUrl}/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const served = (await response.json()) as unknown;
    const committed = JSON.parse(await fs.readFile(COMMITTED_PATH, 'utf8')) as unknown;
    assert.equal(at(served, 'openapi'), '3.1.0');
    const servedPaths = Object.keys(asObject(at(served, 'paths'), 'paths'));
    for (const path of EXPECTED_PATHS) assert.ok(servedPaths.includes(path), `served document lacks ${path}`);
    assert.deepStrictEqual(at(served, 'paths'), at(committed, 'paths'));
  });

  test('GET /docs is the interactive reference', async () => {
    let response = await fetch(`${server.baseUrl}/docs`, { redirect: 'manual' });
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      assert.ok(location, 'a redirect without Location');
      assert.match(new URL(location, `${server.baseUrl}/docs`).pathname, /^\/docs\/?/);
      response = await fetch(new URL(location, `${server.baseUrl}/docs`));
    }
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await response.text(), /swagger/i);
  });
});
