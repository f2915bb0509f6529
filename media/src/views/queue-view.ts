import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RunHeader, Sample } from '../../../src/shared/protocol';
import { queueChart } from '../charts';
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
    const counts: [string, number][] = [['pending', run.pending], ['running', run.running], ['done', run.done], ['failed', run.failed], ['skipped', run.skipped], ['cancelled', run.cancelled]];
    return html`<div class="counts">${counts.map(([label, n]) => html`<div class="count ${label}" aria-label="${label}: ${n}"><span class="n">${n}</span><span class="l">${label}</span></div>`)}</div>${queueChart(this.series)}<div class="legend"><span class="key queued">queued</span><span class="key rate">files/s</span></div>`;
  }
}

customElements.define('pt-queue', QueueView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-queue': QueueView;
  }
}
