import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/program.js';

/** Runs an `openretina` command in-process with extra settings and returns the JSON it printed; fails the test on a non-zero exit. */
export async function cliJson(env: Record<string, string>, ...argv: string[]): Promise<Record<string, unknown>> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { ...process.env, ...env } });
  assert.equal(code, 0, err);
  return JSON.parse(out) as Record<string, unknown>;
}
