/**
 * Summarises `.cpuprofile` files written by `node --cpu-prof` (as the intake
 * benchmark does with --profile):
 *
 *   npx tsx bench/profile-summary.ts .bench/prof/<run>/ours/CPU.*.cpuprofile [--top 40]
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatProfileSummary, isCpuProfile, summarizeProfile } from './lib/cpuprofile.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
const top = Number(values.top);
if (positionals.length === 0 || !(top > 0)) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile>… [--top N]\n');
  process.exit(2);
}
for (const file of positionals) {
  const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
  if (!isCpuProfile(parsed)) {
    process.stderr.write(`${file} is not a .cpuprofile\n`);
    process.exitCode = 1;
    continue;
  }
  process.stdout.write(`${formatProfileSummary(`CPU profile ${file}`, summarizeProfile(parsed, file, ROOT, top), top)}\n\n`);
}
