import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RemoteLane, RemoteState } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { LightElement } from './light-element';

function lane(worker: RemoteLane): TemplateResult {
  const busy = Math.round(worker.utilisation * 100);
  const state = worker.goneAtMs !== undefined ? 'gone' : worker.busy.length > 0 ? 'busy' : 'idle';
  const doing = worker.goneAtMs !== undefined ? `stopped answering at ${formatDuration(worker.goneAtMs)}: its batches run elsewhere` : worker.busy.join(', ');
  const label = `${worker.name} on ${worker.host}: ${state}${doing ? `, ${doing}` : ''}, ${worker.slots} slot${worker.slots === 1 ? '' : 's'}, ${busy}% busy`;
  return html`<div class="lane remote ${state}" aria-label=${label}>
    <div class="lane-head"><span class="name">${worker.name}</span><span class="kind" title="a worker process serving the queue">${worker.host}</span><span class="state ${state}">${state}</span><span class="file" title=${doing}>${doing}</span><span class="done">${worker.slots} slot${worker.slots === 1 ? '' : 's'} · ${busy}% busy</span></div>
  </div>`;
}

/** The queue's workers, one lane each by host and name; those that went away during the run stay, marked. */
export class RemoteWorkersView extends LightElement {
  static override properties: PropertyDeclarations = { remote: { attribute: false } };
  declare remote: RemoteState | undefined;

  protected override render(): TemplateResult | typeof nothing {
    const remote = this.remote;
    if (!remote) return nothing;
    const live = remote.lanes.filter((l) => l.goneAtMs === undefined).length;
    return html`<h3 title=${remote.queue}>Remote workers · ${live} on ${remote.queue}</h3>${remote.lanes.map(lane)}`;
  }
}

customElements.define('pt-remote-workers', RemoteWorkersView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-remote-workers': RemoteWorkersView;
  }
}
