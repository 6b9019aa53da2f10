import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { siblingModule } from '../sibling-module.js';

/**
 * `demoFundusJpeg` in a short-lived child process. Drawing needs sharp, and
 * libvips stays mapped for the life of a process once loaded (about 10 MB
 * resident): the demo seed would otherwise leave it in an API process that
 * runs with its workers off and never needs it again
 * (`bench/README.md`, intake memory).
 */
export function drawDemoFundusApart(eye: 'od' | 'os', width = 2048, height = 1536): Promise<Buffer> {
  const child = siblingModule(import.meta.url, 'demo-fundus-child');
  const args = [...(child.fromSource ? ['--import', import.meta.resolve('tsx')] : []), fileURLToPath(child.url), eye, String(width), String(height)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { encoding: 'buffer', maxBuffer: 64 * 2 ** 20, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`drawing the demo photograph (${eye}) failed: ${error.message} ${stderr.toString('utf8').trim()}`));
      else resolve(stdout);
    });
  });
}
