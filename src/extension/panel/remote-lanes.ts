import type { HeldSpan } from '../../queue/batch-activity';
import type { QueueStatus } from '../../queue/queue-executor';
import type { WorkerIdentity } from '../../queue/wire';
import type { RemoteLane, RemoteSpan, RemoteState } from '../../shared/protocol';

/** Spans and stall marks sent per lane: a long run's timeline stays a few hundred shapes. */
const MAX_SPANS = 200;
const MAX_STALLS = 50;
/** The timeline's width in the webview's units (media/src/charts.ts). */
const TIMELINE_PIXELS = 300;

const laneId = ({ host, name, pid }: WorkerIdentity): string => `${host}:${name}:${pid}`;

/** A lane, with the batches its worker held (in ms into the run) from which its timeline is drawn. */
interface LaneEntry {
  lane: Omit<RemoteLane, 'spans'>;
  /** Batches it holds now, by span id (their end is still to come). */
  readonly held: Map<string, RemoteSpan>;
  /** Batches it held, folded together now and then so that a long run keeps a bounded list. */
  done: RemoteSpan[];
}

/**
 * The workers of the queue a run goes through, as the panel shows them: one
 * lane per worker process, named by host and worker name, with what it runs
 * and when it held the run's batches. A worker that stops answering during
 * the run (stopped, killed, its network cut) keeps its lane, marked gone at
 * the time it went, and a batch of its that BullMQ found stalled is marked
 * when it was put back: its batches run elsewhere, and the user sees where
 * the time went.
 */
export class RemoteLanes {
  private queue: string | undefined;
  private waiting: number | undefined;
  private lanes = new Map<string, LaneEntry>();
  /** How far into the run the last update was: a gap shorter than a pixel of its timeline is not drawn. */
  private elapsedMs = 0;
  changed = false;

  reset(): void {
    this.queue = undefined;
    this.waiting = undefined;
    this.lanes = new Map();
    this.elapsedMs = 0;
    this.changed = true;
  }

  /** The run is over: the queue's depth it last saw is no longer news (other runs' batches come and go). */
  endRun(): void {
    if (this.waiting === undefined) return;
    this.waiting = undefined;
    this.changed = true;
  }

  /** `elapsedMs` into the run at wall-clock time `now`, which places the spans' wall-clock times on the run's axis. */
  update(status: QueueStatus, elapsedMs: number, now = Date.now()): void {
    this.queue = status.queue;
    this.elapsedMs = Math.max(this.elapsedMs, elapsedMs);
    if (status.waiting !== undefined) this.waiting = status.waiting;
    if (!status.partial) this.listed(status.workers, elapsedMs);
    for (const span of status.spans ?? []) this.hold(span, elapsedMs - now);
    for (const worker of status.stalled ?? []) {
      const entry = this.lanes.get(laneId(worker));
      if (entry) entry.lane = { ...entry.lane, stalledAtMs: [...entry.lane.stalledAtMs, elapsedMs].slice(-MAX_STALLS) };
    }
    this.changed = true;
  }

  /** A fresh listing of the workers: each one's report, and those missing from it marked gone. */
  private listed(workers: QueueStatus['workers'], elapsedMs: number): void {
    const seen = new Set<string>();
    for (const presence of workers) {
      const { host, name } = presence.worker;
      const entry = this.entry(presence.worker);
      seen.add(entry.lane.id);
      entry.lane = { id: entry.lane.id, host, name, slots: presence.concurrency, utilisation: presence.utilisation, busy: presence.busy, stalledAtMs: entry.lane.stalledAtMs };
    }
    for (const entry of this.lanes.values()) {
      if (!seen.has(entry.lane.id) && entry.lane.goneAtMs === undefined) entry.lane = { ...entry.lane, busy: [], utilisation: 0, goneAtMs: elapsedMs };
    }
  }

  state(): RemoteState | undefined {
    if (!this.queue) return undefined;
    const lanes = [...this.lanes.values()].map(({ lane, held, done }) => ({ ...lane, spans: merged([...done, ...held.values()], this.elapsedMs / TIMELINE_PIXELS) }));
    return { queue: this.queue, lanes, ...(this.waiting === undefined ? {} : { waiting: this.waiting }) };
  }

  /** A worker's lane; one first seen through a batch it holds gets its slots from its next report. */
  private entry(worker: WorkerIdentity): LaneEntry {
    const id = laneId(worker);
    let entry = this.lanes.get(id);
    if (!entry) {
      entry = { lane: { id, host: worker.host, name: worker.name, slots: 0, utilisation: 0, busy: [], stalledAtMs: [] }, held: new Map(), done: [] };
      this.lanes.set(id, entry);
    }
    return entry;
  }

  private hold(span: HeldSpan, offset: number): void {
    const entry = this.entry(span.worker);
    const startMs = Math.max(0, span.from + offset);
    if (span.to === undefined) {
      entry.held.set(span.id, { startMs });
      return;
    }
    entry.held.delete(span.id);
    entry.done.push({ startMs, endMs: Math.max(startMs, span.to + offset) });
    if (entry.done.length > 4 * MAX_SPANS) entry.done = merged(entry.done, this.elapsedMs / TIMELINE_PIXELS);
  }
}

/**
 * One span per stretch of work: overlapping batches (a worker with several slots) and back-to-back ones (a gap
 * under `minGapMs`) merge; past MAX_SPANS the closest neighbours merge, so a long run keeps its shape in a
 * bounded message.
 */
function merged(spans: RemoteSpan[], minGapMs: number): RemoteSpan[] {
  const sorted = spans.sort((a, b) => a.startMs - b.startMs);
  const out: RemoteSpan[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && (last.endMs === undefined || span.startMs <= last.endMs + minGapMs)) {
      const endMs = last.endMs === undefined || span.endMs === undefined ? undefined : Math.max(last.endMs, span.endMs);
      out[out.length - 1] = endMs === undefined ? { startMs: last.startMs } : { startMs: last.startMs, endMs };
    } else out.push(span);
  }
  while (out.length > MAX_SPANS) {
    let closest = 0;
    for (let i = 1; i < out.length - 1; i++) {
      if (gap(out, i) < gap(out, closest)) closest = i;
    }
    const [a, b] = [out[closest] as RemoteSpan, out[closest + 1] as RemoteSpan];
    out.splice(closest, 2, b.endMs === undefined ? { startMs: a.startMs } : { startMs: a.startMs, endMs: b.endMs });
  }
  return out;
}

const gap = (spans: readonly RemoteSpan[], i: number): number => (spans[i + 1] as RemoteSpan).startMs - ((spans[i] as RemoteSpan).endMs ?? Infinity);
