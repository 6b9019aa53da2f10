#!/usr/bin/env node
// Runs the suite with node's test runner. With no arguments: type-checks the
// web app while compiling src/ and test/ into .test-build/ (type-checking them
// on the way), builds the web app, and runs every compiled *.test.js, so no
// test process and no spawned server pays tsx's start-up. With files as
// arguments: runs those TypeScript files through tsx.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const BUILD = '.test-build';

function find(dir, suffix, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(full).isDirectory()) find(full, suffix, out);
    else if (name.endsWith(suffix)) out.push(full);
  }
  return out;
}

function run(args) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs node with each list of arguments at once; exits with the first failure once all have ended. */
async function runTogether(...argLists) {
  const codes = await Promise.all(
    argLists.map((args) => new Promise((resolve) => spawn(process.execPath, args, { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1)))),
  );
  const failed = codes.find((code) => code !== 0);
  if (failed !== undefined) process.exit(failed);
}

/** Longest first, so that no long file starts last and runs alone at the end. */
function byExpectedTime(files) {
  const weight = (file) => FIRST.findIndex((prefix) => file.includes(prefix));
  return files.sort((a, b) => {
    const wa = weight(a);
    const wb = weight(b);
    if (wa !== wb) return (wa < 0 ? FIRST.length : wa) - (wb < 0 ? FIRST.length : wb);
    return a.localeCompare(b);
  });
}
// The files that take longest (seconds, three at a time on two cores, 2026-12-01): keep the list short and current.
const FIRST = ['e2e/web-app.', 'process/upload-crash.', 'e2e/image-checks.', 'process/callbacks-crash.', 'fuzz/auth.', 'e2e/clinical-loop.', 'process/multi-process.', 'fuzz/intake.', 'http/image-checks.', 'http/previews.'];

// Three files at a time: most of a file's time is waiting (HTTP, PostgreSQL, fsync, child
// processes), so three overlap well on two cores (about 1.3 cores busy on average).
// OPENRETINA_TEST_CONCURRENCY=1 runs them one by one to rule out interference.
const concurrency = process.env.OPENRETINA_TEST_CONCURRENCY ?? '3';
const runner = ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec'];
const only = process.argv.slice(2);
if (only.length > 0) {
  run(['--import', 'tsx', ...runner, ...only]);
} else {
  rmSync(BUILD, { recursive: true, force: true });
  const tsc = path.join('node_modules', 'typescript', 'bin', 'tsc');
  await runTogether([tsc, '-p', 'tsconfig.test.json'], [tsc, '-p', 'web/tsconfig.json']);
  run([path.join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
  run(['--enable-source-maps', ...runner, ...byExpectedTime(find(path.join(BUILD, 'test'), '.test.js'))]);
}
