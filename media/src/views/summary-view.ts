import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RunHeader } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { command } from '../host';
import { button } from './controls';
import { LightElement } from './light-element';

/**
 * Only where the host found it meaningful (several workers, enough work): a
 * one-worker run's "0.75×" measures the pool's overhead and reads as a fault.
 * The tooltip says what it is measured against.
 */
function speedup(run: RunHeader): TemplateResult | typeof nothing {
  if (run.speedup === undefined) return nothing;
  const title = `Speedup over one worker: the files' own processing times added up (${formatDuration(run.serialEstimateMs)}, what one worker would have needed, without the pool's overhead) divided by the elapsed time (${formatDuration(run.elapsedMs)}) on ${run.workers} workers.`;
  return html`<span class="speedup" title=${title}>speedup ${run.speedup.toFixed(2)}×</span>`;
}

function stats(run: RunHeader, finished: number): TemplateResult {
  const running = run.phase === 'running';
  return html`<div class="stats">
    <span class="files" title="files finished / total">${finished} / ${run.total} files</span>
    <span class="rate">${run.filesPerSecond.toFixed(1)} files/s</span>
    <span class="elapsed">elapsed ${formatDuration(run.elapsedMs)}</span>
    ${running ? html`<span class="eta">ETA ${formatDuration(run.etaMs)}</span>` : nothing}
    ${run.cached > 0 ? html`<span class="cached" title="unchanged since the last run: not processed again">${run.cached} from cache</span>` : nothing}
    ${speedup(run)}
    ${run.compared
      ? html`<span class="compared" title="compared with the previous run of the same kind, folders, paths and options"><span class="new">+${run.compared.newProblems} new</span> · <span class="fixed">−${run.compared.fixedProblems} fixed</span></span>`
      : nothing}
  </div>`;
}

function actions(run: RunHeader): TemplateResult {
  const running = run.phase === 'running';
  return html`<div class="actions">
    ${running
      ? button('Cancel', 'debug-stop', () => command('cancel'))
      : html`${run.failed > 0 ? button('Retry Failed', 'refresh', () => command('retryFailed')) : nothing}${button('Run Again', 'debug-rerun', () => command('runAgain'), { secondary: true })}`}
    ${button('', 'link-external', () => command('openInEditor'), { secondary: true, name: 'Open in Editor' })}
  </div>`;
}

/** The run's header: what runs, how far it got, how fast, and what can be done about it. */
export class SummaryView extends LightElement {
  static override properties: PropertyDeclarations = { run: { attribute: false } };
  declare run: RunHeader | undefined;

  protected override render(): TemplateResult | typeof nothing {
    const run = this.run;
    if (!run) return nothing;
    const running = run.phase === 'running';
    const finished = run.done + run.failed + run.skipped + run.cancelled;
    const icon = running ? 'sync codicon-modifier-spin' : run.phase === 'completed' ? 'pass' : 'warning';
    return html`<h2><span class="codicon codicon-${icon}"></span> ${run.label} — ${run.phase}</h2>
      <vscode-progress-bar aria-label="${finished} of ${run.total} files" value=${finished} max=${Math.max(1, run.total)}></vscode-progress-bar>
      ${stats(run, finished)}${run.error ? html`<p class="error">${run.error}</p>` : nothing}${actions(run)}`;
  }
}

customElements.define('pt-summary', SummaryView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-summary': SummaryView;
  }
}
