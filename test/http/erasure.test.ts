import '../helpers/setup.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import { parseAllowList } from '../../src/domain/callback-target.js';
import { HISTORY_NUMBER_PSEUDONYM, pseudonymSubject } from '../../src/domain/erasure.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { cliJson } from '../helpers/cli.js';
import { dicomFromJpeg } from '../helpers/dicom.js';
import { testEnv } from '../helpers/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { TEST_PASSWORD, logIn, newReader } from '../helpers/people.js';
import { type TestS3, describeWithS3, uniquePrefix } from '../helpers/s3.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string; rule: string }[] } };
type ReadingView = { case: { images: { id: number }[] } };
interface Summary {
  center_id: number;
  case_ids: number[];
  history_number_hmacs: string[];
  cases: number;
  images: number;
  previews: number;
  reports: number;
  callbacks: number;
  idempotency_keys: number;
  dicom_inbox_studies: number;
  blobs_deleted: number;
  blobs_left: number;
}
interface AuditEntry {
  action: string;
  actor: { kind: string; id: number | null };
  center_id: number | null;
  object: { kind: string; id: number } | null;
  detail: string | null;
}

/** Where the bytes of the blob store lie: every stored file, read whole (the disk store's folder, or the whole bucket). */
type StoreContents = () => Promise<Buffer[]>;

const healthyEye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none', vertical_cdr: 0.3, hypertensive: 'none' };
/** The patient erased: a history number found nowhere else, and names to look for in every row. */
const PATIENT = { history_number: 'ERASE-7781', first_name: 'Olvidada', last_name: 'Borrable' };
const OTHER = { history_number: 'KEEP-5521', first_name: 'Conservada', last_name: 'Presente' };

/** Three pieces of a file from its middle part: a few hundred bytes that occur in no other file. */
function markersOf(bytes: Buffer): Buffer[] {
  return [0.3, 0.5, 0.8].map((at) => {
    const start = Math.floor(bytes.length * at);
    return bytes.subarray(start, start + 48);
  });
}

const holds = (files: readonly Buffer[], marker: Buffer) => files.some((file) => file.includes(marker));

async function filesUnder(dir: string): Promise<Buffer[]> {
  const found: Buffer[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found.push(await fs.readFile(path.join(entry.parentPath, entry.name)));
  }
  return found;
}

async function bucketObjects(s3: TestS3): Promise<Buffer[]> {
  const found: Buffer[] = [];
  for (const key of await s3.objectKeys('')) {
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    found.push(Buffer.from(await object.Body!.transformToByteArray()));
  }
  return found;
}

/**
 * Erasure end to end: cases with photographs sent through the API (one as a
 * DICOM file, kept as it came, its photograph a range of it), previews made, read and signed by a reader, their PDFs rendered, a callback queued
 * and an Idempotency-Key stored; then an administrator erases the patient,
 * and nothing of theirs is left: no answer, no row, no byte of a photograph,
 * DICOM file or preview in the blob store; the audit chain still verifies and keeps
 * only a keyed hash of the history number. The other patient is untouched.
 */
function erasureSuite(start: () => Promise<{ server: TestServer; contents: StoreContents; env: Record<string, string> }>): void {
  let server: TestServer;
  let contents: StoreContents;
  let env: Record<string, string>;
  let client: string;
  let reader: string;
  let admin: string;
  let centerId: number;

  before(async () => {
    ({ server, contents, env } = await start());
    client = await server.token();
    reader = await newReader(server, `reader-${Math.random().toString(36).slice(2)}@read.org`);
    await server.platform.services.admin.createUser({ email: 'dpo@admin.org', role: 'admin', name: 'Admin', password: TEST_PASSWORD });
    admin = await logIn(server, 'dpo@admin.org');
    centerId = server.demo.centers[0]!.id;
  });
  after(() => server?.close());

  const call = (method: string, url: string, token: string, body?: unknown) =>
    fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const createCase = async (fields: Record<string, string>, photos: readonly Buffer[], headers: Record<string, string> = {}) => {
    const form = new FormData();
    photos.forEach((bytes, i) => form.append('images[]', new Blob([bytes]), `eye-${i}.jpg`));
    for (const [k, v] of Object.entries({ gender: '1', age: '61', callback_url: 'http://127.0.0.1:9/hook', ...fields })) form.append(k, v);
    const response = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: { ...bearer(client), ...headers }, body: form });
    assert.equal(response.status, 201, await response.clone().text());
    return (await json<Envelope<number>>(response)).content;
  };
  /** Claims, reads every image and its variants (returned), signs, and downloads both PDFs of a case. */
  const readAndSign = async (caseId: number) => {
    assert.equal((await call('POST', `/reading/cases/${caseId}/claim`, reader)).status, 200);
    const view = (await json<Envelope<ReadingView>>(await call('GET', `/reading/cases/${caseId}`, reader))).content;
    const variants: Buffer[] = [];
    for (const image of view.case.images) {
      for (const variant of ['preview', 'thumb']) {
        const response = await call('GET', `/reading/cases/${caseId}/images/${image.id}?variant=${variant}`, reader);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('x-image-variant'), variant);
        variants.push(Buffer.from(await response.arrayBuffer()));
      }
    }
    const signed = await call('POST', `/reading/cases/${caseId}/sign`, reader, { od: healthyEye, os: healthyEye, recommendation: 'Rescreen in a year.', rescreen_months: 12 });
    assert.equal(signed.status, 200, await signed.clone().text());
    assert.equal((await fetch(`${server.baseUrl}/cases/report/${caseId}?format=pdf`, { headers: bearer(client) })).status, 200);
    assert.equal((await call('GET', `/reading/cases/${caseId}/report`, reader)).status, 200);
    return { imageIds: view.case.images.map((i) => i.id), variants };
  };
  const erase = (body: unknown, token = admin) => call('POST', '/admin/erasures', token, body);

  it('erases every case of a history number: no answer, no row, no byte of its photographs or previews; the trail keeps a keyed hash', async () => {
    const { db } = server.platform.database;
    const photos = await Promise.all([makeImage('jpeg', 640, 480), makeImage('jpeg', 600, 450), makeImage('jpeg', 560, 420)]);
    const otherPhoto = await makeImage('jpeg', 620, 460);
    // One photograph comes as a camera's DICOM file: its header names the patient; the file is kept, its photograph read from it.
    const dicomName = `${PATIENT.last_name}^${PATIENT.first_name}`;
    const dicom = await dicomFromJpeg(photos[1]!, { attributes: { PatientName: dicomName, PatientID: PATIENT.history_number } });
    const nameAt = dicom.indexOf(dicomName, 0, 'latin1');
    assert.ok(nameAt > 0, 'the DICOM header carries the name');
    const first = await createCase(PATIENT, [photos[0]!, dicom]);
    const second = await createCase(PATIENT, [photos[2]!], { 'idempotency-key': `erase-${Math.random()}` });
    const other = await createCase(OTHER, [otherPhoto]);
    while (await server.platform.services.previews.runNext()) {
      // the image worker's step: previews, thumbnails and checks of every image
    }
    const read = await readAndSign(first);
    const otherRead = await readAndSign(other);
    // The second case is still pending: its previews were made, a reader opened it.
    assert.equal((await call('POST', `/reading/cases/${second}/claim`, reader)).status, 200);
    const secondView = (await json<Envelope<ReadingView>>(await call('GET', `/reading/cases/${second}`, reader))).content;
    const variants = [...read.variants];
    for (const image of secondView.case.images) {
      for (const variant of ['preview', 'thumb']) variants.push(Buffer.from(await (await call('GET', `/reading/cases/${second}/images/${image.id}?variant=${variant}`, reader)).arrayBuffer()));
    }
    const imageIds = [...read.imageIds, ...secondView.case.images.map((i) => i.id)];
    const deliveries = await db.selectFrom('callback_deliveries').select(['id', 'state']).where('case_id', '=', first).execute();
    assert.equal(deliveries.length, 1, 'the signature queued a callback');
    assert.equal(deliveries[0]!.state, 'pending');
    const dicomImageId = (await db.selectFrom('case_images').select('id').where('case_id', '=', first).where('dicom_blob_key', 'is not', null).executeTakeFirstOrThrow()).id;
    const dicomUrl = `${server.baseUrl}/cases/${first}/images/${dicomImageId}/dicom`;
    assert.equal((await fetch(dicomUrl, { headers: bearer(client) })).status, 200);
    const erasedMarkers = [...photos, ...variants, dicom].flatMap(markersOf);
    erasedMarkers.push(dicom.subarray(nameAt - 16, nameAt + 32));
    const keptMarkers = [otherPhoto, ...otherRead.variants].flatMap(markersOf);
    const before = await contents();
    assert.ok(erasedMarkers.every((m) => holds(before, m)) && keptMarkers.every((m) => holds(before, m)), 'the search finds every photograph and preview while stored');

    const response = await erase({ center_id: centerId, history_number: PATIENT.history_number });
    assert.equal(response.status, 200, await response.clone().text());
    const summary = (await json<Envelope<Summary>>(response)).content;
    const secrets = await SecretBox.open(server.platform.config.secretKey, server.platform.config.dataDir);
    const hmac = secrets.pseudonym(HISTORY_NUMBER_PSEUDONYM, pseudonymSubject(centerId, PATIENT.history_number));
    assert.deepEqual(
      { ...summary, blobs_deleted: summary.blobs_deleted > 0 },
      {
        center_id: centerId,
        case_ids: [first, second],
        history_number_hmacs: [hmac],
        cases: 2,
        images: 3,
        previews: 6,
        reports: 1,
        callbacks: 1,
        idempotency_keys: 1,
        dicom_inbox_studies: 0,
        blobs_deleted: true,
        blobs_left: 0,
      },
    );
    // Two originals, one DICOM file (the third original is a range of it), six variants, two PDFs.
    assert.equal(summary.blobs_deleted, 11);

    for (const id of [first, second]) {
      assert.equal((await fetch(`${server.baseUrl}/cases/${id}`, { headers: bearer(client) })).status, 404);
      assert.equal((await fetch(`${server.baseUrl}/cases/report/${id}?format=pdf`, { headers: bearer(client) })).status, 404);
      assert.equal((await call('GET', `/reading/cases/${id}`, reader)).status, 404);
    }
    assert.equal((await call('GET', `/reading/cases/${first}/images/${read.imageIds[0]}?variant=original`, reader)).status, 404);
    assert.equal((await fetch(dicomUrl, { headers: bearer(client) })).status, 404);

    // No row of any table names the cases, their images or their callbacks, and no text column holds the patient.
    const tables = await db.introspection.getTables();
    const refs: Record<string, readonly number[]> = { case_id: [first, second], image_id: imageIds, delivery_id: deliveries.map((d) => d.id) };
    for (const table of tables) {
      for (const column of table.columns) {
        const ids = refs[column.name];
        if (ids !== undefined && table.name !== 'audit_entries') {
          const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)} where ${sql.ref(column.name)} in (${sql.join(ids)})`.execute(db);
          assert.equal(Number(rows[0]!.n), 0, `${table.name}.${column.name}`);
        }
        if (/text|char/i.test(column.dataType)) {
          for (const word of [PATIENT.history_number, PATIENT.first_name, PATIENT.last_name]) {
            const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)} where ${sql.ref(column.name)} like ${`%${word}%`}`.execute(db);
            assert.equal(Number(rows[0]!.n), 0, `${table.name}.${column.name} holds ${word}`);
          }
        }
      }
    }
    assert.equal(Number((await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', [first, second]).executeTakeFirstOrThrow()).n), 0);

    // Not one byte sequence of the erased photographs or their previews is left anywhere in the store; the other patient's all are.
    const after = await contents();
    for (const [i, marker] of erasedMarkers.entries()) assert.ok(!holds(after, marker), `piece ${i} of an erased photograph, DICOM file or preview is still stored`);
    assert.ok(keptMarkers.every((m) => holds(after, m)), "the other patient's photographs and previews are all there");
    const otherCase = await fetch(`${server.baseUrl}/cases/${other}`, { headers: bearer(client) });
    assert.equal(otherCase.status, 200);
    assert.equal((await fetch(`${server.baseUrl}/cases/report/${other}?format=pdf`, { headers: bearer(client) })).status, 200);

    // The chain verifies, and the erasure's entry names the cases and the keyed hash, never the number.
    await server.platform.services.audit.settled();
    const verdict = await server.platform.services.audit.verify();
    assert.ok(verdict.ok, JSON.stringify(verdict));
    const trail = await json<Envelope<AuditEntry[]>>(await call('GET', `/admin/audit?limit=500`, admin));
    const entry = trail.content.find((e) => e.action === 'patient.erase');
    assert.ok(entry, 'the erasure is in the trail');
    assert.equal(entry.actor.kind, 'user');
    assert.equal(entry.center_id, centerId);
    assert.deepEqual(JSON.parse(entry.detail!), { by: 'history_number', history_number_hmacs: [hmac], case_ids: [first, second], cases: 2 });
    assert.ok(!JSON.stringify(trail).includes(PATIENT.history_number));
    // The entries recorded before stay: who read the erased cases is still known, by id.
    assert.ok(trail.content.some((e) => e.action === 'reading_view.read' && e.object?.id === first));
  });

  it('leaves nothing behind a PDF rendered while the case was being erased: housekeeping removes report files of cases that are gone', async () => {
    const keptCase = await createCase({ history_number: 'SWEEP-KEEP' }, [await makeImage('jpeg', 480, 360)]);
    const goneCase = await createCase({ history_number: 'SWEEP-GONE' }, [await makeImage('jpeg', 500, 360)]);
    const { blobs, housekeeping } = server.platform;
    const erased = await erase({ center_id: centerId, case_ids: [goneCase] });
    assert.equal(erased.status, 200);
    // What a rendering that read the case just before the erasure writes just after it.
    const late = `reports/${goneCase}/v1.pdf`;
    const kept = `reports/${keptCase}/v1.pdf`;
    await blobs.put(late, [Buffer.from('%PDF-1.7 rendered late')]);
    await blobs.put(kept, [Buffer.from('%PDF-1.7 of a case that is there')]);
    // Two hours on: past the age below which housekeeping leaves files to uploads under way.
    const result = await housekeeping.runOnce(new Date(Date.now() + 2 * 3600_000));
    assert.ok(result.orphanBlobs >= 1);
    assert.equal(await blobs.exists(late), false, 'the late PDF of the erased case is gone');
    assert.equal(await blobs.exists(kept), true, 'the PDF of a case that exists stays');
    // The run two hours ahead also expired the client's token.
    client = await server.token();
    assert.equal((await fetch(`${server.baseUrl}/cases/${keptCase}`, { headers: bearer(client) })).status, 200);
  });

  it('erases cases by id from the command line, and refuses other organisations, other roles and bad requests with nothing erased', async () => {
    const kept = await createCase({ history_number: 'CLI-1' }, [await makeImage('jpeg', 500, 400)]);
    const gone = await createCase({ history_number: 'CLI-2' }, [await makeImage('jpeg', 520, 400)]);

    const { organisation, center } = await (async () => {
      const org = await server.platform.services.admin.createOrganisation('Elsewhere');
      return { organisation: org, center: await server.platform.services.admin.createCenter({ name: 'Far away', language: 'en', organisationId: org.id }) };
    })();
    assert.ok(organisation.id > 0);
    const status = async (body: unknown, token = admin) => {
      const response = await erase(body, token);
      return { status: response.status, body: await json<Envelope>(response) };
    };
    assert.equal((await status({ center_id: center.id, history_number: 'CLI-1' })).status, 404, "another organisation's center does not exist");
    assert.equal((await status({ center_id: 999_999, history_number: 'CLI-1' })).status, 404);
    assert.equal((await status({ center_id: centerId, history_number: 'NOBODY' })).status, 404);
    assert.equal((await status({ center_id: centerId, case_ids: [kept, 999_999] })).status, 404, 'one case missing: nothing erased');
    const both = await status({ center_id: centerId, history_number: 'CLI-1', case_ids: [kept] });
    assert.equal(both.status, 400);
    assert.equal(both.body.error?.fields?.[0]?.field, 'history_number');
    assert.equal((await status({ center_id: centerId })).status, 400);
    assert.equal((await status({ center_id: centerId, case_ids: [] })).status, 400);
    assert.equal((await status({ center_id: centerId, case_ids: [kept] }, reader)).status, 403);
    assert.equal((await status({ center_id: centerId, case_ids: [kept] }, client)).status, 401, 'an API client has no session of a person');
    assert.equal((await fetch(`${server.baseUrl}/cases/${kept}`, { headers: bearer(client) })).status, 200, 'nothing erased by a refused request');

    const printed = await cliJson(env, 'erase', '--center', String(centerId), '--case-ids', String(gone));
    assert.deepEqual([printed.case_ids, printed.cases, printed.images, printed.blobs_left], [[gone], 1, 1, 0]);
    assert.equal((await fetch(`${server.baseUrl}/cases/${gone}`, { headers: bearer(client) })).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/cases/${kept}`, { headers: bearer(client) })).status, 200);
    const verdict = await server.platform.services.audit.verify();
    assert.ok(verdict.ok);
    const last = await server.platform.database.db.selectFrom('audit_entries').selectAll().where('action', '=', 'patient.erase').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    assert.equal(last.actor_kind, 'cli');
    assert.deepEqual(JSON.parse(last.detail!).case_ids, [gone]);
  });
}

function callbackConfig(): Partial<Config> {
  return { callbacks: { ...loadConfig({}).callbacks, allow: parseAllowList(['127.0.0.1']).allow } };
}

/**
 * Each database and each blob store once: SQLite with the disk store, PostgreSQL
 * with S3. Erasure reaches rows through Kysely and bytes through the BlobStore
 * interface, which do not depend on each other, so the other two pairings ran
 * no code these two do not.
 */
describeEachDialect('erasure of a patient (GDPR art. 17)', (dialect) => {
  if (dialect === 'sqlite') {
    describe('on the disk blob store', () => {
      erasureSuite(async () => {
        const server = await startTestServer(dialect, callbackConfig());
        const blobDir = server.platform.config.blobDir;
        return { server, contents: () => filesUnder(blobDir), env: testEnv(server.database) };
      });
    });
    return;
  }
  describeWithS3('on the S3 blob store (s3rver)', (s3) => {
    erasureSuite(async () => {
      const prefix = uniquePrefix(`erasure-${dialect}`);
      const server = await startTestServer(dialect, { ...callbackConfig(), s3Blobs: s3().settings(prefix) });
      const { OPENRETINA_BLOB_DIR: _disk, ...env } = testEnv(server.database);
      return { server, contents: () => bucketObjects(s3()), env: { ...env, OPENRETINA_BLOB_URL: s3().blobUrl(prefix) } };
    });
  });
});
