import type { WorkerIdentity } from './wire';

/** A stretch of time one worker held one batch of this run (wall clock, ms); `to` is missing while it holds it. */
export interface HeldSpan {
  /** The job id, and which holder of it this is (a stalled batch is held again by another worker). */
  readonly id: string;
  readonly worker: WorkerIdentity;
  readonly from: number;
  readonly to?: number;
}

const sameWorker = (a: WorkerIdentity, b: WorkerIdentity): boolean => a.host === b.host && a.name === b.name && a.pid === b.pid;

/**
 * Who held which batch of the run and when, from the batches' own events (a worker's "taken" progress, the
 * result, a failure, a stall): exact where sampling the workers' presence every few seconds would miss a
 * short batch. The panel draws each worker's lane from it.
 */
export class BatchActivity {
  private readonly open = new Map<string, HeldSpan>();
  private changed: HeldSpan[] = [];
  private holders = 0;

  /** `worker` holds the batch now; a batch that changed hands ends its previous holder's span. */
  held(jobId: string, worker: WorkerIdentity, now = Date.now()): void {
    const current = this.open.get(jobId);
    if (current && sameWorker(current.worker, worker)) return;
    if (current) this.ended(jobId, now);
    const span = { id: `${jobId}/${++this.holders}`, worker, from: now };
    this.open.set(jobId, span);
    this.changed.push(span);
  }

  /** The batch settled, or went back to the queue. */
  ended(jobId: string, now = Date.now()): void {
    const current = this.open.get(jobId);
    if (!current) return;
    this.open.delete(jobId);
    this.changed.push({ ...current, to: now });
  }

  /** The spans that began or ended since the last call. */
  take(): HeldSpan[] {
    return this.changed.splice(0);
  }
}
