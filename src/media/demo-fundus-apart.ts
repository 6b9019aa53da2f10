import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `demoFundusJpeg` in a short-lived child process. Drawing needs sharp, and
 * libvips stays mapped for the life of a process once loaded (about 10 MB
 * resident): the demo seed would otherwise leave it in an API process that
 * runs with its workers off and never needs it again
 * (`bench/README.md`, intake memory).
 */
export function drawDemoFundusApart(eye: 'od' | 'os', width = 2048, height = 1536): Promise<Buffer> {
  const fromSource = import.meta.url.endsWith('.ts');
  const child = fileURLToPath(new URL(fromSource ? './demo-fundus-child.ts' : './demo-fundus-child.js', import.meta.url));
  const args = [...(fromSource ? ['--import', import.meta.resolve('tsx')] : []), child, eye, String(width), String(height)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { encoding: 'buffer', maxBuffer: 64 * 2 ** 20, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`drawing the demo photograph (${eye}) failed: ${error.message} ${stderr.toString('utf8').trim()}`));
      else resolve(stdout);
    });
  });
}
