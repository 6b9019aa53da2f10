import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { passwordHashPool } from '../../src/security/password-hash-pool.js';
import { hashPassword, passwordMatches } from '../../src/security/secrets.js';

describe('password hashing', () => {
  after(() => passwordHashPool.close());

  it('computes one hash at a time unless configured otherwise', () => {
    assert.equal(loadConfig({}).passwordHashConcurrency, 1);
    assert.equal(loadConfig({ OPENRETINA_PASSWORD_HASH_CONCURRENCY: '2' }).passwordHashConcurrency, 2);
    assert.throws(() => loadConfig({ OPENRETINA_PASSWORD_HASH_CONCURRENCY: '0' }), ConfigError);
  });

  it('runs at most the configured number of hashes at once; the rest wait their turn', async () => {
    passwordHashPool.setConcurrency(2);
    const before = passwordHashPool.stats();
    const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`password ${i}`, 12)));
    assert.deepEqual(
      await Promise.all(hashes.map((hash, i) => passwordMatches(`password ${i}`, hash))),
      hashes.map(() => true),
    );
    const stats = passwordHashPool.stats();
    assert.equal(stats.completed - before.completed, 16);
    assert.equal(stats.maxRunning, 2, 'two at once, never more');
    assert.ok(stats.threads <= 2);
    assert.equal(stats.running, 0);
  });

  it('never waits for the thread pool that file I/O uses', { timeout: 60_000 }, async () => {
    const warm = await hashPassword('warm', 10); // the threads exist before the pool is blocked
    // Occupy every thread of libuv's pool: opening a FIFO for reading blocks until a writer comes.
    const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openretina-uv-'));
    const fifos = Array.from({ length: poolSize }, (_, i) => path.join(dir, `fifo-${i}`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    const blocked = fifos.map((fifo) => fs.promises.open(fifo, 'r'));
    let statDone = false;
    const stat = fs.promises.stat(dir).then(() => (statDone = true));
    try {
      assert.equal(await passwordMatches('warm', warm), true);
      assert.ok((await hashPassword('while the pool is blocked', 10)).startsWith('scrypt$'));
      assert.equal(statDone, false, 'file I/O was still waiting for the blocked pool: the hashes did not use it');
    } finally {
      // A non-blocking writer (opened on this thread) releases each blocked reader.
      const writers = fifos.map((fifo) => fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      for (const handle of await Promise.all(blocked)) await handle.close();
      for (const fd of writers) fs.closeSync(fd);
      await stat;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
