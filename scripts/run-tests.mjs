#!/usr/bin/env node
// Runs every *.test.ts under test/ and src/ with node's test runner (TypeScript via tsx).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(full).isDirectory()) find(full, out);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : [...find('test'), ...find('src')].sort();
// Two files at a time: most of a file's time is waiting (HTTP, PostgreSQL, fsync, child
// processes), so two overlap well on two cores (5m48s alone, 4m14s two at a time).
// OPENRETINA_TEST_CONCURRENCY=1 runs them one by one to rule out interference.
const concurrency = process.env.OPENRETINA_TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
