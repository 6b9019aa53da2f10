import '../helpers/setup.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { it } from 'node:test';
import { isPostgresReachable } from '../helpers/dialects.js';
import { REPO_ROOT, nodeArgsFor } from '../helpers/repo.js';

const REQUIRE_POSTGRES = process.env.CI === 'true' || process.env.OPENRETINA_REQUIRE_POSTGRES === '1';

/**
 * docs/deploy.md's backup and restore, done once for real by
 * scripts/backup-restore.ts as a process of its own: data made, pg_dump and a
 * copy of the blobs, everything wiped, restored, and compared.
 */
it('backs up PostgreSQL and the disk store, wipes them, restores them, and finds rows, blobs, the audit chain and the report PDF intact', async (t) => {
  if (!(await isPostgresReachable()) && !REQUIRE_POSTGRES) {
    t.skip('PostgreSQL not reachable: the backup script needs it');
    return;
  }
  const { stdout } = await promisify(execFile)(process.execPath, nodeArgsFor('scripts/backup-restore.ts'), { cwd: REPO_ROOT, env: process.env, timeout: 240_000 });
  const summary = JSON.parse(stdout) as { ok: boolean; cases: number; blobs: number; audit_entries: number; differences: string[] };
  assert.deepEqual(summary.differences, []);
  assert.equal(summary.ok, true);
  assert.equal(summary.cases, 1);
  // Two photographs, a preview and a thumbnail of each, the report PDF.
  assert.equal(summary.blobs, 7);
  assert.ok(summary.audit_entries > 0);
});
