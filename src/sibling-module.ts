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
