import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RemoteLane, RemoteState } from '../../../src/shared/protocol';
import { remoteLaneLabel, remoteTimeline } from '../charts';
import { formatDuration } from '../format';
import { workerStateLabel } from '../labels';
import { LightElement } from './light-element';

function lane(worker: RemoteLane, elapsedMs: number): TemplateResult {
  const busy = Math.round(worker.utilisation * 100);
  const state = worker.goneAtMs !== undefined ? 'gone' : worker.busy.length > 0 ? 'busy' : 'idle';
  const stalls = worker.stalledAtMs.length;
  // Short in the lane (it is narrow); the whole sentence in its tooltip and for screen readers.
  const gone = worker.goneAtMs !== undefined ? l10n.t('stopped answering at {0}: its batches run elsewhere', formatDuration(worker.goneAtMs)) : undefined;
  const stalled = stalls === 0 ? undefined : stalls === 1 ? l10n.t('1 batch stalled and put back') : l10n.t('{0} batches stalled and put back', stalls);
  const doing = [gone ?? worker.busy.join(', '), stalled].filter(Boolean).join('; ');
  const short = [worker.goneAtMs !== undefined ? l10n.t('went at {0}', formatDuration(worker.goneAtMs)) : worker.busy.join(', '), stalls > 0 ? l10n.t({ message: '{0} stalled', args: [stalls], comment: ['batches that stalled and were put back'] }) : ''].filter(Boolean).join(' · ');
  const slots = worker.slots === 1 ? l10n.t('1 slot') : l10n.t('{0} slots', worker.slots);
  const busyLabel = l10n.t('{0}% busy', busy);
  const label = remoteLaneLabel(worker.name, worker.host, [workerStateLabel(state), doing, slots, busyLabel]);
  return html`<div class="lane remote ${state}" aria-label=${label}>
    <div class="lane-head"><span class="name">${worker.name}</span><span class="kind" title=${l10n.t('a worker process serving the queue')}>${worker.host}</span><span class="state ${state}">${workerStateLabel(state)}</span><span class="file" title=${doing}>${short}</span>${worker.goneAtMs === undefined ? html`<span class="done">${slots} · ${busyLabel}</span>` : nothing}</div>
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
    const waiting = remote.waiting === undefined ? '' : ` · ${remote.waiting === 1 ? l10n.t('1 batch waiting') : l10n.t('{0} batches waiting', remote.waiting)}`;
    const heading = l10n.t({ message: 'Remote workers · {0} on {1}', args: [live, remote.queue], comment: ['{0} is how many workers are answering, {1} the queue they serve'] });
    return html`<h3 title=${remote.queue}>${heading}${waiting}</h3>${remote.lanes.map((l) => lane(l, this.elapsedMs))}`;
  }
}

customElements.define('pt-remote-workers', RemoteWorkersView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-remote-workers': RemoteWorkersView;
  }
}
