import './helpers/setup.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { describeEachDialect } from './helpers/dialects.js';
import { makeImage } from './helpers/images.js';
import { repoFile } from './helpers/repo.js';
import { type TestServer, startTestServer } from './helpers/server.js';

/**
 * Runs the curl commands of the seed (the public OPTretina API reference)
 * with the real curl binary against a started server: a client written
 * against OPTretina must work by changing only the base URL.
 *
 * The seed is a copy of that public reference, kept in the repository as test
 * data (test/fixtures/seed/): a fresh clone needs nothing beside it.
 */
const SEED_PATH = repoFile('test/fixtures/seed/optretina-web-api-reference.txt');
const SEED_BASE = 'https://api.optretina.com';

async function readSeedCurlLines(): Promise<string[]> {
  const text = await fs.readFile(SEED_PATH, 'utf8');
  return text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('curl '))
    .map((line) => line.trim());
}

/**
 * Splits a command line into words like a POSIX shell would for the simple
 * cases in the seed: whitespace separates words, double and single quotes
 * group, a backslash escapes the next character (outside single quotes).
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) current += line[++i]!;
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i]!;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in: ${line}`);
  if (inWord) words.push(current);
  return words;
}

interface CurlResult {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const MARK = '\n__curl_result__';

/** Runs curl (no shell) with the given arguments, capturing status and content type. */
function runCurl(args: readonly string[]): Promise<CurlResult> {
  const argv = ['-s', '-S', '--max-time', '60', '-w', `${MARK}%{http_code} %{content_type}`, ...args];
  return new Promise((resolve, reject) => {
    execFile('curl', argv, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`curl ${argv.join(' ')} failed: ${error.message}\n${stderr}`));
        return;
      }
      const at = stdout.lastIndexOf(MARK);
      if (at < 0) {
        reject(new Error(`curl output without status marker: ${stdout}`));
        return;
      }
      const [status = '', ...type] = stdout.slice(at + MARK.length).split(' ');
      resolve({ status: Number(status), contentType: type.join(' '), body: stdout.slice(0, at) });
    });
  });
}

/** Runs one seed command: `curl` dropped, the rest passed as arguments. */
function runSeedCommand(words: readonly string[]): Promise<CurlResult> {
  assert.equal(words[0], 'curl');
  return runCurl(words.slice(1));
}

function curlInstalled(): Promise<boolean> {
  return new Promise((resolve) => execFile('curl', ['--version'], (error) => resolve(error === null)));
}

type Json = Record<string, unknown>;

function parseJson(result: CurlResult): Json {
  assert.match(result.contentType, /^application\/json/, `expected JSON, got ${result.contentType}: ${result.body.slice(0, 200)}`);
  const value: unknown = JSON.parse(result.body);
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `expected a JSON object: ${result.body}`);
  return value as Json;
}

function asObject(value: unknown, what: string): Json {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what} must be an object: ${JSON.stringify(value)}`);
  return value as Json;
}

function asArray(value: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(value), `${what} must be an array: ${JSON.stringify(value)}`);
  return value;
}

/** The seed commands, recognised by method and path. */
interface SeedCommands {
  authorize: string;
  createCase: string;
  listCases: string;
  getCase: string;
  report: string;
  centers: string;
  changeCenter: string;
}

function classify(lines: readonly string[]): SeedCommands {
  const pick = (what: string, predicate: (line: string) => boolean): string => {
    const found = lines.filter(predicate);
    assert.equal(found.length, 1, `expected exactly one seed curl line for ${what}, found ${found.length}:\n${lines.join('\n')}`);
    return found[0]!;
  };
  return {
    authorize: pick('POST /authorize', (l) => l.includes(`${SEED_BASE}/authorize`)),
    createCase: pick('POST /cases', (l) => l.includes('--form') && l.endsWith(`${SEED_BASE}/cases`)),
    listCases: pick('GET /cases', (l) => !l.includes('--form') && l.endsWith(`${SEED_BASE}/cases`)),
    getCase: pick('GET /cases/{id}', (l) => l.includes(`${SEED_BASE}/cases/<CASE_ID>`)),
    report: pick('GET /cases/report/{id}', (l) => l.includes(`${SEED_BASE}/cases/report/<CASE_ID>`)),
    centers: pick('GET /centers', (l) => l.endsWith(`${SEED_BASE}/centers`)),
    changeCenter: pick('POST /change-center', (l) => l.includes(`${SEED_BASE}/change-center`)),
  };
}

/** Replaces placeholders in every word (the base URL included). */
function fill(words: readonly string[], values: Readonly<Record<string, string>>, baseUrl: string): string[] {
  return words.map((word) => {
    let out = word.split(SEED_BASE).join(baseUrl);
    for (const [placeholder, value] of Object.entries(values)) out = out.split(placeholder).join(value);
    assert.doesNotMatch(out, /<[A-Z_0-9]+>/, `unfilled placeholder in ${out}`);
    return out;
  });
}

/** `--form paramName=paramValue ...` stands for "more fields": make them real ones. */
function expandExtraFields(words: readonly string[], extra: readonly string[]): string[] {
  const out: string[] = [];
  let expanded = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '...') continue;
    if ((word === '--form' || word === '-F') && words[i + 1] === 'paramName=paramValue') {
      for (const field of extra) out.push('--form', field);
      i++;
      expanded = true;
      continue;
    }
    out.push(word);
  }
  assert.ok(expanded, 'the seed POST /cases example no longer has "--form paramName=paramValue ..."');
  return out;
}

const PATIENT = { first_name: 'Ana', last_name: 'Lopez', gender: '1', age: '64' } as const;
const EXTRA_FIELDS = ['history_number=H-1', 'diabetes=1', 'od_iop=15.5'] as const;

describeEachDialect('seed curl examples with real curl', (dialect) => {
  let server: TestServer;
  let dir: string;
  let hasCurl = false;
  let seed: SeedCommands;
  let values: Record<string, string>;
  let token = '';
  let caseId = 0;

  before(async () => {
    seed = classify(await readSeedCurlLines());
    hasCurl = await curlInstalled();
    server = await startTestServer(dialect);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-seed-curl-'));
    const left = path.join(dir, 'left-eye.jpg');
    const right = path.join(dir, 'right-eye.jpg');
    await fs.writeFile(left, await makeImage('jpeg', 640, 480));
    await fs.writeFile(right, await makeImage('jpeg', 800, 600));
    values = {
      '<YOUR_CLIENT_ID>': server.demo.client.client_id,
      '<YOUR_CLIENT_SECRET>': server.demo.client.client_secret,
      '<PATH_IMAGE>': left,
      '<PATH_IMAGE_2>': right,
      '<FILE_NAME>': 'od.jpg',
      '<FILE_NAME_2>': 'os.jpg',
      '<PATIENT_NAME>': PATIENT.first_name,
      '<PATIENT_LAST_NAME>': PATIENT.last_name,
      '<GENDER>': PATIENT.gender,
      '<AGE>': PATIENT.age,
    };
  });

  after(async () => {
    await server?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const seedCommand = (line: string, more: Record<string, string> = {}) =>
    fill(shellWords(line), { ...values, ...more }, server.baseUrl);

  test('the token example as printed (no "&" before client_secret) is a clear 400, not a token', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    assert.ok(seed.authorize.includes('<YOUR_CLIENT_ID>client_secret='), 'the seed token example is expected to lack the "&"');
    const result = await runSeedCommand(seedCommand(seed.authorize));
    assert.equal(result.status, 400, result.body);
    const body = parseJson(result);
    assert.equal(body.error, 'invalid_request');
    const message = `${String(body.error_description ?? '')} ${String(body.content ?? '')}`;
    assert.match(message, /client_secret/);
    assert.equal(body.access_token, undefined);
    assert.doesNotMatch(result.body, /access_token/);
  });

  test('the token example with the "&" restored gets a bearer token', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const fixed = seed.authorize.replace('<YOUR_CLIENT_ID>client_secret=', '<YOUR_CLIENT_ID>&client_secret=');
    const result = await runSeedCommand(seedCommand(fixed));
    assert.equal(result.status, 200, result.body);
    const body = parseJson(result);
    assert.equal(typeof body.access_token, 'string');
    assert.ok((body.access_token as string).length >= 20);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.expires_in, 'number');
    assert.ok((body.expires_in as number) > 0);
    token = body.access_token as string;
    values['<YOUR_TOKEN>'] = token;
  });

  test('GET /centers lists the two demo centers, the first active', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const result = await runSeedCommand(seedCommand(seed.centers));
    assert.equal(result.status, 200, result.body);
    const body = parseJson(result);
    assert.equal(body.success, true);
    const centers = asArray(body.content, 'content').map((c) => asObject(c, 'center'));
    assert.equal(centers.length, 2);
    assert.deepEqual(
      centers.map((c) => c.id).sort(),
      server.demo.centers.map((c) => c.id).sort(),
    );
    assert.deepEqual(
      centers.filter((c) => c.active === true).map((c) => c.id),
      [server.demo.centers[0]!.id],
    );
  });

  test('POST /cases (multipart, images[]) creates a case with both images and the fields', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const words = expandExtraFields(seedCommand(seed.createCase), EXTRA_FIELDS);
    assert.ok(!words.includes('...'));
    const result = await runSeedCommand(words);
    assert.equal(result.status, 201, result.body);
    const body = parseJson(result);
    assert.equal(body.success, true);
    assert.ok(Number.isInteger(body.content) && (body.content as number) > 0, `content must be an integer id: ${result.body}`);
    caseId = body.content as number;
  });

  test('GET /cases lists the new case', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const result = await runSeedCommand(seedCommand(seed.listCases));
    assert.equal(result.status, 200, result.body);
    const body = parseJson(result);
    assert.equal(body.success, true);
    const cases = asArray(body.content, 'content').map((c) => asObject(c, 'case'));
    assert.ok(
      cases.some((c) => c.id === caseId),
      `case ${caseId} missing from ${JSON.stringify(cases.map((c) => c.id))}`,
    );
  });

  test('GET /cases/<CASE_ID>> (the trailing ">" of the seed) returns the case', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const words = seedCommand(seed.getCase, { '<CASE_ID>': String(caseId) });
    assert.ok(words.at(-1)!.endsWith(`/cases/${caseId}>`), `the URL is ${words.at(-1)}`);
    const result = await runSeedCommand(words);
    assert.equal(result.status, 200, result.body);
    const body = parseJson(result);
    assert.equal(body.success, true);
    const found = asObject(body.content, 'content');
    assert.equal(found.id, caseId);
    assert.equal(found.status, 'pending');
    assert.equal(found.center_id, server.demo.centers[0]!.id);
    assert.equal(found.first_name, PATIENT.first_name);
    assert.equal(found.last_name, PATIENT.last_name);
    assert.equal(found.gender, 1);
    assert.equal(found.age, 64);
    assert.equal(found.history_number, 'H-1');
    assert.equal(found.diabetes, 1);
    assert.equal(found.od_iop, 15.5);
    const images = asArray(found.images, 'images').map((i) => asObject(i, 'image'));
    assert.equal(images.length, 2);
    assert.deepEqual(images.map((i) => i.file_name).sort(), ['od.jpg', 'os.jpg']);
    assert.deepEqual(
      images.map((i) => `${String(i.width)}x${String(i.height)}`).sort(),
      ['640x480', '800x600'],
    );
    for (const image of images) assert.equal(image.content_type, 'image/jpeg');
  });

  test('GET /cases/report/<id> of a pending case is a clear 409 report_not_ready, not a PDF', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const result = await runSeedCommand(seedCommand(seed.report, { '<CASE_ID>': String(caseId) }));
    assert.equal(result.status, 409, result.body);
    assert.doesNotMatch(result.contentType, /pdf/);
    assert.ok(!result.body.startsWith('%PDF'));
    const body = parseJson(result);
    assert.equal(body.success, false);
    assert.equal(asObject(body.error, 'error').code, 'report_not_ready');
    assert.equal(typeof body.content, 'string');
    assert.ok((body.content as string).length > 0);
  });

  test('POST /change-center to the second center makes it active', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const second = server.demo.centers[1]!.id;
    const result = await runSeedCommand(seedCommand(seed.changeCenter, { '<YOUR_CENTER_ID>': String(second) }));
    assert.equal(result.status, 200, result.body);
    const body = parseJson(result);
    assert.equal(body.success, true);
    assert.equal(asObject(body.content, 'content').id, second);

    const centers = await runSeedCommand(seedCommand(seed.centers));
    assert.equal(centers.status, 200, centers.body);
    const list = asArray(parseJson(centers).content, 'content').map((c) => asObject(c, 'center'));
    assert.deepEqual(
      list.filter((c) => c.active === true).map((c) => c.id),
      [second],
    );

    // The case was created in the first center: the second center's list does not show it.
    const cases = await runSeedCommand(seedCommand(seed.listCases));
    assert.equal(cases.status, 200, cases.body);
    const ids = asArray(parseJson(cases).content, 'content').map((c) => asObject(c, 'case').id);
    assert.ok(!ids.includes(caseId), `case ${caseId} of the first center is listed in the second: ${JSON.stringify(ids)}`);
  });

  // ---- The OPTretina PHP SDK's way of talking, with real curl ----

  test('SDK: JSON token request', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const payload = JSON.stringify({
      client_id: server.demo.client.client_id,
      client_secret: server.demo.client.client_secret,
      grant_type: 'client_credentials',
    });
    const result = await runCurl(['-H', 'content-type: application/json', '-d', payload, `${server.baseUrl}/authorize`]);
    assert.equal(result.status, 200, result.body);
    const body = parseJson(result);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.expires_in, 'number');
  });

  test('SDK: HTTP Basic client authentication', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    const { client_id, client_secret } = server.demo.client;
    const result = await runCurl(['-u', `${client_id}:${client_secret}`, '-d', 'grant_type=client_credentials', `${server.baseUrl}/authorize`]);
    assert.equal(result.status, 200, result.body);
    const body = parseJson(result);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.expires_in, 'number');
  });

  test('SDK: access_token as a form field, images named "images", then access_token in the query', async (t) => {
    if (!hasCurl) return t.skip('curl is not installed');
    // A fresh token: its active center is the client's default (the first).
    const fresh = await server.token();
    const left = values['<PATH_IMAGE>']!;
    const right = values['<PATH_IMAGE_2>']!;
    const created = await runCurl([
      '--form', `access_token=${fresh}`,
      '--form', `images=@${left};filename=sdk-od.jpg`,
      '--form', `images=@${right};filename=sdk-os.jpg`,
      '--form', 'history_number=SDK-7',
      '--form', 'gender=0',
      '--form', 'age=58',
      `${server.baseUrl}/cases`,
    ]);
    assert.equal(created.status, 201, created.body);
    const body = parseJson(created);
    assert.equal(body.success, true);
    assert.ok(Number.isInteger(body.content), created.body);
    const sdkCaseId = body.content as number;

    const one = await runCurl([`${server.baseUrl}/cases/${sdkCaseId}?access_token=${encodeURIComponent(fresh)}`]);
    assert.equal(one.status, 200, one.body);
    const found = asObject(parseJson(one).content, 'content');
    assert.equal(found.history_number, 'SDK-7');
    assert.equal(found.gender, 0);
    assert.equal(found.age, 58);
    assert.deepEqual(
      asArray(found.images, 'images').map((i) => asObject(i, 'image').file_name).sort(),
      ['sdk-od.jpg', 'sdk-os.jpg'],
    );

    const list = await runCurl([`${server.baseUrl}/cases?access_token=${encodeURIComponent(fresh)}`]);
    assert.equal(list.status, 200, list.body);
    const ids = asArray(parseJson(list).content, 'content').map((c) => asObject(c, 'case').id);
    assert.ok(ids.includes(sdkCaseId), `GET /cases?access_token= misses case ${sdkCaseId}: ${JSON.stringify(ids)}`);
    assert.ok(ids.includes(caseId), `GET /cases?access_token= misses the seed case ${caseId}: ${JSON.stringify(ids)}`);

    // SDK uploadImages: POST /cases/{id}/images with the token as a form field.
    const added = await runCurl([
      '--form', `access_token=${fresh}`,
      '--form', `images=@${left};filename=sdk-extra.jpg`,
      `${server.baseUrl}/cases/${sdkCaseId}/images`,
    ]);
    assert.equal(added.status, 200, added.body);
    assert.deepEqual(parseJson(added), { success: true, content: sdkCaseId });
    const again = await runCurl([`${server.baseUrl}/cases/${sdkCaseId}?access_token=${encodeURIComponent(fresh)}`]);
    assert.equal(asArray(asObject(parseJson(again).content, 'content').images, 'images').length, 3);
  });

  test('the shell-word splitter handles the seed quoting', () => {
    assert.deepEqual(shellWords('curl --data "a=1&b=2" -H \'x: y\' https://h/p'), ['curl', '--data', 'a=1&b=2', '-H', 'x: y', 'https://h/p']);
    assert.deepEqual(shellWords('curl "images[]=@<P>;filename=<F>"  --form a=b'), ['curl', 'images[]=@<P>;filename=<F>', '--form', 'a=b']);
    assert.deepEqual(shellWords('a "b \\"c\\"" d\\ e'), ['a', 'b "c"', 'd e']);
  });
});
