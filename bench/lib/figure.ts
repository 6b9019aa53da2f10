import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * One line of `npm run bench`'s table: a figure of ours beside its baseline
 * from the same run, the ratio, the target and whether it was met. Each
 * figure script writes its lines as `rows` in its JSON; bench/run.ts prints
 * them together.
 */
export interface FigureRow {
  /** intake, peer, list, read, report, reading, callbacks. */
  readonly figure: string;
  /** What was measured, e.g. `GET /cases/{id} req/s, 16 connections`. */
  readonly measure: string;
  readonly ours: string;
  readonly baseline: string;
  /** ours / baseline (or baseline / ours for times: always "how many baselines we are"); null when not a ratio. */
  readonly ratio: number | null;
  readonly target: string;
  /** null: no target, or not measurable in this run (say why in `note`). */
  readonly met: boolean | null;
  readonly note?: string;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** A figure with up to three significant decimals, for the table. */
export function num(value: number, unit = ''): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit === '' ? '' : ` ${unit}`}`;
}

/** Lines of `--key value` for a child benchmark, from an object of settings. */
export function argsOf(settings: Readonly<Record<string, string | number | boolean>>): string[] {
  return Object.entries(settings).flatMap(([key, value]) => (value === false ? [] : value === true ? [`--${key}`] : [`--${key}`, String(value)]));
}

/** The repository's root, whatever the working directory. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * What a figure script with only the common options (`--quick`, `--no-build`,
 * `--out`) reads from its command line, its result file and its log.
 */
export function simpleFigureScript(name: string): {
  readonly args: { readonly quick: boolean; readonly 'no-build': boolean; readonly out?: string };
  readonly outFile: string;
  readonly log: (line?: string) => void;
} {
  const { values: args } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, 'no-build': { type: 'boolean', default: false }, out: { type: 'string' } },
    strict: true,
  });
  const log = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  return { args, outFile: path.resolve(args.out ?? path.join(ROOT, '.bench', `${name}-result.json`)), log };
}
