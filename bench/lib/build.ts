/** Benchmarks run the built server (`dist/`), as `npm start` does: build it when src/ changed. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` unless dist/ is newer than every file of src/ (or `skip`, for --no-build). */
export function ensureBuild(root: string, options: { skip: boolean; log: (line: string) => void }): void {
  const main = path.join(root, 'dist', 'cli', 'main.js');
  const fresh = existsSync(main) && statSync(main).mtimeMs >= newestMtime(path.join(root, 'src'));
  if (options.skip) {
    if (!existsSync(main)) throw new Error('dist/cli/main.js is missing; run without --no-build');
    options.log(`build: skipped (--no-build)${fresh ? '' : ' although src/ is newer than dist/'}`);
    return;
  }
  if (fresh) {
    options.log('build: dist/ is up to date');
    return;
  }
  options.log('build: npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${String(result.status)})`);
}
