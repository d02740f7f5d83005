// Every timer and poll the view starts, so that teardown (or a finished call) stops them all at once.

export class Lifetime {
  private readonly timers = new Set<number>();
  private readonly cleanups: Array<() => void> = [];
  ended = false;

  /** Runs `task` once after `ms`, unless the view has ended by then. */
  after(ms: number, task: () => void): () => void {
    if (this.ended) return () => {};
    const timer = window.setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    this.timers.add(timer);
    return () => {
      window.clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /**
   * Runs `task` now and then `ms` after each run has finished, so a slow answer never overlaps the next
   * request. `task` returns false to stop. Skips its turns while the document is hidden.
   */
  poll(ms: number, task: () => Promise<boolean | void>): () => void {
    let stopped = false;
    let cancelNext = () => {};
    const run = async () => {
      if (stopped || this.ended) return;
      const goOn = document.hidden ? true : await task().catch(() => true);
      if (goOn !== false && !stopped) cancelNext = this.after(ms, run);
    };
    void run();
    return () => {
      stopped = true;
      cancelNext();
    };
  }

  onEnd(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers) window.clearTimeout(timer);
    this.timers.clear();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}
