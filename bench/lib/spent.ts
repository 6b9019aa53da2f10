/** Where a server's main thread spent its time per request (or per image), from the load window of a `--cpu-prof` profile. */
import type { ProfileSummary } from './cpuprofile.js';
import { num } from './figure.js';

export interface Spent {
  readonly requests: number;
  readonly busyUsPerRequest: number;
  readonly areas: readonly { readonly name: string; readonly us: number }[];
  readonly files: readonly { readonly name: string; readonly us: number }[];
  readonly functions: readonly { readonly name: string; readonly where: string; readonly us: number }[];
  readonly summary: ProfileSummary;
}

/** µs per request by area, by file of ours and by function, over the load window's samples. */
export function perRequest(summary: ProfileSummary, requests: number): Spent {
  const us = (ms: number) => (1000 * ms) / Math.max(1, requests);
  const files = new Map<string, number>();
  for (const f of summary.topSelf) {
    if (f.area !== 'openretina (dist)') continue;
    const file = f.where.replace(/:\d+$/, '');
    files.set(file, (files.get(file) ?? 0) + f.ms);
  }
  return {
    requests,
    busyUsPerRequest: us(summary.busyMs),
    areas: summary.areas.filter((a) => a.name !== '(idle)').map((a) => ({ name: a.name, us: us(a.ms) })),
    files: [...files.entries()].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, us: us(ms) })),
    functions: summary.topSelf.filter((f) => f.name !== '(idle)').slice(0, 25).map((f) => ({ name: f.name, where: f.where, us: us(f.ms) })),
    summary,
  };
}

export function formatSpent(title: string, spent: Spent): string {
  const lines = [`${title}: ${num(spent.busyUsPerRequest)} µs of main-thread CPU per request (${spent.requests} requests profiled)`];
  lines.push('  by area:');
  for (const a of spent.areas.slice(0, 12)) lines.push(`    ${a.us.toFixed(1).padStart(7)} µs  ${a.name}`);
  if (spent.files.length > 0) {
    lines.push('  ours, by file:');
    for (const f of spent.files.slice(0, 12)) lines.push(`    ${f.us.toFixed(1).padStart(7)} µs  ${f.name}`);
  }
  lines.push('  top functions (self):');
  for (const f of spent.functions.slice(0, 15)) lines.push(`    ${f.us.toFixed(1).padStart(7)} µs  ${f.name.slice(0, 40).padEnd(40)} ${f.where}`);
  return lines.join('\n');
}

