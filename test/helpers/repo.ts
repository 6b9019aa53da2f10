import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';

/**
 * The repository: package.json, fixtures, docs, node_modules. The tests'
 * code may run from elsewhere: `npm test` compiles src/ and test/ into
 * .test-build/ once and runs the JavaScript, sparing every test file and
 * every spawned server tsx's start-up (about a second of CPU each).
 */
export const REPO_ROOT = PACKAGE_ROOT;

/** Where this code runs from: the repository under tsx, .test-build/ when compiled. */
const CODE_ROOT = path.resolve(import.meta.dirname, '../..');
const COMPILED = import.meta.url.endsWith('.js');

/** The path of a file of the repository's fixtures or documents. */
export function repoFile(relative: string): string {
  return path.join(REPO_ROOT, relative);
}

/**
 * Node's arguments to run one of the repository's TypeScript entry points
 * (`src/cli/main.ts`, `scripts/backup-restore.ts`) as a process of its own:
 * its compiled twin when the tests run compiled, else the source through tsx.
 */
export function nodeArgsFor(entry: string, ...args: string[]): string[] {
  if (COMPILED) return [path.join(CODE_ROOT, entry.replace(/\.ts$/, '.js')), ...args];
  return ['--import', 'tsx', path.join(REPO_ROOT, entry), ...args];
}
