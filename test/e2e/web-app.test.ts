import '../helpers/setup.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { describeOnDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { pdfText } from '../helpers/pdf.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { axeViolations, chromiumForFile, closeContexts, ensureWebBuilt, focused, focusedName, logInInBrowser, scrollsSideways } from './browser.js';

// The page's DataTransfer, for the function evaluated in it (this project has no DOM lib).
declare const DataTransfer: new () => { readonly items: { add(file: File): void } };

const chromium = chromiumForFile();

/**
 * The three paths of issue 3 in real headless Chromium against the real
 * server: staff send a case, a reader grades it from the keyboard and signs,
 * staff download the PDF; the reader amends; the reader rejects.
 */
describeOnDialect('sqlite', 'web app in Chromium', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let od: Buffer;
  let os: Buffer;
  const password = 'a long web password';
  const pageErrors: string[] = [];

  before(async () => {
    ensureWebBuilt();
    [server, browser, od, os] = await Promise.all([startTestServer(dialect), chromium(), makeImage('jpeg', 900, 700), makeImage('jpeg', 900, 700)]);
    const admin = server.platform.services.admin;
    await admin.createUser({ email: 'staff@web.test', role: 'staff', name: 'Web Staff', password, centerIds: [server.demo.centers[0]!.id] });
    await admin.createUser({ email: 'reader@web.test', role: 'reader', name: 'Dr Web Reader', password, licenceNumber: 'WEB-42' });
  });
  after(async () => {
    await closeContexts(browser);
    await server?.close();
    assert.deepEqual(pageErrors, [], 'no script errors in the pages');
  });

  /** `axe`: a context where axe-core can be injected as a script tag past the app's Content-Security-Policy (script-src 'self'). */
  const logIn = (email: string, options: { axe?: boolean } = {}): Promise<Page> =>
    logInInBrowser(browser, server.baseUrl, email, password, pageErrors, { acceptDownloads: true, bypassCSP: options.axe === true });

  /** Staff fill the new-case form; the photographs are dropped on the page or chosen with the file input. */
  const sendCase = async (staff: Page, patient: { history: string; age: string }, how: 'drop' | 'input'): Promise<number> => {
    await staff.goto('/app/cases/new');
    await staff.getByLabel('History number').fill(patient.history);
    await staff.getByLabel('Age (years)').fill(patient.age);
    await staff.getByLabel('Female').check();
    await staff.getByLabel('OD Visual acuity').fill('0,8');
    await staff.getByLabel('OS IOP (mmHg)').fill('17');
    const files = [
      { name: 'patient_OD.jpg', mimeType: 'image/jpeg', buffer: od },
      { name: 'patient_OS.jpg', mimeType: 'image/jpeg', buffer: os },
    ];
    if (how === 'input') await staff.locator('input[type=file]').setInputFiles(files);
    else {
      const dataTransfer = await staff.evaluateHandle((list) => {
        const transfer = new DataTransfer();
        for (const f of list) transfer.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name, { type: f.mimeType }));
        return transfer;
      }, files.map((f) => ({ name: f.name, mimeType: f.mimeType, data: f.buffer.toString('base64') })));
      await staff.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
    }
    await staff.getByRole('list', { name: 'Photographs to send' }).getByRole('listitem').nth(1).waitFor();
    await staff.getByRole('button', { name: 'Send the case' }).click();
    await staff.waitForURL(/\/app\/cases\/\d+$/);
    return Number(/\/cases\/(\d+)$/.exec(staff.url())![1]);
  };

  const openFromWorklist = async (reader: Page, id: number) => {
    await reader.goto('/app/reading');
    await reader.getByRole('link', { name: `#${id}` }).first().click();
    await reader.waitForURL(new RegExp(`/app/reading/cases/${id}$`));
    await reader.getByRole('heading', { name: new RegExp(`Case #${id}`) }).waitFor();
  };

  /** Presses a key and checks which control has the focus afterwards. */
  const press = async (page: Page, key: string, focused?: string) => {
    await page.keyboard.press(key);
    if (focused !== undefined) assert.equal(await focusedName(page), focused, `after ${key}`);
  };

  let signedCase = 0;

  it('(a) staff send a case with two dropped photographs; a reader grades it from the keyboard and signs; staff download a PDF with the findings', async () => {
    const staff = await logIn('staff@web.test');
    const id = await sendCase(staff, { history: 'WEB-1', age: '63' }, 'drop');
    await staff.getByTestId('case-status').filter({ hasText: 'Pending' }).waitFor();
    // Each photograph with the eye it shows and what the automatic checks found (issue 12).
    assert.match(await staff.locator('dl.facts').innerText(), /patient_OD\.jpg · right eye \(OD\)[^\n]*\npatient_OS\.jpg · left eye \(OS\)/);

    const reader = await logIn('reader@web.test');
    await openFromWorklist(reader, id);
    await reader.locator('.pane-row .viewer img').nth(1).waitFor();
    assert.deepEqual(await reader.locator('.pane-row figcaption > span:first-child').allInnerTexts(), ['OD (right eye)', 'OS (left eye)'], 'both eyes side by side');
    assert.equal(await reader.getByText('WEB-1').count(), 0, 'the reader never sees the history number');

    // The viewer: keyboard zoom up to full resolution, drag to pan, red-free.
    const pane = reader.locator('.pane-row .viewport').first();
    const image = pane.locator('img').first();
    const fitted = Number(await pane.getAttribute('data-scale'));
    await pane.focus();
    await reader.keyboard.press('+');
    assert.ok(Number(await pane.getAttribute('data-scale')) > fitted, 'zoomed in');
    await reader.keyboard.press('1');
    assert.equal(Number(await pane.getAttribute('data-scale')), 1, 'full resolution');
    const box = (await pane.boundingBox())!;
    const before = await image.getAttribute('style');
    await reader.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await reader.mouse.down();
    await reader.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 4 });
    await reader.mouse.up();
    assert.notEqual(await image.getAttribute('style'), before, 'dragging pans');
    await reader.getByLabel('Red-free').check();
    assert.match((await image.getAttribute('style')) ?? '', /url\("?#red-free"?\)/);

    await reader.locator('input[name="od-quality"][value="good"]').focus();
    await press(reader, 'Space');
    await press(reader, 'Tab', 'od-dr=none');
    await press(reader, 'ArrowDown', 'od-dr=mild');
    await press(reader, 'ArrowDown', 'od-dr=moderate');
    await press(reader, 'Tab', 'od-dme=absent');
    await press(reader, 'Space');
    await press(reader, 'Tab', 'od-amd=none');
    await press(reader, 'Space');
    await press(reader, 'Tab', 'od-hypertensive=none');
    await press(reader, 'Space');
    await press(reader, 'Tab', 'od-vertical_cdr');
    await reader.keyboard.type('0.3');
    await press(reader, 'Tab', 'od-glaucoma_suspect=on');
    await press(reader, 'Tab');
    await press(reader, 'Tab', 'os-quality=good');
    await press(reader, 'Space');
    await press(reader, 'Tab', 'os-dr=none');
    await press(reader, 'Space');
    await press(reader, 'Tab', 'os-dme=absent');
    await press(reader, 'Space');
    await press(reader, 'Tab', 'os-amd=none');
    await press(reader, 'ArrowDown', 'os-amd=early');
    await press(reader, 'Tab', 'os-hypertensive=none');
    await press(reader, 'Space');
    await press(reader, 'Tab', 'os-vertical_cdr');
    await reader.keyboard.type('0.4');
    await press(reader, 'Tab', 'os-glaucoma_suspect=on');
    await press(reader, 'Tab');
    await press(reader, 'Tab', 'Both eyes normal');
    await press(reader, 'Tab', 'derivation');
    assert.match(await reader.getByTestId('suggested-derivation').innerText(), /Preferential/, 'the rule suggests as the reader grades');
    await press(reader, 'Tab', 'recommendation');
    await reader.keyboard.type('Please see an ophthalmologist within six weeks.');
    await press(reader, 'Tab', 'Standard wording');
    await press(reader, 'Tab', 'rescreen_months');
    await reader.keyboard.type('12');
    await press(reader, 'Control+Enter');
    await reader.getByText('Report signed.').waitFor();
    await reader.locator('table.history tr[data-version="1"]').waitFor();

    await staff.reload();
    await staff.getByTestId('case-status').filter({ hasText: 'Reported' }).waitFor();
    assert.equal(await staff.getByTestId('case-derivation').innerText(), 'Preferential');
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.getByRole('link', { name: 'Download the report (PDF)' }).click()]);
    const text = await pdfText(await fs.readFile((await download.path())!));
    for (const expected of ['WEB-1', 'PREFERENTIAL', 'moderate', 'early', 'Please see an ophthalmologist within six weeks.', 'Screen again in 12 months.', 'Dr Web Reader', 'WEB-42', 'Report version 1']) {
      assert.ok(text.includes(expected), `the PDF says "${expected}": ${text}`);
    }
    signedCase = id;
    await staff.context().close();
    await reader.context().close();
  });

  it('(b) the reader amends the signed report: the history shows version 2 and the PDF is the new version', async () => {
    assert.ok(signedCase > 0, 'runs after (a)');
    const reader = await logIn('reader@web.test');
    await reader.getByRole('heading', { name: 'Recently reported' }).waitFor();
    await reader.locator(`tr[data-case-id="${signedCase}"]`).last().getByRole('link').click();
    await reader.getByRole('button', { name: 'Amend the report…' }).click();
    assert.equal(await reader.locator('textarea[name="recommendation"]').inputValue(), 'Please see an ophthalmologist within six weeks.', 'the form starts from the signed version');
    await reader.locator('select[name="derivation"]').selectOption('urgent');
    await reader.locator('textarea[name="override_reason"]').fill('Haemorrhage close to the fovea on second look.');
    await reader.locator('textarea[name="recommendation"]').fill('Please see an ophthalmologist this week.');
    await reader.locator('textarea[name="amend_reason"]').fill('Second look at the macula.');
    await reader.locator('textarea[name="amend_reason"]').press('Control+Enter');
    await reader.getByText('Amended report signed.').waitFor();
    const row = reader.locator('table.history tr[data-version="2"]');
    await row.waitFor();
    assert.match(await row.innerText(), /Urgent[\s\S]*Second look at the macula\./);
    assert.match((await reader.locator('iframe.pdf').getAttribute('src')) ?? '', /version=2$/);
    const pdf = await reader.request.get(`/reading/cases/${signedCase}/report`);
    assert.equal(pdf.status(), 200);
    const text = await pdfText(await pdf.body());
    assert.ok(text.includes('Report version 2 (amended)') && text.includes('URGENT') && text.includes('this week'), text);
    await reader.context().close();
  });

  it('(c) the reader rejects a case with a reason; staff see it rejected, why, and what to do', async () => {
    const staff = await logIn('staff@web.test');
    const id = await sendCase(staff, { history: 'WEB-2', age: '48' }, 'input');
    const reader = await logIn('reader@web.test');
    await openFromWorklist(reader, id);
    await reader.getByRole('button', { name: 'Reject the case…' }).click();
    await reader.getByLabel('Image quality too poor').check();
    await reader.getByLabel('Explanation for the center').fill('Both photographs are out of focus.');
    await reader.getByRole('button', { name: 'Reject the case', exact: true }).click();
    await reader.waitForURL(/\/app\/reading$/);
    await staff.goto('/app/cases');
    await staff.locator(`tr[data-case-id="${id}"] [data-status="rejected"]`).waitFor();
    await staff.goto(`/app/cases/${id}`);
    assert.equal(await staff.getByTestId('case-status').innerText(), 'Rejected');
    const rejection = await staff.getByTestId('rejection').innerText();
    assert.match(rejection, /Image quality too poor/, 'the reason');
    assert.match(rejection, /Both photographs are out of focus\./, "the reader's words");
    assert.match(rejection, /What to do: Take new photographs/, 'the next step');
    await staff.context().close();
    await reader.context().close();
  });

  it('(d) the reader swaps the eyes and asks for new photographs; staff read why and add them on the case page; the reader signs', async () => {
    const staff = await logIn('staff@web.test');
    const id = await sendCase(staff, { history: 'WEB-3', age: '55' }, 'input');
    const reader = await logIn('reader@web.test');
    await openFromWorklist(reader, id);
    const [first, second] = await server.platform.database.db.selectFrom('case_images').select(['id', 'eye']).where('case_id', '=', id).orderBy('id').execute();
    assert.deepEqual([first!.eye, second!.eye], ['od', 'os'], 'from the file names');
    assert.match(await reader.getByTestId(`eye-source-${first!.id}`).innerText(), /OD: guessed from the file name/);
    await reader.getByRole('button', { name: 'Swap eyes' }).click();
    await reader.getByText('Eyes updated.').waitFor();
    assert.match(await reader.getByTestId(`eye-source-${first!.id}`).innerText(), /OS: set by a reader/, 'the first photograph now shows the left eye');
    await reader.getByTestId(`eye-source-${first!.id}`).getByRole('button', { name: 'This is the right eye (OD)' }).click();
    await reader.getByTestId(`eye-source-${first!.id}`).filter({ hasText: 'OD: set by a reader' }).waitFor();

    await reader.getByRole('button', { name: 'Ask for new photographs…' }).click();
    await reader.getByLabel('Image quality too poor').check();
    await reader.getByLabel('Explanation for the center').fill('The left eye is out of focus.');
    await reader.getByRole('button', { name: 'Ask for new photographs', exact: true }).click();
    await reader.waitForURL(/\/app\/reading$/);
    assert.equal(await reader.getByRole('link', { name: `#${id}` }).count(), 0, 'off the worklist');

    await staff.goto(`/app/cases/${id}`);
    const request = await staff.getByTestId('images-requested').innerText();
    assert.match(request, /Image quality too poor/);
    assert.match(request, /The left eye is out of focus\./);
    await staff.getByLabel('Add photographs (JPEG, PNG or TIFF)').setInputFiles([{ name: 'retake_OS.jpg', mimeType: 'image/jpeg', buffer: os }]);
    await staff.getByRole('button', { name: 'Add 1 photograph' }).click();
    await staff.getByText('Photographs added.').waitFor();
    assert.equal(await staff.getByTestId('images-requested').count(), 0, 'the request is answered');
    assert.match(await staff.locator('dl.facts').innerText(), /retake_OS\.jpg/);

    await openFromWorklist(reader, id);
    await reader.getByRole('button', { name: 'Sign report', exact: true }).waitFor();
    await staff.context().close();
    await reader.context().close();
  });
  /** axe-core finds nothing on the screen as it is now. */
  const accessible = async (page: Page, screen: string) => {
    assert.deepEqual(await axeViolations(page), [], `axe on ${screen}`);
  };
  /** At 390 px (a phone), the screen does not scroll sideways. */
  const fitsPhone = async (page: Page, screen: string) => {
    assert.equal(JSON.stringify(await scrollsSideways(page)), 'null', `${screen} at 390 px`);
  };

  it('(e) staff: every error of the form at once, each beside its field or file, the focus on the summary; search by accented name and #3; usable at 390 px; no axe violation', async () => {
    const login = await browser.newContext({ baseURL: server.baseUrl, bypassCSP: true });
    const page = await login.newPage();
    await page.goto('/app/');
    await page.getByLabel('E-mail').waitFor();
    await accessible(page, 'the login page');
    await login.close();

    const staff = await logIn('staff@web.test', { axe: true });
    await staff.goto('/app/cases/new');
    await staff.getByLabel('History number').waitFor();
    await accessible(staff, 'the new-case form');
    await staff.getByLabel('First name', { exact: true }).fill('Ángela');
    await staff.getByLabel('Last name', { exact: true }).fill('Núñez Peña');
    await staff.getByLabel('Age (years)').fill('300');
    await staff.locator('input[type=file]').setInputFiles([
      { name: 'fine_OD.jpg', mimeType: 'image/jpeg', buffer: od },
      { name: 'scan.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.4 a letter, not a photograph') },
      { name: 'cut_OS.jpg', mimeType: 'image/jpeg', buffer: os.subarray(0, os.length - 200) },
    ]);
    await staff.getByRole('button', { name: 'Send the case' }).click();
    const summary = staff.getByTestId('error-summary');
    await summary.waitFor();
    assert.equal((await focused(staff)).testId, 'error-summary', 'the focus moves to the summary');
    const listed = await summary.getByRole('listitem').allInnerTexts();
    assert.equal(listed.length, 4, `age, sex and two files together: ${listed.join(' | ')}`);
    assert.ok(listed.some((t) => /^Age /.test(t)) && listed.some((t) => /^Sex /.test(t)), listed.join(' | '));
    assert.ok(listed.some((t) => t.startsWith('“scan.jpg” is not a JPEG')) && listed.some((t) => t.startsWith('“cut_OS.jpg” is a truncated')), listed.join(' | '));
    assert.doesNotMatch(listed.join(' '), /images\[|age:|gender/, 'no internal names');
    const fileRow = (name: string) => staff.getByRole('list', { name: 'Photographs to send' }).getByRole('listitem').filter({ hasText: name });
    assert.match(await staff.locator('label', { hasText: 'Age (years)' }).innerText(), /Age must be/, 'beside the age');
    assert.match(await fileRow('scan.jpg').innerText(), /is not a JPEG, PNG or TIFF image/, 'beside its file');
    assert.match(await fileRow('cut_OS.jpg').innerText(), /truncated/);
    assert.doesNotMatch(await fileRow('fine_OD.jpg').innerText(), /not a JPEG|truncated/);
    // A link of the summary takes the focus to its control.
    await summary.getByRole('link', { name: /^Age / }).click();
    assert.equal(await focusedName(staff), 'age');
    // Removing a file leaves every other file's error where it was.
    await fileRow('fine_OD.jpg').getByRole('button', { name: 'Remove fine_OD.jpg' }).click();
    assert.match(await fileRow('scan.jpg').innerText(), /is not a JPEG/, 'still beside scan.jpg');
    assert.match(await fileRow('cut_OS.jpg').innerText(), /truncated/, 'still beside cut_OS.jpg');
    await accessible(staff, 'the new-case form with its errors');
    await fileRow('scan.jpg').getByRole('button', { name: 'Remove scan.jpg' }).click();
    await fileRow('cut_OS.jpg').getByRole('button', { name: 'Remove cut_OS.jpg' }).click();
    await staff.locator('input[type=file]').setInputFiles([{ name: 'fine_OD.jpg', mimeType: 'image/jpeg', buffer: od }]);
    await staff.getByLabel('Age (years)').fill('58');
    await staff.getByLabel('Female').check();
    await staff.getByRole('button', { name: 'Send the case' }).click();
    await staff.waitForURL(/\/app\/cases\/\d+$/);
    const angela = Number(/\/cases\/(\d+)$/.exec(staff.url())![1]);
    await staff.getByTestId('case-status').waitFor();
    await accessible(staff, 'a case page');

    await staff.goto('/app/cases');
    const search = async (q: string) => {
      await staff.getByLabel('Search', { exact: true }).fill(q);
      const answered = staff.waitForResponse((r) => new URL(r.url()).pathname === '/staff/cases' && (new URL(r.url()).searchParams.get('q') ?? '') === q.trim());
      await staff.getByRole('button', { name: 'Search' }).click();
      await answered;
      await staff.waitForTimeout(200);
      return (await staff.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-case-id'))))) as number[];
    };
    assert.deepEqual(await search('angela nunez'), [angela], 'no accents or capitals needed');
    assert.deepEqual(await search('NÚÑEZ'), [angela]);
    assert.deepEqual(await search('#3'), [3], '#3 is case 3');
    assert.deepEqual(await search('3'), [3], '3 is case 3, not WEB-3 or a case numbered 13');
    await search('');
    await accessible(staff, 'the case list');

    await staff.setViewportSize({ width: 390, height: 844 });
    await fitsPhone(staff, 'the case list');
    await staff.goto(`/app/cases/${angela}`);
    await staff.getByTestId('case-status').waitFor();
    await fitsPhone(staff, 'a case page');
    await staff.goto('/app/cases/new');
    await staff.getByLabel('OD Visual acuity').waitFor();
    await fitsPhone(staff, 'the new-case form');
    await accessible(staff, 'the new-case form at 390 px');
    await staff.context().close();
  });

  it('(f) reader: the worklist filters by center and deadline; an untouched form suggests nothing; every refusal at once; sign and open the next case; shortcuts on screen; Tab reaches every control; no axe violation', async () => {
    const staff = await logIn('staff@web.test');
    const first = await sendCase(staff, { history: 'WEB-F1', age: '70' }, 'input');
    const second = await sendCase(staff, { history: 'WEB-F2', age: '71' }, 'input');
    await staff.context().close();

    const reader = await logIn('reader@web.test', { axe: true });
    await reader.getByRole('heading', { name: 'Worklist' }).waitFor();
    await reader.locator(`tr[data-case-id="${first}"]`).waitFor();
    await accessible(reader, 'the worklist');
    // The skip link is the first stop of Tab, and takes the focus past the header.
    await reader.keyboard.press('Tab');
    assert.equal(await focusedName(reader), 'Skip to the content');
    assert.notEqual((await focused(reader)).outline, 'none', 'a visible focus');
    await reader.keyboard.press('Enter');
    assert.equal((await focused(reader)).tag, 'MAIN');

    const centerName = server.demo.centers[0]!.name;
    assert.equal(await reader.locator(`tr[data-case-id="${first}"] td[data-label="Center"]`).innerText(), centerName, 'the center column');
    await reader.getByLabel('Center').selectOption({ label: centerName });
    await reader.waitForTimeout(300);
    assert.ok((await reader.locator('td[data-label="Center"]').allInnerTexts()).every((t) => t === centerName));
    await reader.getByLabel('Deadline').selectOption('overdue');
    await reader.getByText('No cases waiting that match the filters.').waitFor();
    await reader.getByLabel('Deadline').selectOption('');
    await reader.locator(`tr[data-case-id="${first}"]`).waitFor();

    await openFromWorklist(reader, first);
    await reader.locator('.pane-row .viewer img').first().waitFor();
    assert.match(await reader.getByTestId('suggested-derivation').innerText(), /Nothing graded yet/, 'an untouched form suggests nothing');
    assert.doesNotMatch(await reader.getByTestId('suggested-derivation').innerText(), /Normal/);
    await reader.getByText('Keyboard shortcuts').click();
    assert.match(await reader.getByTestId('shortcuts').innerText(), /Ctrl\+Shift\+Enter[\s\S]*next case/);
    await accessible(reader, 'the case view');

    // The zoom buttons are on the Tab path.
    await reader.getByRole('button', { name: 'Reset' }).focus();
    const stops: string[] = [];
    for (let i = 0; i < 6; i++) {
      await reader.keyboard.press('Tab');
      stops.push(await focusedName(reader));
    }
    assert.ok(stops.includes('Zoom out') && stops.includes('Zoom in') && stops.includes('Fit'), `Tab reaches the zoom buttons: ${stops.join(', ')}`);

    // Signing the untouched form: every refusal at once, in words, beside its control and in the summary.
    await reader.getByRole('button', { name: 'Sign report', exact: true }).click();
    const summary = reader.getByTestId('error-summary');
    await summary.waitFor();
    assert.equal((await focused(reader)).testId, 'error-summary');
    const refusals = await summary.getByRole('listitem').allInnerTexts();
    assert.ok(refusals.length >= 3, refusals.join(' | '));
    assert.ok(refusals.some((t) => t.startsWith('Right eye (OD) — diabetic retinopathy')) && refusals.some((t) => t.startsWith('Left eye (OS) — diabetic retinopathy')), refusals.join(' | '));
    assert.ok(refusals.some((t) => t.startsWith('Recommendation')), 'and the case-level fields, all at once');
    assert.doesNotMatch(await reader.locator('form.grading').innerText(), /\bo[ds]\.[a-z_]+/, 'no internal field names');
    assert.match(await reader.locator('[data-field="od.dr"]').innerText(), /Right eye \(OD\) — diabetic retinopathy is required/, 'beside its control');
    await summary.getByRole('link', { name: /^Left eye \(OS\) — diabetic retinopathy/ }).click();
    assert.equal(await focusedName(reader), 'os-dr=none', 'the summary leads to the control');
    await accessible(reader, 'the case view with the refusals');

    // Sign and open the next case.
    await reader.getByRole('button', { name: 'Both eyes normal' }).click();
    assert.match(await reader.getByTestId('suggested-derivation').innerText(), /Normal/);
    await reader.locator('textarea[name="recommendation"]').fill('Come back in a year.');
    await reader.locator('select[name="rescreen_months"]').selectOption('12');
    await reader.getByRole('button', { name: 'Sign and open the next case' }).click();
    await reader.waitForURL((url) => /\/app\/reading\/cases\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${first}`));
    await reader.getByText(`Report of case #${first} signed.`).waitFor();
    await reader.getByRole('heading', { name: /Case #\d+/ }).waitFor();
    assert.notEqual(await reader.getByRole('heading', { name: /Case #\d+/ }).innerText(), `Case #${first}`);
    assert.equal((await server.platform.database.db.selectFrom('cases').select('status').where('id', '=', first).executeTakeFirstOrThrow()).status, 'reported');
    void second;
    await reader.context().close();
  });
});
