import type { FileOutcome, SkippedFile } from './types';

export type RunPhase = 'running' | 'completed' | 'cancelled' | 'failed';
export type WorkerLaneState = 'idle' | 'busy' | 'restarting';
export type FailureReason = 'crashed' | 'timed out' | 'cancelled';

/** Everything that happens in a run, as the scheduler reports it. RunState is the only consumer that keeps state. */
export type RunEvent<R> =
  | {
      readonly type: 'run-start';
      readonly kind: string;
      readonly total: number;
      readonly workers: number;
      readonly executor: string;
      /** Why this executor was chosen when it is not the one asked for (a run too small for the pool). */
      readonly executorReason?: string;
    }
  | { readonly type: 'skipped'; readonly files: readonly SkippedFile[] }
  | { readonly type: 'batch-start'; readonly slot: number; readonly batchId: number; readonly files: readonly string[] }
  | { readonly type: 'file-start'; readonly slot: number; readonly file: string; readonly threadId: number }
  | {
      readonly type: 'file-done';
      readonly slot: number;
      readonly file: string;
      readonly outcome: FileOutcome<R>;
      readonly durationMs: number;
    }
  | { readonly type: 'batch-end'; readonly slot: number; readonly batchId: number }
  /** A result taken from the cache: the file was not processed again. */
  /** `shared`: from a cache other machines fill too (the queue's), not this machine's own. */
  | { readonly type: 'cached'; readonly file: string; readonly outcome: FileOutcome<R>; readonly shared?: boolean }
  | {
      readonly type: 'worker-failed';
      readonly slot: number;
      readonly reason: FailureReason;
      readonly file?: string;
      readonly detail: string;
    }
  | { readonly type: 'file-retry'; readonly file: string; readonly attempt: number }
  | { readonly type: 'file-cancelled'; readonly files: readonly string[] }
  | { readonly type: 'output'; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'run-end'; readonly phase: Exclude<RunPhase, 'running'>; readonly error?: string };

export type FileStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface FileRecord<R> {
  readonly path: string;
  readonly status: FileStatus;
  readonly outcome?: FileOutcome<R>;
  readonly durationMs?: number;
  readonly attempts: number;
}

export interface QueueCounts {
  readonly total: number;
  readonly pending: number;
  readonly running: number;
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  readonly cancelled: number;
}

export interface WorkerSnapshot {
  readonly slot: number;
  readonly state: WorkerLaneState;
  readonly threadId?: number;
  readonly batchId?: number;
  readonly currentFile?: string;
  readonly filesDone: number;
  readonly busyMs: number;
  readonly restarts: number;
}

export interface RunTimings {
  readonly startedAt: number;
  readonly wallMs: number;
  readonly filesPerSecond: number;
  /** Sum of per-file processing times: what one thread would have needed. */
  readonly serialEstimateMs: number;
  readonly speedup: number;
  readonly etaMs?: number;
}

export interface RunSnapshot {
  readonly kind: string;
  readonly phase: RunPhase;
  readonly executor: string;
  /** Why the run used another executor than the one it was given. */
  readonly executorReason?: string;
  readonly error?: string;
  readonly counts: QueueCounts;
  /** Files whose result came from the cache (counted in `done` too). */
  readonly cached: number;
  /** Of those, the ones from the shared cache (see `SharedCache`). */
  readonly sharedCached: number;
  readonly workers: readonly WorkerSnapshot[];
  readonly timings: RunTimings;
}

interface MutableLane {
  state: WorkerLaneState;
  threadId?: number;
  batchId?: number;
  currentFile?: string;
  filesDone: number;
  busyMs: number;
  busySince?: number;
  restarts: number;
}

/** The member of the event union with the given type, for the reducer's handlers. */
type EventOf<R, T extends RunEvent<R>['type']> = Extract<RunEvent<R>, { readonly type: T }>;

export type RunListener<R> = (event: RunEvent<R>, state: RunState<R>) => void;

/**
 * The single owner of a run's state. The scheduler feeds it events; everyone
 * else reads frozen snapshots and subscribes to the event stream, so no front
 * end ever sees (or causes) a half-updated state.
 */
export class RunState<R> {
  private kind = '';
  private executor = '';
  private executorReason: string | undefined;
  private phase: RunPhase = 'running';
  private error: string | undefined;
  private startedAt = Date.now();
  private endedAt: number | undefined;
  private readonly files = new Map<string, FileRecord<R>>();
  private readonly counts: Record<FileStatus, number> = { pending: 0, running: 0, done: 0, failed: 0, skipped: 0, cancelled: 0 };
  private readonly lanes: MutableLane[] = [];
  private serialMs = 0;
  private cachedCount = 0;
  private sharedCachedCount = 0;
  private readonly listeners = new Set<RunListener<R>>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  subscribe(listener: RunListener<R>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  apply(event: RunEvent<R>): void {
    this.reduce(event);
    for (const listener of this.listeners) listener(event, this);
  }

  /** One handler per event group, so each stays short; the switch keeps the union exhaustive. */
  private reduce(event: RunEvent<R>): void {
    switch (event.type) {
      case 'run-start':
        return this.onRunStart(event);
      case 'skipped':
        for (const file of event.files) {
          this.put({ path: file.path, status: 'skipped', outcome: { status: 'skipped', reason: file.reason }, attempts: 0 });
        }
        return;
      case 'batch-start':
        return this.onBatchStart(event);
      case 'file-start':
        return this.onFileStart(event);
      case 'file-done':
        return this.onFileDone(event);
      case 'cached':
        this.cachedCount++;
        if (event.shared) this.sharedCachedCount++;
        this.put({ path: event.file, status: 'done', outcome: event.outcome, durationMs: 0, attempts: 0 });
        return;
      case 'batch-end':
        return this.onBatchEnd(event);
      case 'worker-failed':
        return this.onWorkerFailed(event);
      case 'file-retry':
        this.setStatus(event.file, 'pending');
        return;
      case 'file-cancelled':
        for (const file of event.files) this.setStatus(file, 'cancelled');
        return;
      case 'output':
        return;
      case 'run-end':
        return this.onRunEnd(event);
    }
  }

  private onRunStart(event: EventOf<R, 'run-start'>): void {
    this.kind = event.kind;
    this.executor = event.executor;
    this.executorReason = event.executorReason;
    this.startedAt = this.now();
    for (let i = 0; i < event.workers; i++) this.lanes.push({ state: 'idle', filesDone: 0, busyMs: 0, restarts: 0 });
  }

  private onBatchStart(event: EventOf<R, 'batch-start'>): void {
    const lane = this.lane(event.slot);
    lane.state = 'busy';
    lane.batchId = event.batchId;
    lane.busySince = this.now();
    for (const file of event.files) this.setStatus(file, 'pending');
  }

  private onFileStart(event: EventOf<R, 'file-start'>): void {
    const lane = this.lane(event.slot);
    lane.state = 'busy';
    lane.threadId = event.threadId;
    lane.currentFile = event.file;
    const record = this.files.get(event.file);
    this.put({ path: event.file, status: 'running', attempts: (record?.attempts ?? 0) + 1 });
  }

  private onFileDone(event: EventOf<R, 'file-done'>): void {
    const lane = this.lane(event.slot);
    lane.filesDone++;
    lane.currentFile = undefined;
    this.serialMs += event.durationMs;
    const status: FileStatus =
      event.outcome.status === 'ok' ? 'done' : event.outcome.status === 'skipped' ? 'skipped' : 'failed';
    const record = this.files.get(event.file);
    this.put({
      path: event.file,
      status,
      outcome: event.outcome,
      durationMs: event.durationMs,
      attempts: record?.attempts ?? 1,
    });
  }

  private onBatchEnd(event: EventOf<R, 'batch-end'>): void {
    const lane = this.lane(event.slot);
    this.stopBusy(lane);
    lane.state = 'idle';
    lane.batchId = undefined;
    lane.currentFile = undefined;
  }

  private onWorkerFailed(event: EventOf<R, 'worker-failed'>): void {
    const lane = this.lane(event.slot);
    this.stopBusy(lane);
    // A worker terminated because the user cancelled is not a restart the run had to make.
    if (event.reason !== 'cancelled') lane.restarts++;
    lane.state = 'restarting';
    lane.currentFile = undefined;
    lane.batchId = undefined;
    lane.threadId = undefined;
  }

  private onRunEnd(event: EventOf<R, 'run-end'>): void {
    this.phase = event.phase;
    this.error = event.error;
    this.endedAt = this.now();
    for (const lane of this.lanes) {
      this.stopBusy(lane);
      lane.state = 'idle';
      lane.currentFile = undefined;
      lane.batchId = undefined;
    }
  }

  /** Registers the files of the run as pending before any batch starts. */
  addPending(files: readonly string[]): void {
    for (const file of files) this.put({ path: file, status: 'pending', attempts: 0 });
  }

  snapshot(): RunSnapshot {
    const now = this.endedAt ?? this.now();
    const counts = { total: this.files.size, ...this.counts };
    const wallMs = Math.max(0, now - this.startedAt);
    const finished = counts.done + counts.failed;
    const filesPerSecond = wallMs > 0 ? (finished * 1000) / wallMs : 0;
    const remaining = counts.pending + counts.running;
    const timings: RunTimings = {
      startedAt: this.startedAt,
      wallMs,
      filesPerSecond,
      serialEstimateMs: this.serialMs,
      speedup: wallMs > 0 ? this.serialMs / wallMs : 0,
      etaMs: this.phase === 'running' && filesPerSecond > 0 ? (remaining / filesPerSecond) * 1000 : undefined,
    };
    const workers = this.lanes.map((lane, slot) =>
      Object.freeze({
        slot,
        state: lane.state,
        threadId: lane.threadId,
        batchId: lane.batchId,
        currentFile: lane.currentFile,
        filesDone: lane.filesDone,
        busyMs: lane.busyMs + (lane.busySince !== undefined ? now - lane.busySince : 0),
        restarts: lane.restarts,
      }),
    );
    return Object.freeze({
      kind: this.kind,
      phase: this.phase,
      executor: this.executor,
      ...(this.executorReason ? { executorReason: this.executorReason } : {}),
      error: this.error,
      counts: Object.freeze(counts),
      cached: this.cachedCount,
      sharedCached: this.sharedCachedCount,
      workers: Object.freeze(workers),
      timings: Object.freeze(timings),
    });
  }

  /** Per-file records, sorted by path. */
  results(): readonly FileRecord<R>[] {
    return Object.freeze([...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  }

  /** The only write to `files`: keeps the per-status counts in step, so a snapshot does not walk every file. */
  private put(record: FileRecord<R>): void {
    const previous = this.files.get(record.path);
    if (previous) this.counts[previous.status]--;
    this.counts[record.status]++;
    this.files.set(record.path, record);
  }

  private setStatus(file: string, status: FileStatus): void {
    const record = this.files.get(file);
    this.put({ path: file, status, attempts: record?.attempts ?? 0 });
  }

  private lane(slot: number): MutableLane {
    const lane = this.lanes[slot];
    if (!lane) throw new Error(`Unknown worker slot ${slot}`);
    return lane;
  }

  private stopBusy(lane: MutableLane): void {
    if (lane.busySince !== undefined) {
      lane.busyMs += this.now() - lane.busySince;
      lane.busySince = undefined;
    }
  }
}
