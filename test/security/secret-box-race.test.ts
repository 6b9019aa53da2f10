import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { SecretBox } from '../../src/security/secret-box.js';

/**
 * Processes starting together on a new data directory each make the sealing
 * key if it is missing: one wins, and none may read another's key file half
 * written. The key used to be created empty and then filled; a loaded run of
 * the suite once saw "the secret key must be 32 bytes" from that. This test
 * does not reproduce that timing reliably; it checks the outcome the
 * write-then-link guarantees.
 */
it('processes opening a new data directory at once all get the one key, whole', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-key-'));
  try {
    for (let round = 0; round < 40; round++) {
      await fs.rm(path.join(dir, 'secret.key'), { force: true });
      const boxes = await Promise.all(Array.from({ length: 8 }, () => SecretBox.open(null, dir)));
      const sealed = boxes[0]!.seal('whsec_round');
      for (const box of boxes) assert.equal(box.open(sealed), 'whsec_round', `round ${round}: every process has the same key`);
    }
    assert.deepEqual((await fs.readdir(dir)).filter((f) => f !== 'secret.key'), [], 'no temporary file is left');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
