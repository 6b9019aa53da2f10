import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { testEnv } from './config.js';
import type { TestDatabase } from './dialects.js';
import { REPO_ROOT, nodeArgsFor } from './repo.js';

/** `openretina serve` or `openretina worker` running from source as a real process. */
export interface OpenretinaProcess {
  readonly process: ChildProcess;
  /** Where `serve` listens (`http://127.0.0.1:<port>`); empty for `worker`. */
  readonly baseUrl: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** The first match of `pattern` in its output, waited for up to `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends `signal` and resolves once the process has exited (at once when it already has). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `openretina <command>` on the test database (on a free port, without
 * the demo seed unless `env` says otherwise) and resolves once `serve`
 * listens or `worker` has started.
 */
export async function spawnOpenretina(
  database: TestDatabase,
  command: 'serve' | 'worker',
  env: Record<string, string> = {},
  startTimeoutMs = 30_000,
): Promise<OpenretinaProcess> {
  const child = spawn(process.execPath, nodeArgsFor('src/cli/main.ts', command), {
    cwd: REPO_ROOT,
    env: { ...process.env, ...testEnv(database), OPENRETINA_PORT: '0', OPENRETINA_SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = once(child, 'exit');

  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const match = pattern.exec(text);
        if (!match) return;
        finish();
        resolve(match);
      };
      const gone = () => {
        if (pattern.exec(text)) return look();
        finish();
        reject(new Error(`openretina ${command} exited before printing ${pattern}:\n${text}`));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`openretina ${command} did not print ${pattern} within ${timeoutMs} ms:\n${text}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        child.stderr!.off('data', look);
        child.off('exit', gone);
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.once('exit', gone);
      look();
      if (child.exitCode !== null || child.signalCode !== null) gone();
    });

  const started = await waitFor(command === 'worker' ? /worker started/ : /listening on (http:\/\/[\d.:]+)/, startTimeoutMs);
  return {
    process: child,
    baseUrl: started[1] ?? '',
    output: () => text,
    waitFor,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
