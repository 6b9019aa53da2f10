/** Child processes of the benchmark: free ports, spawning, readiness, /proc sampling, shutdown. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A port the kernel reports free on 127.0.0.1 (bound to port 0, then released). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) {
        server.close();
        reject(new Error('no port'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  stderr(): string;
  exited(): boolean;
  /** Resolves with the exit code (or signal) once the process has gone. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns a server and waits until `ready` matches its stdout. Rejects when it
 * exits first or takes longer than `timeoutMs`.
 */
export async function startServer(options: {
  name: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  port: number;
  ready: RegExp;
  cwd: string;
  timeoutMs?: number;
  /** The program to run; node itself by default. */
  command?: string;
}): Promise<ServerProcess> {
  const child = spawn(options.command ?? process.execPath, [...options.args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let gone = false;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    if (err.length > 1_000_000) err = err.slice(-500_000);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal });
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: spawn failed`);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!options.ready.test(out)) {
    if (gone) throw new Error(`${options.name} exited before it was ready.\nstdout:\n${out}\nstderr:\n${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not ready after ${options.timeoutMs ?? 60_000} ms.\nstdout:\n${out}\nstderr:\n${err}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    name: options.name,
    child,
    pid,
    port: options.port,
    stdout: () => out,
    stderr: () => err,
    exited: () => gone,
    exit,
  };
}

/**
 * The variables `npm start` sets before `node` (package.json's `start`
 * script, `MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=1048576`): the benchmarks start our server the way it
 * runs, so they read them from there rather than keep a copy.
 */
export function npmStartEnv(root: string): Record<string, string> {
  const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  const prefix = /^((?:\w+=\S*\s+)*)node\s/.exec(scripts['start'] ?? '');
  if (!prefix) throw new Error(`package.json's start script does not run node: ${scripts['start'] ?? '(none)'}`);
  return Object.fromEntries((prefix[1] ?? '').trim().split(/\s+/).filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/**
 * The real server as `npm start` runs it (`node dist/cli/main.js serve`) on
 * `dataDir`, listening on 127.0.0.1:`port`, with no request rate limit to
 * speak of; `env` adds or overrides settings.
 */
export function startOpenretina(options: {
  root: string;
  dataDir: string;
  port: number;
  env?: Readonly<Record<string, string>>;
  nodeArgs?: readonly string[];
}): Promise<ServerProcess> {
  return startServer({
    name: 'openretina',
    cwd: options.root,
    port: options.port,
    args: [...(options.nodeArgs ?? []), 'dist/cli/main.js', 'serve'],
    env: {
      ...process.env,
      ...npmStartEnv(options.root),
      OPENRETINA_DATA_DIR: options.dataDir,
      OPENRETINA_PORT: String(options.port),
      OPENRETINA_HOST: '127.0.0.1',
      OPENRETINA_RATE_LIMIT_PER_MINUTE: '10000000',
      ...options.env,
    },
    ready: /openretina listening on/,
  });
}

/** SIGINT, then SIGKILL after `graceMs`. Resolves once the process has exited. */
export async function stopServer(server: ServerProcess, graceMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
  if (server.exited()) return { ...(await server.exit), killed: false };
  server.child.kill('SIGINT');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    server.child.kill('SIGKILL');
  }, graceMs);
  const result = await server.exit;
  clearTimeout(timer);
  return { ...result, killed };
}

/** Resident set size in bytes (VmRSS of /proc/<pid>/status), or null when the process is gone. */
export function readRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface CpuTimes {
  readonly user: number;
  readonly system: number;
  /** Minor page faults (fresh or reclaimed pages touched). */
  readonly minorFaults: number;
}

/** CPU seconds (user, system) the process has used, all threads, from /proc/<pid>/stat. */
export function readCpuSeconds(pid: number): CpuTimes | null {
  return readStatCpu(`/proc/${pid}/stat`);
}

/**
 * CPU seconds of the main thread alone (/proc/<pid>/task/<pid>/stat): the
 * JavaScript event loop. The rest of the process is libuv's thread pool
 * (file system, crypto jobs, sharp), V8's GC and compiler helpers.
 */
export function readMainThreadCpuSeconds(pid: number): CpuTimes | null {
  return readStatCpu(`/proc/${pid}/task/${pid}/stat`);
}

function readStatCpu(file: string): CpuTimes | null {
  try {
    const stat = readFileSync(file, 'utf8');
    // The command name may contain spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = 100; // USER_HZ on Linux
    return { user: Number(fields[11]) / ticks, system: Number(fields[12]) / ticks, minorFaults: Number(fields[7]) };
  } catch {
    return null;
  }
}

/** Bytes the process caused to be written to storage (/proc/<pid>/io write_bytes). */
export function readWriteBytes(pid: number): number | null {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const match = /^write_bytes:\s+(\d+)/m.exec(io);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export interface RssStats {
  readonly peak: number;
  readonly mean: number;
  readonly count: number;
}

/** Samples a process's RSS every `intervalMs` until stopped. */
export class RssSampler {
  private readonly samples: { readonly t: number; readonly rss: number }[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Takes a sample now (also done every interval). */
  sample(): void {
    const rss = readRss(this.pid);
    if (rss !== null) this.samples.push({ t: performance.now(), rss });
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** Peak and mean of the samples taken between `from` and `to` (performance.now() times). */
  stats(from = 0, to = Number.POSITIVE_INFINITY): RssStats {
    const values = this.samples.filter((s) => s.t >= from && s.t <= to).map((s) => s.rss);
    const count = values.length;
    return {
      peak: count === 0 ? 0 : Math.max(...values),
      mean: count === 0 ? 0 : values.reduce((a, b) => a + b, 0) / count,
      count,
    };
  }
}

export interface MachineTimes {
  readonly busy: number;
  readonly total: number;
}

/** Machine-wide CPU ticks (all cores) from the first line of /proc/stat: busy excludes idle and iowait. */
export function readMachineTimes(): MachineTimes | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
    const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** A process's CPU (all threads, and its main thread alone) and the machine's, read at one instant. */
export interface CpuSnapshot {
  readonly process: CpuTimes | null;
  readonly mainThread: CpuTimes | null;
  readonly machine: MachineTimes | null;
}

export function readCpuSnapshot(pid: number): CpuSnapshot {
  return { process: readCpuSeconds(pid), mainThread: readMainThreadCpuSeconds(pid), machine: readMachineTimes() };
}

/** What was spent between two snapshots; null where either could not be read. */
export interface CpuSpent {
  /** CPU seconds (user + system) of the process, of its kernel time, and its minor page faults. */
  readonly processSeconds: number | null;
  readonly systemSeconds: number | null;
  readonly minorFaults: number | null;
  readonly mainThreadSeconds: number | null;
  /** The machine's ticks, busy and in all, over every core. */
  readonly machine: MachineTimes | null;
}

export function cpuSpent(from: CpuSnapshot, to: CpuSnapshot): CpuSpent {
  const seconds = (a: CpuTimes | null, b: CpuTimes | null): number | null => (a !== null && b !== null ? b.user + b.system - a.user - a.system : null);
  const a = from.process;
  const p = to.process;
  return {
    processSeconds: seconds(a, p),
    systemSeconds: a !== null && p !== null ? p.system - a.system : null,
    minorFaults: a !== null && p !== null ? p.minorFaults - a.minorFaults : null,
    mainThreadSeconds: seconds(from.mainThread, to.mainThread),
    machine: from.machine !== null && to.machine !== null ? { busy: to.machine.busy - from.machine.busy, total: to.machine.total - from.machine.total } : null,
  };
}
