import fs from 'node:fs';
import os from 'node:os';

const LIBVIPS_WORKER = 'libvips worker';

/**
 * Lowers the scheduling priority of libvips' worker threads (on Linux a nice
 * value belongs to a thread, and `setpriority` takes a thread id). They do
 * most of the decoding, resizing and encoding; at a higher nice value they
 * take the CPU the API leaves idle and yield it whenever requests need it.
 * The pool may start threads at any time, from any thread, so this is called
 * around every job. Elsewhere (no /proc) it does nothing.
 */
export function deprioritiseImageThreads(nice: number): void {
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      if (fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== LIBVIPS_WORKER) continue;
      if (os.getPriority(Number(tid)) < nice) os.setPriority(Number(tid), nice);
    } catch {
      // The thread ended meanwhile, or the system refuses: it runs at normal priority.
    }
  }
}
