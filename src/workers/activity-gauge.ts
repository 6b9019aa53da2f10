/**
 * A count of one kind of work under way in this process (uploads streaming
 * in), so that background work can step aside while it runs: on a small
 * machine a preview rendered during an upload slows the upload down, while
 * the preview itself is not needed until a reader opens the case.
 */
export class ActivityGauge {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** Marks one piece of work as started; call the returned function once it ends. */
  enter(): () => void {
    this.count++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  get active(): number {
    return this.count;
  }

  /** Resolves once nothing is under way, or after `maxWaitMs` at the latest (work never starves). */
  quiet(maxWaitMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.waiters.push(done);
    });
  }
}
