/**
 * Summaries of a V8 `.cpuprofile` (written by `node --cpu-prof`): self time
 * per function (name + script), total ("inclusive") time per function, and
 * self time per area (GC, idle, node internals, each npm package, our code).
 */
import fs from 'node:fs/promises';
import path from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface FunctionTime {
  readonly name: string;
  readonly where: string;
  readonly area: string;
  readonly ms: number;
  /** Share of all samples. */
  readonly percent: number;
  /** Share of the samples in which the process was not idle. */
  readonly busyPercent: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly durationMs: number;
  readonly idleMs: number;
  readonly busyMs: number;
  readonly samples: number;
  readonly topSelf: readonly FunctionTime[];
  readonly topTotal: readonly FunctionTime[];
  readonly areas: readonly FunctionTime[];
}

export function isCpuProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && Array.isArray((value as { nodes?: unknown }).nodes);
}

/** Where a script belongs: a package, node's internals, our compiled code, or V8 itself. */
export function areaOf(frame: CallFrame, projectRoot: string): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName.startsWith('(')) return functionName; // (idle), (program), (garbage collector), (root)
    return 'native (V8/C++ builtins)';
  }
  if (url.startsWith('node:')) return 'node internals';
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? '?');
    return `npm:${pkg}`;
  }
  const relative = path.relative(projectRoot, file);
  if (!relative.startsWith('..')) return relative.split(path.sep)[0] === 'dist' ? 'openretina (dist)' : `project:${relative}`;
  return file;
}

function whereOf(frame: CallFrame, projectRoot: string): string {
  const { url } = frame;
  if (url === '') return '';
  if (url.startsWith('node:')) return url;
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf('/node_modules/');
  const shown = nm >= 0 ? file.slice(nm + '/node_modules/'.length) : path.relative(projectRoot, file);
  return `${shown}:${frame.lineNumber + 1}`;
}

/** Self and total times from a profile. Percentages are of all samples and of the non-idle ones. */
export function summarizeProfile(profile: CpuProfile, file: string, projectRoot: string, top = 25): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  // Self time per node: sample deltas when present (exact), hit counts otherwise.
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length === samples.length) {
    // timeDeltas[i] is the time between samples i-1 and i: sample i stands for
    // the interval up to the next sample, timeDeltas[i + 1].
    for (let i = 0; i < samples.length; i++) {
      const id = samples[i]!;
      const next = deltas[i + 1] ?? 0;
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, next));
    }
  } else {
    const interval = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
    const perHit = interval > 0 ? (profile.endTime - profile.startTime) / interval : 0;
    for (const node of profile.nodes) selfUs.set(node.id, (node.hitCount ?? 0) * perHit);
  }

  const keyOf = (frame: CallFrame): string => `${frame.functionName || '(anonymous)'}\u0000${frame.url}`;
  const frameOfKey = new Map<string, CallFrame>();
  const selfByKey = new Map<string, number>();
  const totalByKey = new Map<string, number>();
  const areaUs = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;

  // Unique function keys on each node's stack (recursion counted once), memoised.
  const stackKeys = new Map<number, ReadonlySet<string>>();
  const keysOnStack = (id: number): ReadonlySet<string> => {
    const known = stackKeys.get(id);
    if (known) return known;
    const chain: number[] = [];
    let cursor: number | undefined = id;
    while (cursor !== undefined && !stackKeys.has(cursor)) {
      chain.push(cursor);
      cursor = parent.get(cursor);
    }
    let inherited: ReadonlySet<string> = cursor === undefined ? new Set<string>() : stackKeys.get(cursor)!;
    for (let i = chain.length - 1; i >= 0; i--) {
      const node = byId.get(chain[i]!)!;
      const key = keyOf(node.callFrame);
      const set = inherited.has(key) ? inherited : new Set([...inherited, key]);
      stackKeys.set(chain[i]!, set);
      inherited = set;
    }
    return stackKeys.get(id)!;
  };

  for (const [id, us] of selfUs) {
    if (us === 0) continue;
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') idleUs += us;
    const key = keyOf(frame);
    frameOfKey.set(key, frame);
    selfByKey.set(key, (selfByKey.get(key) ?? 0) + us);
    const area = areaOf(frame, projectRoot);
    areaUs.set(area, (areaUs.get(area) ?? 0) + us);
    for (const k of keysOnStack(id)) totalByKey.set(k, (totalByKey.get(k) ?? 0) + us);
  }
  for (const node of profile.nodes) {
    const key = keyOf(node.callFrame);
    if (!frameOfKey.has(key)) frameOfKey.set(key, node.callFrame);
  }

  const busyUs = totalUs - idleUs;
  const describe = (key: string, us: number): FunctionTime => {
    const frame = frameOfKey.get(key)!;
    return {
      name: frame.functionName || '(anonymous)',
      where: whereOf(frame, projectRoot),
      area: areaOf(frame, projectRoot),
      ms: us / 1000,
      percent: totalUs > 0 ? (100 * us) / totalUs : 0,
      busyPercent: busyUs > 0 && frame.functionName !== '(idle)' ? (100 * us) / busyUs : 0,
    };
  };
  const topSelf = [...selfByKey.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => describe(k, us));
  const boring = new Set(['(root)', '(program)', '(idle)', '(garbage collector)', 'processTicksAndRejections', 'listOnTimeout', 'processTimers']);
  const topTotal = [...totalByKey.entries()]
    .filter(([k]) => !boring.has(frameOfKey.get(k)?.functionName ?? ''))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => describe(k, us));
  const areas = [...areaUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([area, us]) => ({
      name: area,
      where: '',
      area,
      ms: us / 1000,
      percent: totalUs > 0 ? (100 * us) / totalUs : 0,
      busyPercent: busyUs > 0 && area !== '(idle)' ? (100 * us) / busyUs : 0,
    }));
  return {
    file,
    durationMs: (profile.endTime - profile.startTime) / 1000,
    idleMs: idleUs / 1000,
    busyMs: busyUs / 1000,
    samples: samples.length,
    topSelf,
    topTotal,
    areas,
  };
}

export function formatProfileSummary(title: string, summary: ProfileSummary, top = 25): string {
  const lines: string[] = [];
  const fmt = (f: FunctionTime, i: number): string =>
    `  ${String(i + 1).padStart(2)}. ${f.percent.toFixed(1).padStart(5)}%  ${f.busyPercent.toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name.slice(0, 48).padEnd(48)} ${f.where}`;
  lines.push(`${title}: ${path.basename(summary.file)}`);
  lines.push(
    `  ${(summary.durationMs / 1000).toFixed(1)} s profiled, ${summary.samples} samples; main thread busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s`,
  );
  lines.push('  Self time by area            % all   % busy');
  for (const a of summary.areas.slice(0, 14)) {
    lines.push(`    ${a.name.slice(0, 28).padEnd(28)} ${a.percent.toFixed(1).padStart(5)}%  ${a.busyPercent.toFixed(1).padStart(5)}%  ${a.ms.toFixed(0).padStart(7)} ms`);
  }
  lines.push(`  Top ${top} functions by self time   (% all, % of busy, ms)`);
  summary.topSelf.slice(0, top).forEach((f, i) => lines.push(fmt(f, i)));
  lines.push(`  Top ${Math.min(top, 20)} functions by total time (self + callees)`);
  summary.topTotal.slice(0, Math.min(top, 20)).forEach((f, i) => lines.push(fmt(f, i)));
  return lines.join('\n');
}

/**
 * The main thread's profile in `dir`. `--cpu-prof` writes one file per thread,
 * named CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the
 * main thread (with `--import tsx` the module loader thread writes another).
 */
export async function mainThreadProfile(dir: string, pid: number): Promise<string | null> {
  let entries: string[];
  try {
    entries = (await fs.readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return null;
  }
  const main = entries.filter((f) => f.includes(`.${pid}.0.`));
  const chosen = main[0] ?? entries.sort()[0];
  return chosen === undefined ? null : path.join(dir, chosen);
}

export async function readCpuProfile(file: string): Promise<CpuProfile> {
  const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
  if (!isCpuProfile(parsed)) throw new Error(`${file} is not a .cpuprofile`);
  return parsed;
}

/** Now on the clock V8 stamps profiles with (CLOCK_MONOTONIC, µs), shared by every process of the machine. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * The samples taken between `fromUs` and `toUs` (monotonicMicros() times of
 * a load window), so start-up and shutdown do not count; the whole profile
 * when none fall inside (a clock that is not shared).
 */
export function profileWindow(profile: CpuProfile, fromUs: number, toUs: number): CpuProfile {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length === 0 || deltas.length !== samples.length) return profile;
  const kept: number[] = [];
  const keptDeltas: number[] = [];
  let t = profile.startTime;
  let last = -1;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i]!;
    if (t < fromUs || t > toUs) continue;
    keptDeltas.push(last < 0 ? 0 : t - last);
    kept.push(samples[i]!);
    last = t;
  }
  if (kept.length < 2) return profile;
  return { ...profile, startTime: fromUs, endTime: toUs, samples: kept, timeDeltas: keptDeltas };
}
