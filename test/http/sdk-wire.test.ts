import '../helpers/setup.js';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

/**
 * Replays, byte for byte where it matters, what OPTretina's public PHP SDK
 * sends on the wire (2017 code, unchanged since; recorded by running it):
 * paths built as base URL + "/x" with a base URL ending in "/", so "//cases";
 * an empty `redirect_uri` in the token request; `?access_token=` unencoded,
 * no Authorization and no Accept on GETs; POST fields as strings with
 * `access_token` last; images as `images` (one) or `images[0]`, `images[1]`
 * after every field, with `Expect: 100-continue`; the report json_decoded and
 * its `content` base64-decoded. node:http is used because fetch always adds
 * an Accept header.
 */

interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** Whether the server answered `100 Continue` before the body was sent. */
  readonly continued: boolean;
}

function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer; expectContinue?: boolean } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let continued = false;
    const headers: Record<string, string> = { ...options.headers };
    if (options.body) headers['content-length'] = String(options.body.length);
    if (options.expectContinue) headers.expect = '100-continue';
    // `path` is sent exactly as given: node:http does not normalise "//".
    const request = http.request({ host: url.hostname, port: url.port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), continued }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (options.expectContinue) {
      request.on('continue', () => {
        continued = true;
        request.end(options.body);
      });
      request.flushHeaders();
    } else {
      request.end(options.body);
    }
  });
}

/** A multipart body as Guzzle 3 builds it: every field first, then the files. */
function sdkMultipart(fields: readonly (readonly [string, string])[], files: readonly { field: string; name: string; bytes: Buffer }[]) {
  const boundary = `----SdkBoundary${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: image/jpeg\r\n\r\n`),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const form = (fields: readonly (readonly [string, string])[]) =>
  Buffer.from(fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

function parseJson(response: RawResponse): Record<string, unknown> {
  assert.match(String(response.headers['content-type']), /^application\/json/, response.body.toString().slice(0, 200));
  return JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
}

const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };

describeEachDialect("OPTretina PHP SDK's wire shapes", (dialect) => {
  let server: TestServer;
  let token = '';
  let caseId = 0;
  let od: Buffer;
  let os: Buffer;

  before(async () => {
    server = await startTestServer(dialect);
    [od, os] = await Promise.all([makeImage('jpeg', 320, 240), makeImage('jpeg', 320, 240)]);
  });
  after(() => server.close());

  it('POST //authorize with an empty redirect_uri gets a token (access_token, expires_in)', async () => {
    const { client_id, client_secret } = server.demo.client;
    const response = await rawRequest(server.baseUrl, 'POST', '//authorize', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form([
        ['client_id', client_id],
        ['client_secret', client_secret],
        ['redirect_uri', ''],
        ['grant_type', 'client_credentials'],
      ]),
    });
    assert.equal(response.status, 200, response.body.toString());
    const body = parseJson(response);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(typeof body.expires_in, 'number');
    token = body.access_token as string;
  });

  it('createCase: multipart to //cases, fields then access_token then images[0], images[1], with Expect: 100-continue', async () => {
    const { body, contentType } = sdkMultipart(
      [
        ['history_number', '40213'],
        ['first_name', 'Ana'],
        ['last_name', 'Ruiz'],
        ['gender', '1'],
        ['age', '64'],
        ['diabetes', '1'],
        ['visit_date', '2026-11-30'],
        ['od_sphere', '+1.25'],
        ['access_token', token],
      ],
      [
        { field: 'images[0]', name: 'od.jpg', bytes: od },
        { field: 'images[1]', name: 'os.jpg', bytes: os },
      ],
    );
    const response = await rawRequest(server.baseUrl, 'POST', '//cases', { headers: { 'content-type': contentType }, body, expectContinue: true });
    assert.equal(response.continued, true, 'the server answers 100 Continue before the body');
    assert.equal(response.status, 201, response.body.toString());
    const created = parseJson(response);
    assert.equal(created.success, true);
    assert.ok(Number.isInteger(created.content), 'the SDK reads the new id from content (intval)');
    caseId = created.content as number;
  });

  it('createCase without images: form-urlencoded to //cases with access_token last', async () => {
    const response = await rawRequest(server.baseUrl, 'POST', '//cases', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form([
        ['history_number', '40214'],
        ['gender', '0'],
        ['age', '58'],
        ['access_token', token],
      ]),
    });
    assert.equal(response.status, 201, response.body.toString());
    assert.ok(Number.isInteger(parseJson(response).content));
  });

  it('uploadImages: one file named "images" to //cases/{id}/images', async () => {
    const { body, contentType } = sdkMultipart([['access_token', token]], [{ field: 'images', name: 'extra.jpg', bytes: od }]);
    const response = await rawRequest(server.baseUrl, 'POST', `//cases/${caseId}/images`, { headers: { 'content-type': contentType }, body, expectContinue: true });
    assert.equal(response.status, 200, response.body.toString());
    assert.deepEqual(parseJson(response), { success: true, content: caseId });
  });

  it('GET //cases?access_token= (unencoded, no Accept): content and cases carry the same list', async () => {
    const response = await rawRequest(server.baseUrl, 'GET', `//cases?access_token=${token}`);
    assert.equal(response.status, 200, response.body.toString());
    const body = parseJson(response);
    assert.equal(body.success, true);
    assert.ok(Array.isArray(body.content));
    assert.deepEqual(body.cases, body.content, 'the SDK example reads $response->cases');
    assert.ok((body.cases as { id: number }[]).some((c) => c.id === caseId));
  });

  it('GET //cases/{id} and //centers with the token in the query', async () => {
    const one = parseJson(await rawRequest(server.baseUrl, 'GET', `//cases/${caseId}?access_token=${token}`));
    const found = one.content as { id: number; images: { file_name: string }[]; od_sphere: number };
    assert.equal(found.id, caseId);
    assert.deepEqual(found.images.map((i) => i.file_name), ['od.jpg', 'os.jpg', 'extra.jpg']);
    assert.equal(found.od_sphere, 1.25);
    const centers = parseJson(await rawRequest(server.baseUrl, 'GET', `//centers?access_token=${token}`));
    assert.equal((centers.content as unknown[]).length, 2);
  });

  it('getReport: //cases/report/{id} with no Accept is JSON whose content base64-decodes to the PDF', async () => {
    const pending = await rawRequest(server.baseUrl, 'GET', `//cases/report/${caseId}?access_token=${token}`);
    assert.equal(pending.status, 409);
    const refused = parseJson(pending);
    assert.equal(refused.success, false);
    assert.match(String(refused.content), /not been reported/, 'the SDK prints content on failure');

    const password = 'a long reader password';
    await server.platform.services.admin.createUser({ email: 'sdk-reader@read.org', role: 'reader', name: 'Dr SDK', password, licenceNumber: 'R-SDK' });
    const login = await fetch(`${server.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'sdk-reader@read.org', password }),
    });
    const reader = (await json<{ content: { access_token: string } }>(login)).content.access_token;
    const post = (path: string, body: unknown) =>
      fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { ...bearer(reader), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post(`/reading/cases/${caseId}/claim`, {})).status, 200);
    const signed = await post(`/reading/cases/${caseId}/sign`, { od: healthyEye, os: healthyEye, recommendation: 'Screen again in a year.', rescreen_months: 12 });
    assert.equal(signed.status, 200, await signed.clone().text());

    const response = await rawRequest(server.baseUrl, 'GET', `//cases/report/${caseId}?access_token=${token}`);
    assert.equal(response.status, 200);
    const decoded = parseJson(response);
    assert.equal(decoded.success, true);
    const pdf = Buffer.from(String(decoded.content), 'base64');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.length > 1000);
  });

  it('the raw PDF comes only when asked for: Accept application/pdf or ?format=pdf', async () => {
    const cases = [
      { accept: undefined, query: '', pdf: false },
      { accept: '*/*', query: '', pdf: false },
      { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', query: '', pdf: false },
      { accept: 'application/json', query: '', pdf: false },
      { accept: 'application/pdf', query: '', pdf: true },
      { accept: 'application/json;q=0.5, application/pdf', query: '', pdf: true },
      { accept: undefined, query: '&format=pdf', pdf: true },
      { accept: 'application/pdf', query: '&format=json', pdf: false },
    ];
    for (const c of cases) {
      const response = await rawRequest(server.baseUrl, 'GET', `/cases/report/${caseId}?access_token=${token}${c.query}`, {
        headers: c.accept === undefined ? {} : { accept: c.accept },
      });
      assert.equal(response.status, 200, `${c.accept} ${c.query}`);
      if (c.pdf) {
        assert.equal(response.headers['content-type'], 'application/pdf', `${c.accept} ${c.query}`);
        assert.equal(response.body.subarray(0, 5).toString('latin1'), '%PDF-');
      } else {
        assert.match(String(response.headers['content-type']), /^application\/json/, `${c.accept} ${c.query}`);
        assert.equal(Buffer.from(String(parseJson(response).content), 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
      }
      assert.match(String(response.headers.vary), /accept/i);
    }
    const bad = await rawRequest(server.baseUrl, 'GET', `/cases/report/${caseId}?access_token=${token}&format=docx`);
    assert.equal(bad.status, 400);
    assert.equal((parseJson(bad).error as { fields: { field: string }[] }).fields[0]!.field, 'format');
  });

  it('change-center: form-urlencoded to //change-center with access_token as the last field', async () => {
    const second = server.demo.centers[1]!.id;
    const response = await rawRequest(server.baseUrl, 'POST', '//change-center', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form([
        ['center_id', String(second)],
        ['access_token', token],
      ]),
    });
    assert.equal(response.status, 200, response.body.toString());
    assert.equal((parseJson(response).content as { id: number }).id, second);
  });

  it('repeated slashes anywhere in a path mean one, for every route', async () => {
    for (const path of [`///cases/${caseId}?access_token=${token}`, `/cases//${caseId}?access_token=${token}`, `//cases///${caseId}?access_token=${token}`]) {
      const response = await rawRequest(server.baseUrl, 'GET', path);
      assert.equal(response.status, 200, `${path}: ${response.body.toString()}`);
    }
    const me = await rawRequest(server.baseUrl, 'GET', '//me');
    assert.equal(me.status, 401, 'an extension route is found too (and asks for a login)');
  });

  it('every error answer carries a readable string in content', async () => {
    const answers = [
      await rawRequest(server.baseUrl, 'GET', `//cases/987654321?access_token=${token}`),
      await rawRequest(server.baseUrl, 'GET', '//cases?access_token=not-a-token'),
      await rawRequest(server.baseUrl, 'GET', '//cases'),
      await rawRequest(server.baseUrl, 'GET', '//no-such-route'),
      await rawRequest(server.baseUrl, 'DELETE', `//cases/${caseId}`),
      await rawRequest(server.baseUrl, 'POST', '//authorize', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form([['grant_type', 'password']]) }),
      await rawRequest(server.baseUrl, 'POST', '//authorize', { headers: { 'content-type': 'application/json' }, body: Buffer.from('{') }),
      await rawRequest(server.baseUrl, 'POST', '//change-center', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form([
          ['center_id', 'abc'],
          ['access_token', token],
        ]),
      }),
      await rawRequest(server.baseUrl, 'GET', `//cases/abc?access_token=${token}`),
    ];
    for (const answer of answers) {
      assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status}: ${answer.body.toString()}`);
      const body = parseJson(answer);
      assert.equal(body.success, false, answer.body.toString());
      assert.equal(typeof body.content, 'string', answer.body.toString());
      assert.ok((body.content as string).length > 3, answer.body.toString());
      assert.doesNotMatch(body.content as string, /FST_|ERR_|#\/|schema/i, `no internal names: ${String(body.content)}`);
    }
  });
});
