import '../helpers/setup.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { it } from 'node:test';
import { SETTINGS } from '../../src/config.js';
import { BEGIN, DEPLOY_GUIDE_PATH, END, settingsTable, withSettingsTable } from '../../scripts/settings-table.js';

/** docs/deploy.md's settings table is generated from src/config.ts; the committed guide must be current. */
it('docs/deploy.md lists every setting with its default, as src/config.ts declares them', async () => {
  const guide = await fs.readFile(DEPLOY_GUIDE_PATH, 'utf8');
  assert.equal(guide, withSettingsTable(guide), 'docs/deploy.md is out of date with src/config.ts: run `npm run docs:settings` and commit the result');
  const table = guide.slice(guide.indexOf(BEGIN), guide.indexOf(END));
  for (const [name, [fallback]] of Object.entries(SETTINGS)) {
    assert.ok(table.includes(`| \`${name}\` | ${fallback === '' ? '(none)' : `\`${fallback}\``} |`), `${name} and its default`);
  }
  assert.equal(settingsTable().split('\n').length, Object.keys(SETTINGS).length + 2);
});

it('refuses a guide without the markers rather than losing the table', () => {
  assert.throws(() => withSettingsTable('# no markers here\n'), /markers/);
});
