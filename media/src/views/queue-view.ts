import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RunHeader, Sample } from '../../../src/shared/protocol';
import { queueChart } from '../charts';
import { fileStateLabel, type FileState } from '../labels';
import { LightElement } from './light-element';

/** The queue: a count per file state, and queue depth and throughput over the run. */
export class QueueView extends LightElement {
  static override properties: PropertyDeclarations = { run: { attribute: false }, series: { attribute: false } };
  declare run: RunHeader | undefined;
  declare series: readonly Sample[];

  constructor() {
    super();
    this.series = [];
  }

  protected override render(): TemplateResult | typeof nothing {
    const run = this.run;
    if (!run) return nothing;
    // The state names the count's class; its label is what is shown.
    const counts: [FileState, number][] = [['pending', run.pending], ['running', run.running], ['done', run.done], ['failed', run.failed], ['skipped', run.skipped], ['cancelled', run.cancelled]];
    const count = ([state, n]: [FileState, number]): TemplateResult => {
      const label = fileStateLabel(state);
      return html`<div class="count ${state}" aria-label=${l10n.t({ message: '{0}: {1}', args: [label, n], comment: ['{0} is a state of files (pending, done…), {1} how many are in it'] })}><span class="n">${n}</span><span class="l">${label}</span></div>`;
    };
    const legend = html`<div class="legend"><span class="key queued">${l10n.t({ message: 'queued', comment: ["the chart's area: files waiting in the queue"] })}</span><span class="key rate">${l10n.t({ message: 'files/s', comment: ["the chart's line: files processed per second"] })}</span></div>`;
    return html`<div class="counts">${counts.map(count)}</div>${queueChart(this.series)}${legend}`;
  }
}

customElements.define('pt-queue', QueueView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-queue': QueueView;
  }
}
