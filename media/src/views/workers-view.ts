import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { WorkerLane } from '../../../src/shared/protocol';
import { laneTimeline } from '../charts';
import { LightElement } from './light-element';

const LANE_KIND_TITLE = {
  thread: 'a worker thread in the extension host',
  process: 'a child process: a native crash costs only this worker',
  'in-process': 'the extension host itself',
  command: "runs the task's external command, one invocation at a time",
  remote: 'batches through the queue, run by workers on other machines',
} as const;

function lane(worker: WorkerLane, elapsedMs: number): TemplateResult {
  const busy = Math.round(worker.utilisation * 100);
  const restarts = worker.restarts ? ` · ${worker.restarts} restart${worker.restarts === 1 ? '' : 's'}` : '';
  const label = `Worker ${worker.slot + 1} (${worker.kind}): ${worker.state}${worker.file ? `, on ${worker.file}` : ''}, ${worker.filesDone} files, ${busy}% busy`;
  return html`<div class="lane ${worker.state}" aria-label=${label}>
    <div class="lane-head"><span class="name">Worker ${worker.slot + 1}</span><span class="kind" title=${LANE_KIND_TITLE[worker.kind]}>${worker.kind}</span><span class="state ${worker.state}">${worker.state}</span><span class="file" title=${worker.file ?? ''}>${worker.file ?? ''}</span><span class="done">${worker.filesDone} files · ${busy}% busy${restarts}</span></div>
    ${laneTimeline(worker, elapsedMs)}
  </div>`;
}

/** One lane per worker: its state, its current file, and its batches on the run's time axis. */
export class WorkersView extends LightElement {
  static override properties: PropertyDeclarations = { lanes: { attribute: false }, elapsedMs: { attribute: false } };
  declare lanes: readonly WorkerLane[];
  declare elapsedMs: number;

  constructor() {
    super();
    this.lanes = [];
    this.elapsedMs = 0;
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.lanes.length === 0) return nothing;
    return html`<h3>Workers</h3>${this.lanes.map((worker) => lane(worker, this.elapsedMs))}`;
  }
}

customElements.define('pt-workers', WorkersView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-workers': WorkersView;
  }
}
