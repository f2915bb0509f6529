import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { RunHeader } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { fixedProblemsLabel, newProblemsLabel, phaseLabel } from '../labels';
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
  const title = l10n.t({
    message: "Speedup over one worker: the files' own processing times added up ({0}, what one worker would have needed, without the pool's overhead) divided by the elapsed time ({1}) on {2} workers.",
    args: [formatDuration(run.serialEstimateMs), formatDuration(run.elapsedMs), run.workers],
    comment: ['{0} and {1} are durations; {2} is the number of workers, always 2 or more (one worker shows no speedup)'],
  });
  return html`<span class="speedup" title=${title}>${l10n.t({ message: 'speedup {0}×', args: [run.speedup.toFixed(2)], comment: ['how many times faster than one worker'] })}</span>`;
}

function stats(run: RunHeader, finished: number): TemplateResult {
  const running = run.phase === 'running';
  return html`<div class="stats">
    <span class="files" title=${l10n.t('files finished / total')}>${l10n.t('{0} / {1} files', finished, run.total)}</span>
    <span class="rate">${l10n.t({ message: '{0} files/s', args: [run.filesPerSecond.toFixed(1)], comment: ['files processed per second'] })}</span>
    <span class="elapsed">${l10n.t({ message: 'elapsed {0}', args: [formatDuration(run.elapsedMs)], comment: ['{0} is how long the run has taken'] })}</span>
    ${running ? html`<span class="eta">${l10n.t({ message: 'ETA {0}', args: [formatDuration(run.etaMs)], comment: ['the estimated time left'] })}</span>` : nothing}
    ${run.cached > 0 ? html`<span class="cached" title=${l10n.t('unchanged since the last run: not processed again')}>${l10n.t('{0} from cache', run.cached)}</span>` : nothing}
    ${speedup(run)}
    ${run.compared
      ? html`<span class="compared" title=${l10n.t('compared with the previous run of the same kind, folders, paths and options')}><span class="new">${newProblemsLabel(run.compared.newProblems)}</span> · <span class="fixed">${fixedProblemsLabel(run.compared.fixedProblems)}</span></span>`
      : nothing}
  </div>`;
}

function actions(run: RunHeader): TemplateResult {
  const running = run.phase === 'running';
  return html`<div class="actions">
    ${running
      ? button(l10n.t({ message: 'Cancel', comment: ['the button that cancels the run'] }), 'debug-stop', () => command('cancel'))
      : html`${run.failed > 0 ? button(l10n.t('Retry Failed'), 'refresh', () => command('retryFailed')) : nothing}${button(l10n.t('Run Again'), 'debug-rerun', () => command('runAgain'), { secondary: true })}`}
    ${button('', 'link-external', () => command('openInEditor'), { secondary: true, name: l10n.t('Open in Editor') })}
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
    return html`<h2><span class="codicon codicon-${icon}"></span> ${run.label} — ${phaseLabel(run.phase)}</h2>
      <vscode-progress-bar aria-label=${l10n.t('{0} of {1} files', finished, run.total)} value=${finished} max=${Math.max(1, run.total)}></vscode-progress-bar>
      ${stats(run, finished)}${run.error ? html`<p class="error">${run.error}</p>` : nothing}${actions(run)}`;
  }
}

customElements.define('pt-summary', SummaryView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-summary': SummaryView;
  }
}
