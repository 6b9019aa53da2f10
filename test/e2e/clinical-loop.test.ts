import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { presentNewApiClient } from '../../src/http/presenters.js';
import { STANDARD_RECOMMENDATIONS } from '../../src/domain/report-text.js';
import { describeOnDialect } from '../helpers/dialects.js';
import { makeImage } from '../helpers/images.js';
import { pdfText } from '../helpers/pdf.js';
import { type TestServer, bearer, json, startTestServer } from '../helpers/server.js';
import { chromiumForFile, closeContexts, ensureWebBuilt, logInInBrowser } from './browser.js';

const chromium = chromiumForFile();

/**
 * Issue 10 items 4 and 5 in Chromium: the reader's page names the center, its
 * language and time zone and offers its standard wording; unticking a glaucoma
 * suspicion the cup-to-disc ratio raised asks why; an amendment to another
 * derivation with the same advice asks for its confirmation; staff see the
 * report that became more urgent flagged in their list and explained.
 */
describeOnDialect('postgres', 'web app: the clinical loop in Chromium', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let client: string;
  let jpeg: Buffer;
  const password = 'a long clinical password';
  const pageErrors: string[] = [];

  before(async () => {
    ensureWebBuilt();
    [server, browser, jpeg] = await Promise.all([startTestServer(dialect), chromium(), makeImage('jpeg', 640, 480)]);
    const admin = server.platform.services.admin;
    const sol = await admin.createCenter({ name: 'Óptica Sol', language: 'es', timezone: 'Europe/Madrid' });
    client = await server.token(presentNewApiClient(await admin.createApiClient({ name: 'Sol camera', centerIds: [sol.id] })));
    await admin.createUser({ email: 'reader@loop.test', role: 'reader', name: 'Dra. Web', password, licenceNumber: 'COL-9' });
    await admin.createUser({ email: 'staff@loop.test', role: 'staff', name: 'Staff Sol', password, centerIds: [sol.id] });
  });
  after(async () => {
    await closeContexts(browser);
    await server?.close();
    assert.deepEqual(pageErrors, [], 'no script errors in the pages');
  });

  const logIn = (email: string): Promise<Page> => logInInBrowser(browser, server.baseUrl, email, password, pageErrors);

  it('a reader reports a Spanish center’s case in its wording, says why glaucoma is not suspected, confirms unchanged advice; staff see it became more urgent', async () => {
    const form = new FormData();
    form.append('images[od]', new Blob([jpeg]), 'od.jpg');
    for (const [k, v] of Object.entries({ history_number: 'SOL-1', gender: '1', age: '70', od_sphere: '+1.25' })) form.append(k, v);
    const id = (await json<{ content: number }>(await fetch(`${server.baseUrl}/cases`, { method: 'POST', headers: bearer(client), body: form }))).content;

    const reader = await logIn('reader@loop.test');
    await reader.goto(`/app/reading/cases/${id}`);
    assert.match(await reader.getByTestId('case-center').innerText(), /Óptica Sol · report in Spanish · times in Europe\/Madrid/);
    await reader.getByRole('button', { name: 'Both eyes normal' }).click();
    await reader.locator('input[name="od-vertical_cdr"]').fill('0.75');
    const suspect = reader.locator('input[name="od-glaucoma_suspect"]');
    assert.equal(await suspect.isChecked(), true, 'the cup-to-disc ratio suggests glaucoma');
    assert.match(await reader.getByTestId('suggested-derivation').innerText(), /Routine/);
    await suspect.uncheck();
    const why = reader.locator('textarea[name="glaucoma_override_reason"]');
    await why.waitFor();
    assert.match(await reader.getByTestId('suggested-derivation').innerText(), /Normal/, "the reader's no stands");
    assert.match(await reader.getByTestId('wording-language').innerText(), /Spanish/);
    await reader.getByRole('button', { name: 'Standard wording' }).click();
    assert.equal(await reader.locator('textarea[name="recommendation"]').inputValue(), STANDARD_RECOMMENDATIONS.es.normal);
    await reader.locator('select[name="rescreen_months"]').selectOption('12');
    await reader.getByRole('button', { name: 'Sign report', exact: true }).click();
    await reader.locator('[role="alert"]').filter({ hasText: 'Reason glaucoma is not suspected' }).waitFor();
    await why.fill('Disco grande, anillo íntegro.');
    await reader.getByRole('button', { name: 'Sign report', exact: true }).click();
    await reader.getByText('Report signed.').waitFor();
    await reader.locator('table.history tr[data-version="1"]').filter({ hasText: 'Disco grande, anillo íntegro.' }).waitFor();

    // The amendment raises the derivation but keeps the advice: the form asks to rewrite or confirm it.
    await reader.getByRole('button', { name: 'Amend the report…' }).click();
    await reader.locator('select[name="derivation"]').selectOption('urgent');
    await reader.locator('textarea[name="override_reason"]').fill('Hemorragia papilar en la segunda lectura.');
    await reader.locator('textarea[name="amend_reason"]').fill('Segunda lectura de la papila.');
    const confirm = reader.getByTestId('confirm-unchanged');
    assert.match(await confirm.innerText(), /from normal to urgent/);
    await reader.getByRole('button', { name: 'Sign amended report' }).click();
    await reader.locator('.field-error').filter({ hasText: /recommendation and the rescreen interval are those of version 1/ }).waitFor();
    await confirm.locator('input[name="confirm_unchanged"]').check();
    await reader.getByRole('button', { name: 'Sign amended report' }).click();
    await reader.getByText('Amended report signed.').waitFor();
    const pdf = await pdfText(await (await reader.request.get(`/reading/cases/${id}/report`)).body());
    for (const expected of ['URGENTE', 'Motivo de la modificación: Segunda lectura de la papila.', 'esf +1,25 D', 'motivo del lector: Disco grande, anillo íntegro.']) {
      assert.ok(pdf.includes(expected), `the PDF says "${expected}": ${pdf}`);
    }
    await reader.context().close();

    const staff = await logIn('staff@loop.test');
    await staff.locator(`tr[data-case-id="${id}"] [data-testid="more-urgent"]`).waitFor();
    await staff.goto(`/app/cases/${id}`);
    const amendment = await staff.getByTestId('amendment').innerText();
    assert.match(amendment, /More urgent now/);
    assert.match(amendment, /from normal to urgent/);
    assert.match(amendment, /Segunda lectura de la papila\./);
    assert.match(await staff.getByTestId('glaucoma-override').innerText(), /Disco grande, anillo íntegro\./);
    await staff.context().close();
  });
});
