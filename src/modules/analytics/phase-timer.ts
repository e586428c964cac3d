/**
 * Wall milliseconds per phase of a run and the process's resident memory (MiB) at the end of
 * each, for the log (and bench/analytics).
 */
export class PhaseTimer {
  readonly laps: Record<string, number> = {};
  readonly rssMiB: Record<string, number> = {};
  private last = performance.now();

  lap(phase: string): void {
    const now = performance.now();
    this.laps[phase] = Math.round(now - this.last);
    this.rssMiB[phase] = Math.round(process.memoryUsage.rss() / 2 ** 20);
    this.last = now;
  }
}
