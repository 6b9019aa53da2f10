import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureWebBuilt } from './e2e/browser.js';
import { TEST_PASSWORD_HASH_COST } from './helpers/config.js';
import { REPO_ROOT, nodeArgsFor } from './helpers/repo.js';

/**
 * Starts `openretina serve` as `npm start` would (from source) and waits for
 * its address. With the tests' cheap password hashes: the demo makes three
 * people and the test logs one in, each a few hundred milliseconds of CPU at
 * production's cost; the scheme is the same (test/security covers the cost).
 */
async function startServe(dataDir: string): Promise<{ child: ChildProcess; output: () => string; address: string }> {
  const child = spawn(process.execPath, nodeArgsFor('src/cli/main.ts', 'serve'), {
    cwd: REPO_ROOT,
    env: { ...process.env, OPENRETINA_DATA_DIR: dataDir, OPENRETINA_PORT: '0', OPENRETINA_LOG_LEVEL: 'warn', OPENRETINA_PASSWORD_HASH_COST: String(TEST_PASSWORD_HASH_COST) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start:\n${text}`));
    }, 30_000);
    const check = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${text}`)));
  });
  return { child, output: () => text, address };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('openretina serve (what npm start runs)', () => {
  let dataDir: string;
  /** Every server started, killed after the suite even when an assertion failed half-way (a live child would hold the run open). */
  const started: ChildProcess[] = [];
  before(async () => {
    ensureWebBuilt();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'openretina-serve-'));
  });
  after(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('creates the demo on an empty database, prints its credentials once, and they work', async () => {
    const first = await startServe(dataDir);
    started.push(first.child);
    const id = /client_id:\s+(\S+)/.exec(first.output())?.[1];
    const secret = /client_secret:\s+(\S+)/.exec(first.output())?.[1];
    assert.ok(id && secret, first.output());
    assert.match(first.output(), /Demo Optics North/);
    const token = await fetch(`${first.address}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${id}&client_secret=${secret}&grant_type=client_credentials`,
    });
    assert.equal(token.status, 200);
    const { access_token } = (await token.json()) as { access_token: string };
    const centers = (await (await fetch(`${first.address}/centers`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as {
      content: unknown[];
    };
    assert.equal(centers.content.length, 2);
    const readerPassword = /reader reader@demo\.openretina\.org\s+password: (\S+)/.exec(first.output())?.[1];
    assert.ok(readerPassword, 'the demo reader password is printed');
    const login = await fetch(`${first.address}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'reader@demo.openretina.org', password: readerPassword }),
    });
    assert.equal(login.status, 200, 'the demo reader can log in');
    const readerToken = ((await login.json()) as { content: { access_token: string } }).content.access_token;
    const worklist = (await (await fetch(`${first.address}/reading/worklist`, { headers: { authorization: `Bearer ${readerToken}` } })).json()) as {
      content: { id: number; image_count: number }[];
    };
    const demoCase = Number(/demo case #(\d+) is waiting/.exec(first.output())?.[1]);
    assert.deepEqual(worklist.content.map((c) => [c.id, c.image_count]), [[demoCase, 2]], 'the demo case waits for the reader, with two photographs');
    const app = await fetch(`${first.address}/app/`);
    assert.equal(app.status, 200, 'the web app is served');
    assert.equal(await stop(first.child), 0, 'graceful shutdown on SIGTERM');
    await fs.access(path.join(dataDir, 'openretina.sqlite'));

    const second = await startServe(dataDir);
    started.push(second.child);
    assert.doesNotMatch(second.output(), /client_secret/, 'the secret is printed only once');
    const again = await fetch(`${second.address}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${id}&client_secret=${secret}&grant_type=client_credentials`,
    });
    assert.equal(again.status, 200, 'data survives a restart');
    assert.equal(await stop(second.child), 0);
  });
});
