import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runCli } from '../../src/cli/program.js';
import { type DicomReceiver, startDicomReceiver } from '../../src/dimse/receiver.js';
import { DicomStudyWorker } from '../../src/workers/dicom-study.worker.js';
import type { StudyRun } from '../../src/services/dicom-intake.service.js';
import { type TestClock, testClock } from '../helpers/clock.js';
import { dicomFromJpeg } from '../helpers/dicom.js';
import { testEnv } from '../helpers/config.js';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

const run = promisify(execFile);

type WireCase = {
  id: number;
  history_number: string | null;
  first_name: string | null;
  last_name: string | null;
  age: number | null;
  gender: number | null;
  visit_date: string;
  images: { eye: string | null; eye_source: string | null; content_type: string; dicom: { sop_class: string } | null }[];
};

const STABLE_SECONDS = 1;
const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Issue 12, item 5: the DICOM network intake. dcmtk's storescu sends files
 * to a center's AE title on 127.0.0.1; once the study has been quiet for the
 * stable time (1 s here) it is one case with every image, the eyes from
 * ImageLaterality and the patient from the files' tags, which the center's
 * API client reads. Unknown calling or called AE titles are refused before
 * anything is stored; a study that cannot be a case stays in the inbox with
 * the reason until discarded.
 * The stable time runs on the platform's test clock: once storescu has
 * returned (every file of its association received), the test skips the
 * quiet second rather than wait for it.
 */
describeEachDialect('DICOM network intake (C-STORE)', (dialect) => {
  let server: TestServer;
  let receiver: DicomReceiver;
  let worker: DicomStudyWorker;
  let token = '';
  let jpeg: Buffer;
  let dir = '';
  let clock: TestClock;
  const runs: StudyRun[] = [];

  const db = () => server.platform.database.db;
  const inboxFiles = async () => {
    const entries = await fs.readdir(path.join(server.platform.config.blobDir, 'dicom-inbox'), { withFileTypes: true, recursive: true }).catch(() => []);
    return entries.filter((e) => e.isFile()).length;
  };
  const count = async (table: 'cases' | 'dicom_instances' | 'dicom_studies') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  /** Writes .dcm files of one study and sends them with storescu (proposing JPEG baseline, `-xy`, as a camera does); resolves with its exit code and output. */
  const send = async (files: readonly Buffer[], options: { calling?: string; called?: string; proposeJpeg?: boolean; port?: number } = {}) => {
    const paths = await Promise.all(
      files.map(async (bytes, i) => {
        const file = path.join(dir, `${Date.now()}-${i}-${Math.random().toString(36).slice(2)}.dcm`);
        await fs.writeFile(file, bytes);
        return file;
      }),
    );
    try {
      const { stdout, stderr } = await run('storescu', ['-v', ...(options.proposeJpeg === false ? [] : ['-xy']), '-aet', options.calling ?? 'CAMERA', '-aec', options.called ?? 'RETINA_A', '127.0.0.1', String(options.port ?? receiver.port), ...paths]);
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, output: (failed.stdout ?? '') + (failed.stderr ?? '') };
    }
  };
  /** The run `what` names, once the studies sent so far have been quiet for the stable time (skipped on the clock). */
  const untilRun = async (what: (r: StudyRun) => boolean, timeoutMs = 10_000): Promise<StudyRun> => {
    clock.advance(STABLE_SECONDS * 1000);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = runs.find(what);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no study run as expected within ${timeoutMs} ms: ${JSON.stringify(runs)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const study = (uid: string, attributes: Record<string, string>) =>
    (laterality: string) => dicomFromJpeg(jpeg, { sopClass: 'ophthalmic_photography', attributes: { StudyInstanceUID: uid, ImageLaterality: laterality, ...attributes } });

  before(async () => {
    clock = testClock();
    server = await startTestServer(
      dialect,
      {
        previews: { pollMs: 3_600_000, threads: 1 },
        dicom: { port: 0, host: '127.0.0.1', stableSeconds: STABLE_SECONDS, pollMs: 100 },
      },
      { now: clock.now },
    );
    token = await server.token();
    jpeg = await makeImage('jpeg', 320, 240);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-storescu-'));
    await server.platform.services.dicomIntake.setNode(server.demo.centers[0]!.id, { aeTitle: 'RETINA_A', callingAeTitles: ['CAMERA', 'ARCHIVE'] });
    receiver = await startDicomReceiver(server.platform, SILENT);
    worker = new DicomStudyWorker(server.platform.services.dicomIntake, { wakeups: server.platform.wakeups, pollMs: 100, onRun: (r) => runs.push(r) });
    worker.start();
  });
  // Each test waits for the runs its own files cause; earlier tests' runs must not answer for them.
  beforeEach(() => {
    runs.length = 0;
  });
  after(async () => {
    await worker.stop();
    await receiver.close();
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('answers C-ECHO from an allowed calling AE', async () => {
    const { stdout, stderr } = await run('echoscu', ['-aet', 'CAMERA', '-aec', 'RETINA_A', '127.0.0.1', String(receiver.port)]);
    assert.doesNotMatch(stdout + stderr, /reject|fail/i);
  });

  it('makes one case of a study once it has been quiet: every image, the eyes from ImageLaterality, the patient from the tags', async () => {
    const make = study('1.2.826.0.1.3680043.10.1001.1', {
      PatientID: 'HN-DICOM-1',
      PatientName: 'Doe^Jane',
      PatientSex: 'F',
      PatientAge: '061Y',
      StudyDate: '20260102',
    });
    const files = await Promise.all(['R', 'L', 'R'].map(make));
    const casesBefore = await count('cases');
    const sent = await send(files);
    assert.equal(sent.code, 0, sent.output);
    assert.ok((await count('dicom_instances')) === 3 || runs.some((r) => r.outcome === 'case'), 'each file is in the inbox before the C-STORE is answered');
    const made = await untilRun((r) => r.outcome === 'case');
    assert.equal(made.outcome, 'case');
    if (made.outcome !== 'case') return;
    assert.equal(made.images, 3);
    assert.equal(await count('cases'), casesBefore + 1, 'exactly one case');

    const response = await fetch(`${server.baseUrl}/cases/${made.caseId}`, { headers: bearer(token) });
    assert.equal(response.status, 200);
    const found = (await json<{ content: WireCase }>(response)).content;
    assert.deepEqual(
      [found.history_number, found.first_name, found.last_name, found.gender, found.age, found.visit_date],
      ['HN-DICOM-1', 'Jane', 'Doe', 1, 61, '2026-01-02'],
    );
    assert.deepEqual(found.images.map((i) => i.eye).sort(), ['od', 'od', 'os']);
    assert.ok(found.images.every((i) => i.eye_source === 'dicom' && i.content_type === 'image/jpeg' && i.dicom?.sop_class === 'ophthalmic_photography'));

    // The inbox gave the files up: no file row, no file; the study remembers its case; the creation is in the audit trail.
    assert.equal(await count('dicom_instances'), 0);
    assert.deepEqual(await db().selectFrom('dicom_studies').select(['state', 'case_id']).execute(), [{ state: 'done', case_id: made.caseId }]);
    assert.deepEqual(await server.platform.services.dicomIntake.listStudies(), [], 'a done study is not waiting');
    assert.equal(await inboxFiles(), 0);
    const entry = await db().selectFrom('audit_entries').selectAll().where('case_id', '=', made.caseId).where('action', '=', 'case.create').executeTakeFirst();
    assert.equal(entry?.actor_kind, 'dicom');
    assert.equal(entry?.center_id, server.demo.centers[0]!.id);

    // A file of the study sent later (a photograph retaken) joins the case while it is pending…
    const late = await send([await make('L')]);
    assert.equal(late.code, 0, late.output);
    const joined = await untilRun((r) => r.outcome === 'joined');
    assert.deepEqual(joined.outcome === 'joined' ? [joined.caseId, joined.images] : [], [made.caseId, 1]);
    assert.equal(await count('cases'), casesBefore + 1, 'still one case');
    const grown = (await json<{ content: WireCase }>(await fetch(`${server.baseUrl}/cases/${made.caseId}`, { headers: bearer(token) }))).content;
    assert.deepEqual(grown.images.map((i) => i.eye).sort(), ['od', 'od', 'os', 'os']);
    const added = await db().selectFrom('audit_entries').select('actor_kind').where('case_id', '=', made.caseId).where('action', '=', 'case.images.add').execute();
    assert.deepEqual(added, [{ actor_kind: 'dicom' }]);
    assert.equal(await inboxFiles(), 0);

    // …and once the case has been read, later files are a case of their own.
    await db().updateTable('cases').set({ status: 'reported' }).where('id', '=', made.caseId).execute();
    const after = await send([await make('R')]);
    assert.equal(after.code, 0, after.output);
    const second = await untilRun((r) => r.outcome === 'case' && r.caseId !== made.caseId);
    assert.equal(await count('cases'), casesBefore + 2);
    assert.deepEqual(await db().selectFrom('dicom_studies').select(['state', 'case_id']).execute(), [{ state: 'done', case_id: second.outcome === 'case' ? second.caseId : -1 }]);
  });

  for (const [who, to, uid] of [
    ['from a calling AE the center does not allow', { calling: 'INTRUDER' }, '1.2.826.0.1.3680043.10.1001.2'],
    ['to an AE title that is no center’s', { called: 'NOBODY' }, '1.2.826.0.1.3680043.10.1001.3'],
  ] as const) {
    it(`refuses an association ${who}: nothing is stored`, async () => {
      const file = await study(uid, { PatientID: 'HN-X', PatientSex: 'M', PatientAge: '050Y' })('R');
      const sent = await send([file], to);
      assert.notEqual(sent.code, 0, sent.output);
      assert.match(sent.output, /reject/i);
      assert.equal(await count('dicom_instances'), 0);
      assert.equal(await inboxFiles(), 0);
    });
  }

  it('takes uncompressed files too (explicit VR little endian): the photograph is a PNG', async () => {
    const file = await dicomFromJpeg(jpeg, {
      pixels: 'native',
      attributes: { StudyInstanceUID: '1.2.826.0.1.3680043.10.1001.5', PatientID: 'HN-NATIVE', PatientSex: 'M', PatientAge: '070Y', ImageLaterality: 'L' },
    });
    const sent = await send([file], { proposeJpeg: false });
    assert.equal(sent.code, 0, sent.output);
    const made = await untilRun((r) => r.outcome === 'case' && r.images === 1);
    assert.equal(made.outcome, 'case');
    if (made.outcome !== 'case') return;
    const found = (await json<{ content: WireCase }>(await fetch(`${server.baseUrl}/cases/${made.caseId}`, { headers: bearer(token) }))).content;
    assert.deepEqual([found.history_number, found.age, found.images[0]?.content_type, found.images[0]?.eye], ['HN-NATIVE', 70, 'image/png', 'os']);
  });

  it('does not take a file in a transfer syntax it did not accept, and the sender is let go at once', async () => {
    const file = await study('1.2.826.0.1.3680043.10.1001.6', { PatientID: 'HN-Z', PatientSex: 'M', PatientAge: '050Y' })('R');
    const started = Date.now();
    // Without -xy storescu proposes only uncompressed syntaxes, cannot convert a JPEG file to them, and aborts.
    const sent = await send([file], { proposeJpeg: false });
    assert.notEqual(sent.code, 0, sent.output);
    assert.ok(Date.now() - started < 10_000, `storescu waited ${Date.now() - started} ms for the connection to close`);
    assert.equal(await count('dicom_instances'), 0);
    assert.equal(await inboxFiles(), 0);
  });

  it('answers a file over the image size limit "out of resources" and keeps nothing of it', async () => {
    const platform = server.platform;
    const small = await startDicomReceiver({ ...platform, config: { ...platform.config, intake: { ...platform.config.intake, maxImageBytes: 1024 } } }, SILENT);
    try {
      const file = await study('1.2.826.0.1.3680043.10.1001.7', { PatientID: 'HN-BIG', PatientSex: 'M', PatientAge: '050Y' })('R');
      const { output } = await send([file], { port: small.port });
      assert.match(output, /Refused: OutOfResources/i);
      assert.equal(await count('dicom_instances'), 0);
      assert.equal(await inboxFiles(), 0);
    } finally {
      await small.close();
    }
  });

  it('keeps a study that cannot be a case (no age) in the inbox with the reason, until it is discarded', async () => {
    const casesBefore = await count('cases');
    const make = study('1.2.826.0.1.3680043.10.1001.4', { PatientID: 'HN-NO-AGE', PatientSex: 'F' });
    const sent = await send(await Promise.all(['R', 'L'].map(make)), { calling: 'ARCHIVE' });
    assert.equal(sent.code, 0, sent.output);
    const failed = await untilRun((r) => r.outcome === 'failed');
    assert.equal(await count('cases'), casesBefore, 'no case');
    const [listed] = await server.platform.services.dicomIntake.listStudies();
    assert.equal(listed?.id, failed.studyId);
    assert.equal(listed?.state, 'failed');
    assert.equal(listed?.instances, 2);
    assert.match(listed?.lastError ?? '', /age/i);
    assert.equal(await inboxFiles(), 2, 'its files are kept');

    const discarded = await server.platform.services.dicomIntake.discardStudy(failed.studyId);
    assert.deepEqual(discarded, { centerId: server.demo.centers[0]!.id, files: 2 });
    assert.deepEqual(await server.platform.services.dicomIntake.listStudies(), []);
    assert.equal(await count('dicom_instances'), 0);
    assert.equal(await inboxFiles(), 0);
  });

  it('erases a patient’s studies still in the inbox with the patient: their PatientID is the history number', async () => {
    const centerId = server.demo.centers[0]!.id;
    const make = study('1.2.826.0.1.3680043.10.1001.8', { PatientID: 'HN-ERASE-ME', PatientSex: 'M' });
    const other = study('1.2.826.0.1.3680043.10.1001.9', { PatientID: 'HN-SOMEONE-ELSE', PatientSex: 'F' });
    const sent = await send([...(await Promise.all(['R', 'L'].map(make))), await other('R')], { calling: 'ARCHIVE' });
    assert.equal(sent.code, 0, sent.output);
    // No age: both studies stay in the inbox as failed.
    await untilRun(() => runs.filter((r) => r.outcome === 'failed').length === 2);
    assert.equal(await inboxFiles(), 3);

    const erased = await server.platform.services.erasure.erase({ kind: 'cli' }, { centerId, historyNumber: 'HN-ERASE-ME' });
    assert.equal(erased.dicomInboxStudies, 1);
    assert.deepEqual(erased.caseIds, [], 'no case had been made of it');
    assert.equal(erased.historyNumberHmacs.length, 1, 'the audit trail keeps its pseudonym');
    assert.equal(erased.blobsLeft, 0);
    assert.equal(await inboxFiles(), 1, 'only the other patient’s file is left');
    const [left] = await server.platform.services.dicomIntake.listStudies();
    assert.equal(left?.instances, 1);
    assert.equal((await server.platform.services.dicomIntake.listStudies()).length, 1);

    await assert.rejects(server.platform.services.erasure.erase({ kind: 'cli' }, { centerId, historyNumber: 'HN-ERASE-ME' }), /Patient not found/, 'nothing of the patient is left');
    await server.platform.services.dicomIntake.discardStudy(left!.id);
  });

  it('is administered on the command line: a center’s AE title and calling AEs, checked; the inbox listed', async () => {
    const cli = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ...testEnv(server.database), OPENRETINA_LOG_LEVEL: 'silent' } });
      return { code, stdout, stderr };
    };
    const other = String(server.demo.centers[1]!.id);
    const bad = await cli('dicom', 'set-center', other, '--ae-title', 'BAD\\TITLE', '--calling-aes', 'CAM');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"field": "ae-title"/);
    const taken = await cli('dicom', 'set-center', other, '--ae-title', 'RETINA_A', '--calling-aes', 'CAM');
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /"rule": "unique"/);
    const alone = await cli('dicom', 'set-center', other, '--ae-title', 'RETINA_B');
    assert.equal(alone.code, 2, 'a center with an AE title must name who may send to it');
    assert.match(alone.stderr, /"field": "calling-aes"/);
    const set = await cli('dicom', 'set-center', other, '--ae-title', ' RETINA_B ', '--calling-aes', 'CAM2,CAM1');
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout), { center_id: Number(other), ae_title: 'RETINA_B', calling_ae_titles: ['CAM1', 'CAM2'] });
    const listed = JSON.parse((await cli('dicom', 'centers')).stdout) as { ae_title: string }[];
    assert.deepEqual(listed.map((n) => n.ae_title).sort(), ['RETINA_A', 'RETINA_B']);
    const off = await cli('dicom', 'set-center', other, '--ae-title', '');
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(JSON.parse((await cli('dicom', 'inbox')).stdout), []);
  });
});

describe('DICOM network intake settings', () => {
  it('is off unless OPENRETINA_DICOM_PORT is set; listens on 127.0.0.1 and waits 60 s by default; refuses a host that is no address', () => {
    assert.equal(loadConfig({}).dicom.port, null);
    const on = loadConfig({ OPENRETINA_DICOM_PORT: '11112' }).dicom;
    assert.deepEqual([on.port, on.host, on.stableSeconds], [11112, '127.0.0.1', 60]);
    assert.equal(loadConfig({ OPENRETINA_DICOM_PORT: '11112', OPENRETINA_DICOM_STABLE_SECONDS: '1.5' }).dicom.stableSeconds, 1.5);
    assert.throws(() => loadConfig({ OPENRETINA_DICOM_HOST: 'cameras.local' }), (error: unknown) => error instanceof ConfigError && /OPENRETINA_DICOM_HOST/.test(error.message));
    assert.throws(() => loadConfig({ OPENRETINA_DICOM_PORT: 'x' }), /OPENRETINA_DICOM_PORT/);
  });
});
