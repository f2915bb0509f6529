import * as path from 'node:path';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { RunState } from '../core/run-state';

/**
 * A live progress display on a terminal: one bar for the run (files/s, ETA)
 * and one line per worker showing what it is doing. Written to stderr so that
 * stdout holds only the report.
 */
export class ProgressDisplay<R> {
  private readonly multibar: MultiBar;
  private readonly overall: SingleBar;
  private readonly lanes: SingleBar[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly state: RunState<R>,
    private readonly cwd: string,
  ) {
    this.multibar = new MultiBar(
      { stream: process.stderr, hideCursor: true, clearOnComplete: true, fps: 10, autopadding: true, format: '{bar} {value}/{total} files | {rate} files/s | ETA {eta}' },
      Presets.shades_classic,
    );
    const snapshot = state.snapshot();
    this.overall = this.multibar.create(snapshot.counts.total, 0, { rate: '0.0', eta: '-' });
    for (const worker of snapshot.workers) {
      this.lanes.push(this.multibar.create(1, 0, { line: '' }, { format: `  worker ${worker.slot + 1}: {line}` }));
    }
    // Refresh on a timer, not per event: a run over 10,000 files emits far more events than a terminal can show.
    this.timer = setInterval(() => this.render(), 100);
  }

  private render(): void {
    const snapshot = this.state.snapshot();
    const { counts, timings } = snapshot;
    const finished = counts.done + counts.failed + counts.skipped + counts.cancelled;
    this.overall.setTotal(counts.total);
    this.overall.update(finished, {
      rate: timings.filesPerSecond.toFixed(1),
      eta: timings.etaMs === undefined ? '-' : `${Math.ceil(timings.etaMs / 1000)}s`,
    });
    snapshot.workers.forEach((worker, i) => {
      const file = worker.currentFile ? path.relative(this.cwd, worker.currentFile) : '';
      const line = `${worker.state.padEnd(10)} ${String(worker.filesDone).padStart(5)} done  ${file}`;
      this.lanes[i]?.update(0, { line });
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.render();
    this.multibar.stop();
  }
}
