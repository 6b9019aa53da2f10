import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { siblingModule } from '../src/sibling-module.js';

describe('siblingModule', () => {
  it('names the compiled .js beside a compiled caller', () => {
    const found = siblingModule('file:///app/dist/security/password-hash-pool.js', 'scrypt-thread');
    assert.equal(found.url.href, 'file:///app/dist/security/scrypt-thread.js');
    assert.equal(found.fromSource, false);
  });

  it('names the .ts source beside a caller run from source, whatever its URL carries after the path', () => {
    for (const caller of ['file:///app/src/media/demo-fundus-apart.ts', 'file:///app/src/media/demo-fundus-apart.ts?tsx-namespace=1']) {
      const found = siblingModule(caller, 'demo-fundus-child');
      assert.equal(found.url.href, 'file:///app/src/media/demo-fundus-child.ts');
      assert.equal(found.fromSource, true);
    }
  });

  it('starts the scrypt thread from source under tsx, as benchmarks and `tsx src/cli/main.ts` run it', () => {
    // The suite runs compiled (.test-build/): this is the one place the source branch runs.
    const script = `
      const { hashPassword, passwordMatches } = await import('./src/security/secrets.ts');
      const { passwordHashPool } = await import('./src/security/password-hash-pool.ts');
      const hash = await hashPassword('correct horse', 12);
      process.stdout.write(String(await passwordMatches('correct horse', hash)) + ' ' + String(await passwordMatches('wrong', hash)));
      await passwordHashPool.close();`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(out, 'true false');
  });
});
