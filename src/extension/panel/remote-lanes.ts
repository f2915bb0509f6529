import type { QueueStatus } from '../../queue/queue-executor';
import type { WorkerIdentity } from '../../queue/wire';
import type { RemoteLane, RemoteSpan, RemoteState } from '../../shared/protocol';

/** Spans and stall marks kept per lane: a long run's timeline stays a few hundred shapes. */
const MAX_SPANS = 200;
const MAX_STALLS = 50;

const laneId = ({ host, name, pid }: WorkerIdentity): string => `${host}:${name}:${pid}`;

/**
 * The workers of the queue a run goes through, as the panel shows them: one
 * lane per worker process, named by host and worker name, with what it runs
 * and when it was busy. A worker that stops answering during the run (stopped,
 * killed, its network cut) keeps its lane, marked gone at the time it went,
 * and a batch of its that BullMQ found stalled is marked when it was put
 * back: its batches run elsewhere, and the user sees where the time went.
 */
export class RemoteLanes {
  private queue: string | undefined;
  private waiting: number | undefined;
  private lanes = new Map<string, RemoteLane>();
  changed = false;

  reset(): void {
    this.queue = undefined;
    this.waiting = undefined;
    this.lanes = new Map();
    this.changed = true;
  }

  update(status: QueueStatus, elapsedMs: number): void {
    this.queue = status.queue;
    if (status.waiting !== undefined) this.waiting = status.waiting;
    const seen = new Set<string>();
    for (const presence of status.workers) {
      const { host, name } = presence.worker;
      const id = laneId(presence.worker);
      seen.add(id);
      const before = this.lanes.get(id);
      // Busy when it reports files in hand or time spent on batches since its last report (short batches fall between reports).
      const spans = track(before?.spans ?? [], presence.busy.length > 0 || presence.utilisation > 0, elapsedMs);
      this.lanes.set(id, { id, host, name, slots: presence.concurrency, utilisation: presence.utilisation, busy: presence.busy, spans, stalledAtMs: before?.stalledAtMs ?? [] });
    }
    for (const [id, lane] of this.lanes) {
      if (!seen.has(id) && lane.goneAtMs === undefined) this.lanes.set(id, { ...lane, busy: [], utilisation: 0, spans: track(lane.spans, false, elapsedMs), goneAtMs: elapsedMs });
    }
    for (const worker of status.stalled ?? []) {
      const lane = this.lanes.get(laneId(worker));
      if (lane) this.lanes.set(lane.id, { ...lane, stalledAtMs: [...lane.stalledAtMs, elapsedMs].slice(-MAX_STALLS) });
    }
    this.changed = true;
  }

  state(): RemoteState | undefined {
    if (!this.queue) return undefined;
    return { queue: this.queue, lanes: [...this.lanes.values()], ...(this.waiting === undefined ? {} : { waiting: this.waiting }) };
  }
}

/** Extends or closes the open span, or opens one; the oldest spans merge once there are too many. */
function track(spans: readonly RemoteSpan[], busy: boolean, elapsedMs: number): readonly RemoteSpan[] {
  const last = spans.at(-1);
  const open = last !== undefined && last.endMs === undefined;
  if (busy && open) return spans;
  if (!busy && !open) return spans;
  if (!busy && last) return [...spans.slice(0, -1), { startMs: last.startMs, endMs: elapsedMs }];
  const next = [...spans, { startMs: elapsedMs }];
  if (next.length <= MAX_SPANS) return next;
  const [first, second, ...rest] = next;
  return [{ startMs: (first as RemoteSpan).startMs, endMs: (second as RemoteSpan).endMs ?? elapsedMs }, ...rest];
}
