import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { PreviewWorker } from '../../src/workers/preview.worker.js';
import { dicomFromJpeg } from '../helpers/dicom.js';
import { describeOnDialect } from '../helpers/dialects.js';
import { fundusJpeg, landscapeJpeg, undecodablePng } from '../helpers/images.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';
import { axeViolations, chromiumForFile, closeContexts, ensureWebBuilt, logInInBrowser } from './browser.js';

const chromium = chromiumForFile();

/** Issue 12: the center's case page says, per photograph, what the automatic checks found, which one cannot be read, and which came as DICOM. */
describeOnDialect('postgres', 'image checks on the staff page, in Chromium', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  const password = 'a long staff password';
  const pageErrors: string[] = [];

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startTestServer(dialect, { previews: { pollMs: 3_600_000, threads: 1 } }), chromium()]);
    await server.platform.services.admin.createUser({ email: 'checks@staff.test', role: 'staff', name: 'Checks Staff', password, centerIds: [server.demo.centers[0]!.id] });
    await server.platform.services.admin.createUser({ email: 'checks@reader.test', role: 'reader', name: 'Dr Checks', password, licenceNumber: 'CHK-R' });
  });
  after(async () => {
    await closeContexts(browser);
    await server?.close();
    assert.deepEqual(pageErrors, [], 'no script errors in the pages');
  });

  it('staff see each photograph checked: a good one, one that is not a fundus photograph, and one that cannot be read (send it again)', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'CHK-1', gender: '1', age: '66' })) form.append(k, v);
    form.append('images[od]', new Blob([await fundusJpeg('od', 2400, 1800)]), 'eye.jpg');
    form.append('images[]', new Blob([await landscapeJpeg()]), 'holiday.jpg');
    form.append('images[]', new Blob([await undecodablePng()]), 'broken.png');
    const dicom = await dicomFromJpeg(await fundusJpeg('os', 1600, 1200), { sopClass: 'ophthalmic_photography', attributes: { ImageLaterality: 'L' } });
    form.append('images[]', new Blob([dicom]), 'IM0004');
    const created = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(await server.token()), body: form });
    assert.equal(created.status, 201);
    const id = (await json<{ content: number }>(created)).content;

    const onlyBroken = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'CHK-3', gender: '1', age: '60' })) onlyBroken.append(k, v);
    onlyBroken.append('images[]', new Blob([await undecodablePng()]), 'broken.png');
    const unreadable = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(await server.token()), body: onlyBroken });
    assert.equal(unreadable.status, 201);
    const unreadableId = (await json<{ content: number }>(unreadable)).content;

    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/app/');
    await page.getByLabel('E-mail').fill('checks@staff.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/app\/cases$/);

    await page.goto(`/app/cases/${id}`);
    const photographs = page.getByTestId('photograph');
    await photographs.nth(3).waitFor();
    assert.deepEqual(await photographs.evaluateAll((items) => items.map((i) => i.getAttribute('data-status'))), ['checking', 'checking', 'checking', 'checking']);
    assert.match((await photographs.nth(0).textContent()) ?? '', /checking…/);

    await new PreviewWorker(server.platform.services.previews, { wakeups: server.platform.wakeups, pollMs: 3_600_000, threads: 1 }).drain();
    await page.reload();
    await photographs.nth(3).waitFor();
    assert.deepEqual(await photographs.evaluateAll((items) => items.map((i) => i.getAttribute('data-status'))), ['ok', 'ok', 'unreadable', 'ok']);
    assert.match((await photographs.nth(0).textContent()) ?? '', /eye\.jpg · right eye \(OD\) · quality good/);
    assert.match((await photographs.nth(1).textContent()) ?? '', /holiday\.jpg · not a fundus photograph\?/);
    assert.match((await photographs.nth(2).textContent()) ?? '', /broken\.png · cannot be read, send it again \(could not be decoded: /);
    // A photograph that came in a DICOM file says so, with its eye from the file, and the file can be downloaded as it came.
    assert.match((await photographs.nth(3).textContent()) ?? '', /IM0004 · left eye \(OS\), from the DICOM file · .* · came as DICOM/);
    const [download] = await Promise.all([page.waitForEvent('download'), photographs.nth(3).getByTestId('dicom-file').click()]);
    const saved = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of saved) chunks.push(chunk as Buffer);
    assert.ok(Buffer.concat(chunks).equals(dicom), 'the DICOM file byte for byte');

    // A case with no photograph that can be read waits for the clinic, which is told so.
    await page.goto(`/app/cases/${unreadableId}`);
    assert.match((await page.getByTestId('no-readable-images').textContent()) ?? '', /None of this case’s photographs can be read/);
    await context.close();
  });

  it('the reader sees each pane checked: its quality, a doubt that it is a fundus photograph, and, flagged for screen readers too, a detected eye that contradicts the clinic’s; no axe violation', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ history_number: 'CHK-2', gender: '0', age: '71' })) form.append(k, v);
    form.append('images[od]', new Blob([await fundusJpeg('od', 2400, 1800)]), 'right.jpg');
    // The clinic says left; the optic disc says right.
    form.append('images[os]', new Blob([await fundusJpeg('od', 2400, 1800)]), 'left.jpg');
    form.append('images[]', new Blob([await landscapeJpeg()]), 'holiday.jpg');
    const created = await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(await server.token()), body: form });
    assert.equal(created.status, 201, await created.clone().text());
    const id = (await json<{ content: number }>(created)).content;
    await new PreviewWorker(server.platform.services.previews, { wakeups: server.platform.wakeups, pollMs: 3_600_000, threads: 1 }).drain();
    const images = (await json<{ content: { images: { id: number; file_name: string }[] } }>(await fetch(`${server.baseUrl}/cases/${id}`, { headers: bearer(await server.token()) }))).content.images;
    const [right, left, holiday] = ['right.jpg', 'left.jpg', 'holiday.jpg'].map((name) => images.find((i) => i.file_name === name)!.id);

    const page = await logInInBrowser(browser, server.baseUrl, 'checks@reader.test', password, pageErrors, { bypassCSP: true });
    await page.goto(`/app/reading/cases/${id}`);
    await page.getByTestId(`checks-${left}`).waitFor();

    const flag = page.getByRole('note', { name: 'Eye check disagrees' });
    assert.equal(await flag.count(), 1, 'only the contradicted photograph is flagged');
    assert.equal(await flag.getAttribute('data-testid'), `eye-flag-${left}`);
    assert.ok(await flag.isVisible());
    assert.match((await flag.textContent()) ?? '', /Looks like the right eye \(OD\), not the left eye \(OS\)\. .*but the clinic says left \(OS\)/);
    assert.match((await page.getByTestId(`checks-${right}`).textContent()) ?? '', /^Quality: good$/);
    assert.match((await page.getByTestId(`checks-${left}`).textContent()) ?? '', /Quality: good/);

    // The landscape has no eye: it is the right pane's second photograph, and says what it may not be.
    await page.getByRole('group', { name: 'OD (right eye): photographs', exact: true }).getByRole('button', { name: '2' }).click();
    const doubt = (await page.getByTestId(`checks-${holiday}`).textContent()) ?? '';
    assert.match(doubt, /May not be a fundus photograph — /);
    assert.match(doubt, /Quality: (usable|reject) — /, 'the verdict comes with its reason');
    assert.deepEqual(await axeViolations(page), [], 'axe on the reader’s case view with checks');
    await page.context().close();
  });

  it('staff add a camera’s DICOM file named IM0001 (no extension, no type) on the new-case page: recognised by its DICM bytes; a file that is neither is refused by name', async () => {
    const dicom = await dicomFromJpeg(await fundusJpeg('os', 1600, 1200), { sopClass: 'ophthalmic_photography', attributes: { ImageLaterality: 'L' } });
    const staff = await logInInBrowser(browser, server.baseUrl, 'checks@staff.test', password, pageErrors);
    await staff.goto('/app/cases/new');
    await staff.getByLabel('History number').fill('CHK-4');
    await staff.getByLabel('Age (years)').fill('58');
    await staff.getByLabel('Male', { exact: true }).check();
    await staff.locator('input[type=file]').setInputFiles([
      { name: 'IM0001', mimeType: 'application/octet-stream', buffer: dicom },
      // Not a DICOM file, although as long: the 128-byte preamble is followed by something else.
      { name: 'IM0002', mimeType: 'application/octet-stream', buffer: Buffer.concat([Buffer.alloc(128), Buffer.from('NOPE'), dicom.subarray(132)]) },
    ]);
    const listed = staff.getByRole('list', { name: 'Photographs to send' }).getByRole('listitem');
    await listed.first().waitFor();
    assert.equal(await listed.count(), 1);
    assert.match((await listed.first().textContent()) ?? '', /^IM0001 /);
    assert.equal(await staff.getByRole('alert').textContent(), 'Only JPEG, PNG and TIFF photographs and DICOM files can be added: not IM0002.');
    await staff.getByRole('button', { name: 'Send the case' }).click();
    await staff.waitForURL(/\/app\/cases\/\d+$/);
    const photograph = staff.getByTestId('photograph');
    await photograph.waitFor();
    assert.match((await photograph.textContent()) ?? '', /^IM0001 · left eye \(OS\), from the DICOM file · .* · came as DICOM/);
    await staff.context().close();
  });
});
