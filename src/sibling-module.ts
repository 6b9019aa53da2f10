import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A module beside the caller, in the form this copy of the code runs: the
 * compiled `.js` (dist/, and the suite compiled by `npm test`), or the `.ts`
 * source under tsx (benchmarks, `tsx src/cli/main.ts`). For the entry file
 * of another thread or process, which is loaded by path, not through the
 * loader that resolved the caller; `fromSource` says the new thread or
 * process must load tsx itself.
 */
export function siblingModule(callerUrl: string, name: string): { readonly url: URL; readonly fromSource: boolean } {
  const fromSource = new URL(callerUrl).pathname.endsWith('.ts');
  return { url: new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl), fromSource };
}

/**
 * A worker thread running the module `name` beside the caller. Under tsx
 * the entry is the `.ts` source, and Node 20 does not apply the loader of
 * `--import tsx` to a worker's entry file, so the thread registers tsx
 * before importing it.
 */
export function startSiblingThread(callerUrl: string, name: string, options: WorkerOptions): Worker {
  const entry = siblingModule(callerUrl, name);
  if (!entry.fromSource) return new Worker(entry.url, options);
  const source = JSON.stringify(entry.url.href);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${source}); });`, { ...options, eval: true });
}
