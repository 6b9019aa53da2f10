import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { describeOnDialect } from '../helpers/dialects.js';
import { TEST_PASSWORD } from '../helpers/people.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { axeViolations, chromiumForFile, closeContexts, ensureWebBuilt, focused, logInInBrowser } from './browser.js';

const chromium = chromiumForFile();

/** Issue 13 item 5: an admin administers their organisation in the web app, and finds what they did in the audit trail. */
describeOnDialect('sqlite', 'administration in Chromium', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let adminId: number;
  const pageErrors: string[] = [];

  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startTestServer(dialect), chromium()]);
    adminId = (await server.platform.services.admin.createUser({ email: 'web@admin.test', role: 'admin', name: 'Web Admin', password: TEST_PASSWORD, organisationId: 1 })).id;
  });
  after(async () => {
    await closeContexts(browser);
    await server?.close();
    assert.deepEqual(pageErrors, [], 'no script errors in the pages');
  });

  it('an admin creates a center and a person, and finds both actions in the audit trail; axe finds nothing on any screen', async () => {
    const page = await logInInBrowser(browser, server.baseUrl, 'web@admin.test', TEST_PASSWORD, pageErrors, { bypassCSP: true });
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const link of ['Organisation', 'Centers', 'API clients', 'People', 'Audit trail']) assert.ok(await nav.getByRole('link', { name: link }).isVisible(), link);

    // Centers: a refused form names its field in a summary that takes the focus, then the center is created.
    await page.getByRole('heading', { name: 'Centers', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'Demo Optics North', exact: true }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe on the centers page');
    const newCenter = page.getByRole('form', { name: 'New center' });
    await newCenter.getByLabel('Time zone').fill('Mars/Olympus');
    await newCenter.getByRole('button', { name: 'Create center' }).click();
    const summary = newCenter.getByTestId('error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Name must be 1 to 200 characters.*Time zone must be an IANA time zone/);
    assert.equal((await focused(page)).testId, 'error-summary');
    assert.equal(await newCenter.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axeViolations(page), [], 'axe with the error summary');
    await newCenter.getByLabel('Name', { exact: true }).fill('Sol Centro');
    await newCenter.getByLabel('Report language').selectOption('es');
    await newCenter.getByLabel('Time zone').fill('Europe/Madrid');
    await newCenter.getByLabel('Address').fill('Calle Mayor 1\n28013 Madrid');
    await newCenter.getByRole('button', { name: 'Create center' }).click();
    await page.getByRole('status').filter({ hasText: 'Created Sol Centro.' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Sol Centro' });
    assert.match((await row.textContent()) ?? '', /Sol Centro.*Spanish.*Europe\/Madrid.*Calle Mayor 1\s*28013 Madrid/);
    const center = (await server.platform.services.admin.listCenters()).find((c) => c.name === 'Sol Centro');
    assert.equal(center?.address, 'Calle Mayor 1\n28013 Madrid');

    // People: a member of staff of the new center; the generated password is shown once.
    await nav.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    const newPerson = page.getByRole('form', { name: 'New person' });
    await newPerson.getByLabel('E-mail').fill('nina@sol.test');
    await newPerson.getByLabel('Name', { exact: true }).fill('Nina Sol');
    await newPerson.getByLabel('Role').selectOption('staff');
    await newPerson.getByLabel('Sol Centro').check();
    await newPerson.getByRole('button', { name: 'Create person' }).click();
    const shown = page.locator('.shown-once');
    await shown.waitFor();
    const password = ((await shown.locator('code').textContent()) ?? '').trim();
    assert.ok(password.length >= 12, 'the generated password is shown');
    await page.getByRole('row').filter({ hasText: 'nina@sol.test' }).waitFor();
    assert.match((await page.getByRole('row').filter({ hasText: 'nina@sol.test' }).textContent()) ?? '', /Nina Sol.*Center staff.*Sol Centro.*Active/);
    assert.deepEqual(await axeViolations(page), [], 'axe on the people page');
    const nina = (await server.platform.services.admin.listUsers()).find((u) => u.email === 'nina@sol.test');
    assert.deepEqual(nina?.centerIds, [center!.id]);

    // The audit trail: this admin's actions, found by actor.
    await nav.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    const filters = page.getByRole('form', { name: 'Search the audit trail' });
    await filters.getByLabel('Who').selectOption('user');
    await filters.getByLabel('Their id').fill(String(adminId));
    await server.platform.services.audit.settled();
    await filters.getByRole('button', { name: 'Search' }).click();
    // The refused attempt (400) and the center made (201) are both there.
    await page.getByRole('row').filter({ hasText: 'center.create' }).filter({ hasText: /400$/ }).waitFor();
    const created = page.getByRole('row').filter({ hasText: 'center.create' }).filter({ hasText: `center #${center!.id}` });
    await created.waitFor();
    assert.match((await created.textContent()) ?? '', new RegExp(`Web Admin.*center\\.create.*center #${center!.id}.*201`));
    assert.match((await page.getByRole('row').filter({ hasText: 'user.create' }).textContent()) ?? '', new RegExp(`Web Admin.*user\\.create.*user #${nina!.id}.*201`));
    const actors = await page.locator('table.audit tbody tr td:nth-child(2)').allTextContents();
    assert.ok(actors.length > 0 && actors.every((name) => name === 'Web Admin'), 'only this admin’s entries');
    assert.deepEqual(await axeViolations(page), [], 'axe on the audit trail');

    // A refused search names its field too.
    await filters.getByLabel('Case number').fill('not a number');
    await filters.getByRole('button', { name: 'Search' }).click();
    await filters.getByTestId('error-summary').waitFor();
    assert.match((await filters.getByTestId('error-summary').textContent()) ?? '', /case/i);

    // The other two screens: the demo client with its centers, the organisation's name.
    await nav.getByRole('link', { name: 'API clients' }).click();
    // The centers' names come with a request of their own; until then the row names them by id (#1, #2).
    await page.getByRole('row').filter({ hasText: 'Demo camera software' }).filter({ hasText: 'Demo Optics North, Demo Optics South' }).waitFor();
    assert.match((await page.getByRole('row').filter({ hasText: 'Demo camera software' }).textContent()) ?? '', /Demo Optics North, Demo Optics South.*Active/);
    assert.deepEqual(await axeViolations(page), [], 'axe on the API clients page');
    await nav.getByRole('link', { name: 'Organisation' }).click();
    await page.getByRole('heading', { name: 'Demo Optics', level: 2 }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe on the organisation page');
    await page.context().close();
  });
});
