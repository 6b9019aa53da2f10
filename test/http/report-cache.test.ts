import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ReportCache } from '../../src/services/report-cache.js';
import { ReportService } from '../../src/services/report.service.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { newReader } from '../helpers/people.js';
import { pdfText } from '../helpers/pdf.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T };

const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };

describeEachDialect('report downloads: kept in memory, entity tags, 304', (dialect) => {
  let server: TestServer;
  let clientToken: string;
  let reader: string;

  const post = (url: string, body: unknown) =>
    fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { ...bearer(reader), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const signedCase = async () => {
    const form = new FormData();
    form.append('images[]', new Blob([await makeImage('jpeg', 64, 64)]), 'od.jpg');
    for (const [k, v] of Object.entries({ history_number: `RC-${Math.random()}`, gender: '1', age: '61' })) form.append(k, v);
    const id = (await json<Envelope<number>>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(clientToken), body: form }))).content;
    assert.equal((await post(`/reading/cases/${id}/claim`, {})).status, 200);
    assert.equal((await post(`/reading/cases/${id}/sign`, { od: healthyEye, os: healthyEye, recommendation: 'Rescreen in a year.', rescreen_months: 12 })).status, 200);
    return id;
  };
  const download = (id: number, headers: Record<string, string> = {}, format = 'pdf') =>
    fetch(`${server.baseUrl}/cases/report/${id}?format=${format}`, { headers: { ...bearer(clientToken), ...headers } });
  const reportReads = async (id: number) => {
    await server.platform.services.audit.settled();
    const rows = await server.platform.database.db.selectFrom('audit_entries').select('status').where('action', '=', 'report.read').where('case_id', '=', id).orderBy('seq').execute();
    return rows.map((r) => Number(r.status));
  };

  before(async () => {
    server = await startTestServer(dialect);
    clientToken = await server.token();
    reader = await newReader(server, 'rc@read.org');
  });
  after(() => server.close());

  it('tags each form; If-None-Match with the tag answers 304 with no body; every download is audited', async () => {
    const id = await signedCase();
    const first = await download(id);
    assert.equal(first.status, 200);
    const pdf = Buffer.from(await first.arrayBuffer());
    const tag = first.headers.get('etag');
    assert.match(tag ?? '', /^"[0-9a-f]{64}"$/);
    assert.equal(first.headers.get('cache-control'), 'private, no-cache');

    const again = await download(id);
    assert.equal(again.headers.get('etag'), tag, 'the same version, the same tag');
    assert.ok(Buffer.from(await again.arrayBuffer()).equals(pdf));

    const notModified = await download(id, { 'if-none-match': tag! });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get('etag'), tag);
    assert.equal((await notModified.arrayBuffer()).byteLength, 0, 'no body');
    assert.equal((await download(id, { 'if-none-match': `"other", W/${tag!}` })).status, 304, 'weak comparison, any listed tag');
    assert.equal((await download(id, { 'if-none-match': '"other"' })).status, 200);

    const asJson = await download(id, { accept: 'application/json' }, 'json');
    assert.equal(asJson.status, 200);
    assert.equal(asJson.headers.get('content-type'), 'application/json; charset=utf-8');
    const jsonTag = asJson.headers.get('etag');
    assert.notEqual(jsonTag, tag, 'the base64 answer is another representation');
    const body = (await asJson.json()) as Envelope<string>;
    assert.deepEqual(Object.keys(body), ['success', 'content']);
    assert.ok(Buffer.from(body.content, 'base64').equals(pdf));
    assert.equal((await download(id, { 'if-none-match': jsonTag! }, 'json')).status, 304);
    assert.equal((await download(id, { 'if-none-match': jsonTag! })).status, 200, "the JSON form's tag does not match the PDF");

    assert.deepEqual(await reportReads(id), [200, 200, 304, 304, 200, 200, 304, 200], 'one audit entry per download, 304s included');
  });

  it('an amended report is a new version: new bytes and tag, and the old tag gets a 200 with them', async () => {
    const id = await signedCase();
    const v1 = await download(id);
    const v1Tag = v1.headers.get('etag')!;
    const v1Pdf = Buffer.from(await v1.arrayBuffer());
    assert.equal((await download(id)).status, 200); // read back from the store: now kept in memory
    const amended = await post(`/reading/cases/${id}/amend`, { od: { ...healthyEye, dr: 'moderate' }, os: healthyEye, recommendation: 'See an ophthalmologist.', amend_reason: 'second look' });
    assert.equal(amended.status, 200);

    const v2 = await download(id, { 'if-none-match': v1Tag });
    assert.equal(v2.status, 200);
    const v2Pdf = Buffer.from(await v2.arrayBuffer());
    assert.ok(!v2Pdf.equals(v1Pdf));
    assert.notEqual(v2.headers.get('etag'), v1Tag);
    assert.ok((await pdfText(v2Pdf)).includes('Report version 2 (amended)'));
    const json2 = (await (await download(id, {}, 'json')).json()) as Envelope<string>;
    assert.ok(Buffer.from(json2.content, 'base64').equals(v2Pdf), 'the base64 answer is of the new version too');
  });

  it('answers a kept PDF from memory, and still checks access and the case for each download', async () => {
    const id = await signedCase();
    const first = Buffer.from(await (await download(id)).arrayBuffer());
    assert.equal((await download(id)).status, 200); // read back from the store: now kept
    await server.platform.blobs.delete(ReportService.keyOf(id, 1));
    const kept = await download(id);
    assert.equal(kept.status, 200);
    assert.ok(Buffer.from(await kept.arrayBuffer()).equals(first), 'served from memory, the store not read');
    const forged = await fetch(`${server.baseUrl}/cases/report/${id}?format=pdf`, { headers: bearer('ort_forged') });
    assert.equal(forged.status, 401);
    const { admin } = server.platform.services;
    const elsewhere = await admin.createOrganisation(`Elsewhere ${dialect}`);
    const far = await admin.createCenter({ name: 'Far', language: 'en', organisationId: elsewhere.id });
    const strangerToken = await server.token(await admin.createApiClient({ name: 'stranger', centerIds: [far.id] }));
    assert.equal((await fetch(`${server.baseUrl}/cases/report/${id}?format=pdf`, { headers: bearer(strangerToken) })).status, 404, 'another tenant gets a 404, kept or not');
  });
});

describe('ReportCache: the byte budget', () => {
  const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

  it('keeps PDFs and their base64 answers within the budget, dropping the least recently used', () => {
    const cache = new ReportCache(8000);
    cache.put('a', bytes(2000, 1));
    cache.put('b', bytes(2000, 2));
    cache.put('c', bytes(2000, 3));
    assert.equal(cache.bytes, 6000);
    assert.ok(cache.get('a'), 'a is now the most recently used');
    cache.get('c')!.jsonBody(); // adds the base64 answer: about 2,700 bytes
    assert.ok(cache.bytes <= 8000, `${cache.bytes} bytes held`);
    assert.equal(cache.get('b'), undefined, 'b, the least recently used, went');
    assert.ok(cache.get('a') && cache.get('c'));
    cache.put('d', bytes(3000, 4));
    assert.ok(cache.bytes <= 8000, `${cache.bytes} bytes held`);
    assert.ok(cache.get('d'), 'the newest is kept');
    assert.equal(cache.get('a'), undefined, 'a was the least recently used then');
  });

  it('keeps nothing it could not hold with its base64 answer, and nothing with a budget of 0', () => {
    const small = new ReportCache(1000);
    const download = small.put('big', bytes(600, 5));
    assert.equal(small.get('big'), undefined);
    assert.equal(small.bytes, 0);
    assert.ok(Buffer.from(JSON.parse(download.jsonBody().toString()).content, 'base64').equals(bytes(600, 5)), 'still answered');
    const off = new ReportCache(0);
    off.put('x', bytes(10, 6));
    assert.equal(off.get('x'), undefined);
  });

  it('replacing a key counts its bytes once', () => {
    const cache = new ReportCache(10_000);
    cache.put('a', bytes(1000, 1)).jsonBody();
    const held = cache.bytes;
    cache.put('a', bytes(1000, 1));
    assert.equal(cache.bytes, 1000);
    assert.ok(held > 1000);
  });
});
