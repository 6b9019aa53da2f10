import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { pdfText } from '../helpers/pdf.js';
import { newReader } from '../helpers/people.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';

type Image = { id: number; file_name: string; eye: 'od' | 'os' | null; eye_source: string | null };
type Envelope<T = unknown> = { success: boolean; content: T; error?: { code: string; fields?: { field: string; rule: string; message: string }[] } };

/**
 * Every image knows its eye: the client says it per part (`images[od]`) or
 * for all files (`image_eyes`, a plain field the OPTretina SDK passes
 * through); the file name is only a fallback, recorded as such; a reader can
 * set or swap it.
 */
describeEachDialect('which eye each image shows', (dialect) => {
  let server: TestServer;
  let token = '';
  let reader = '';
  let jpeg: Buffer;

  const send = async (fields: Record<string, string>, files: { part: string; name: string }[], path = '/cases') => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const f of files) form.append(f.part, new Blob([jpeg], { type: 'image/jpeg' }), f.name);
    return fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: bearer(token), body: form });
  };
  const patient = { history_number: 'EYE-1', gender: '0', age: '66' };
  const imagesOf = async (id: number) =>
    (await json<Envelope<{ images: Image[] }>>(await fetch(`${server.baseUrl}/cases/${id}`, { headers: bearer(token) }))).content.images;
  const created = async (response: Response) => {
    assert.equal(response.status, 201, await response.clone().text());
    return (await json<Envelope<number>>(response)).content;
  };
  const readerPost = (path: string, body?: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...bearer(reader), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  before(async () => {
    server = await startTestServer(dialect);
    token = await server.token();
    jpeg = await makeImage('jpeg', 96, 64);
    reader = await newReader(server, 'eyes@read.org');
  });
  after(() => server.close());

  it('takes the eye from images[od] / images[os], recorded as the client’s', async () => {
    const id = await created(await send(patient, [{ part: 'images[os]', name: 'IMG_0001.jpg' }, { part: 'images[od]', name: 'IMG_0002.jpg' }]));
    assert.deepEqual((await imagesOf(id)).map((i) => [i.file_name, i.eye, i.eye_source]), [
      ['IMG_0001.jpg', 'os', 'client'],
      ['IMG_0002.jpg', 'od', 'client'],
    ]);
  });

  it('takes image_eyes in file order (the SDK sends it as a plain field), else the file name, else nothing', async () => {
    const id = await created(
      await send({ ...patient, image_eyes: 'os,od' }, [
        { part: 'images[0]', name: 'IMG_0001.jpg' },
        { part: 'images[1]', name: 'right_eye.jpg' },
      ]),
    );
    assert.deepEqual((await imagesOf(id)).map((i) => [i.eye, i.eye_source]), [
      ['os', 'client'],
      ['od', 'client'],
    ], 'a left eye uploaded first as IMG_0001.jpg is OS');

    const guessed = await created(await send(patient, [{ part: 'images[]', name: 'paciente_OI.jpg' }, { part: 'images[]', name: 'IMG_0003.jpg' }]));
    assert.deepEqual((await imagesOf(guessed)).map((i) => [i.eye, i.eye_source]), [
      ['os', 'file_name'],
      [null, null],
    ]);

    const partial = await created(await send({ ...patient, image_eyes: ',od' }, [{ part: 'images[]', name: 'left.jpg' }, { part: 'images[]', name: 'x.jpg' }]));
    assert.deepEqual((await imagesOf(partial)).map((i) => [i.eye, i.eye_source]), [
      ['os', 'file_name'],
      ['od', 'client'],
    ]);

    const added = await send({ image_eyes: 'os' }, [{ part: 'images', name: 'later.jpg' }], `/cases/${partial}/images`);
    assert.equal(added.status, 200, await added.clone().text());
    assert.deepEqual((await imagesOf(partial)).at(-1)?.eye, 'os', 'image_eyes works when adding images too');
  });

  it('refuses an image_eyes it cannot read, or one naming more eyes than files, and stores nothing', async () => {
    for (const [value, rule] of [
      ['od,up', 'format'],
      ['od,os,od', 'count'],
    ] as const) {
      const response = await send({ ...patient, image_eyes: value }, [{ part: 'images[]', name: 'a.jpg' }, { part: 'images[]', name: 'b.jpg' }]);
      assert.equal(response.status, 400);
      const issue = (await json<Envelope>(response)).error?.fields?.find((f) => f.field === 'image_eyes');
      assert.equal(issue?.rule, rule);
      assert.match(issue!.message, /^Eyes of the photographs /);
    }
  });

  it('lets the reader holding the case set an eye and swap the pair; the source becomes reader', async () => {
    const id = await created(await send(patient, [{ part: 'images[]', name: 'IMG_1.jpg' }, { part: 'images[]', name: 'OD.jpg' }]));
    const [unknown, right] = await imagesOf(id);
    assert.equal((await readerPost(`/reading/cases/${id}/images/${unknown!.id}/eye`, { eye: 'os' })).status, 409, 'claim first');
    assert.equal((await readerPost(`/reading/cases/${id}/claim`)).status, 200);
    const set = await readerPost(`/reading/cases/${id}/images/${unknown!.id}/eye`, { eye: 'os' });
    assert.equal(set.status, 200);
    assert.deepEqual((await json<Envelope>(set)).content, { image_id: unknown!.id, eye: 'os', eye_source: 'reader' });
    assert.equal((await readerPost(`/reading/cases/${id}/images/${unknown!.id}/eye`, { eye: 'left' })).status, 400);

    const swapped = await readerPost(`/reading/cases/${id}/eyes/swap`);
    assert.equal(swapped.status, 200);
    assert.deepEqual((await imagesOf(id)).map((i) => [i.id, i.eye, i.eye_source]), [
      [unknown!.id, 'od', 'reader'],
      [right!.id, 'os', 'reader'],
    ]);
    const row = await server.platform.database.db.selectFrom('case_images').select(['eye_set_by', 'eye_set_at']).where('id', '=', right!.id).executeTakeFirstOrThrow();
    assert.ok(row.eye_set_by !== null && row.eye_set_at !== null, 'who and when are recorded');

    const view = await json<Envelope<{ case: { images: Image[] } }>>(await fetch(`${server.baseUrl}/reading/cases/${id}`, { headers: bearer(reader) }));
    assert.deepEqual(view.content.case.images.map((i) => i.eye), ['od', 'os'], 'the reader sees the eyes too');
    const eye = { quality: 'good', dr: 'none', dme: 'absent', amd: 'none' };
    assert.equal((await readerPost(`/reading/cases/${id}/sign`, { od: eye, os: eye, recommendation: 'Screen again in a year.' })).status, 200);
    const pdf = await fetch(`${server.baseUrl}/cases/report/${id}?format=pdf`, { headers: bearer(token) });
    const text = await pdfText(Buffer.from(await pdf.arrayBuffer()));
    assert.ok(text.indexOf('OD (right eye)') >= 0 && text.indexOf('OS (left eye)') > text.indexOf('OD (right eye)'), `each thumbnail says its eye, right first:\n${text}`);

    const other = await created(await send(patient, [{ part: 'images[]', name: 'x.jpg' }]));
    const [foreign] = await imagesOf(other);
    assert.equal((await readerPost(`/reading/cases/${id}/images/${foreign!.id}/eye`, { eye: 'od' })).status, 404, "another case's image is not this case's");
  });
});
