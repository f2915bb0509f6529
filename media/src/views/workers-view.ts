import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { WorkerLane } from '../../../src/shared/protocol';
import { laneTimeline } from '../charts';
import { workerKindLabel, workerKindTitle, workerStateLabel } from '../labels';
import { LightElement } from './light-element';

function lane(worker: WorkerLane, elapsedMs: number): TemplateResult {
  const busy = Math.round(worker.utilisation * 100);
  const restarts = !worker.restarts ? '' : ` · ${worker.restarts === 1 ? l10n.t('1 restart') : l10n.t('{0} restarts', worker.restarts)}`;
  const [number, kind, state] = [worker.slot + 1, workerKindLabel(worker.kind), workerStateLabel(worker.state)];
  const label = worker.file
    ? l10n.t({ message: 'Worker {0} ({1}): {2}, on {3}, {4} files, {5}% busy', args: [number, kind, state, worker.file, worker.filesDone, busy], comment: ['{1} is the kind of worker, {2} its state, {3} the file it is on'] })
    : l10n.t({ message: 'Worker {0} ({1}): {2}, {3} files, {4}% busy', args: [number, kind, state, worker.filesDone, busy], comment: ['{1} is the kind of worker, {2} its state'] });
  return html`<div class="lane ${worker.state}" aria-label=${label}>
    <div class="lane-head"><span class="name">${l10n.t('Worker {0}', number)}</span><span class="kind" title=${workerKindTitle(worker.kind)}>${kind}</span><span class="state ${worker.state}">${state}</span><span class="file" title=${worker.file ?? ''}>${worker.file ?? ''}</span><span class="done">${l10n.t('{0} files · {1}% busy', worker.filesDone, busy)}${restarts}</span></div>
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
    return html`<h3>${l10n.t('Workers')}</h3>${this.lanes.map((worker) => lane(worker, this.elapsedMs))}`;
  }
}

customElements.define('pt-workers', WorkersView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-workers': WorkersView;
  }
}
