import type { QueueStatus } from '../../queue/queue-executor';
import type { RemoteLane, RemoteState } from '../../shared/protocol';

/**
 * The workers of the queue a run goes through, as the panel shows them: one
 * lane per worker process, named by host and worker name, with what it runs.
 * A worker that stops answering during the run (stopped, killed, its network
 * cut) keeps its lane, marked gone at the time it went: its batches run
 * elsewhere, and the user sees where the time went.
 */
export class RemoteLanes {
  private queue: string | undefined;
  private lanes = new Map<string, RemoteLane>();
  changed = false;

  reset(): void {
    this.queue = undefined;
    this.lanes = new Map();
    this.changed = true;
  }

  update(status: QueueStatus, elapsedMs: number): void {
    this.queue = status.queue;
    const seen = new Set<string>();
    for (const presence of status.workers) {
      const { host, name, pid } = presence.worker;
      const id = `${host}:${name}:${pid}`;
      seen.add(id);
      this.lanes.set(id, { id, host, name, slots: presence.concurrency, utilisation: presence.utilisation, busy: presence.busy });
    }
    for (const [id, lane] of this.lanes) {
      if (!seen.has(id) && !lane.goneAtMs) this.lanes.set(id, { ...lane, busy: [], utilisation: 0, goneAtMs: elapsedMs });
    }
    this.changed = true;
  }

  state(): RemoteState | undefined {
    return this.queue ? { queue: this.queue, lanes: [...this.lanes.values()] } : undefined;
  }
}
