import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RemoteLane, RemoteState } from '../../../src/shared/protocol';
import { remoteTimeline } from '../charts';
import { formatDuration } from '../format';
import { LightElement } from './light-element';

function lane(worker: RemoteLane, elapsedMs: number): TemplateResult {
  const busy = Math.round(worker.utilisation * 100);
  const state = worker.goneAtMs !== undefined ? 'gone' : worker.busy.length > 0 ? 'busy' : 'idle';
  const stalls = worker.stalledAtMs.length;
  // Short in the lane (it is narrow); the whole sentence in its tooltip and for screen readers.
  const gone = worker.goneAtMs !== undefined ? `stopped answering at ${formatDuration(worker.goneAtMs)}: its batches run elsewhere` : undefined;
  const stalled = stalls > 0 ? `${stalls} batch${stalls === 1 ? '' : 'es'} stalled and put back` : undefined;
  const doing = [gone ?? worker.busy.join(', '), stalled].filter(Boolean).join('; ');
  const short = [worker.goneAtMs !== undefined ? `went at ${formatDuration(worker.goneAtMs)}` : worker.busy.join(', '), stalls > 0 ? `${stalls} stalled` : ''].filter(Boolean).join(' · ');
  const label = `${worker.name} on ${worker.host}: ${state}${doing ? `, ${doing}` : ''}, ${worker.slots} slot${worker.slots === 1 ? '' : 's'}, ${busy}% busy`;
  return html`<div class="lane remote ${state}" aria-label=${label}>
    <div class="lane-head"><span class="name">${worker.name}</span><span class="kind" title="a worker process serving the queue">${worker.host}</span><span class="state ${state}">${state}</span><span class="file" title=${doing}>${short}</span>${worker.goneAtMs === undefined ? html`<span class="done">${worker.slots} slot${worker.slots === 1 ? '' : 's'} · ${busy}% busy</span>` : nothing}</div>
    ${remoteTimeline(worker, elapsedMs)}
  </div>`;
}

/** The queue's workers, one lane each by host and name; those that went away during the run stay, marked. */
export class RemoteWorkersView extends LightElement {
  static override properties: PropertyDeclarations = { remote: { attribute: false }, elapsedMs: { attribute: false } };
  declare remote: RemoteState | undefined;
  declare elapsedMs: number;

  constructor() {
    super();
    this.elapsedMs = 0;
  }

  protected override render(): TemplateResult | typeof nothing {
    const remote = this.remote;
    if (!remote) return nothing;
    const live = remote.lanes.filter((l) => l.goneAtMs === undefined).length;
    const waiting = remote.waiting === undefined ? '' : ` · ${remote.waiting} batch${remote.waiting === 1 ? '' : 'es'} waiting`;
    return html`<h3 title=${remote.queue}>Remote workers · ${live} on ${remote.queue}${waiting}</h3>${remote.lanes.map((l) => lane(l, this.elapsedMs))}`;
  }
}

customElements.define('pt-remote-workers', RemoteWorkersView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-remote-workers': RemoteWorkersView;
  }
}
