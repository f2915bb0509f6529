import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { HistoryEntry } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { fixedProblemsLabel, newProblemsLabel, phaseLabel } from '../labels';
import { LightElement } from './light-element';

function found(e: HistoryEntry): TemplateResult | typeof nothing {
  if (e.problems === undefined) return nothing;
  // Compared with the previous run of the same kind and scope (folders, paths, options), even one before a restart.
  const added = e.newProblems === undefined ? nothing : html`<span class="new"> · ${newProblemsLabel(e.newProblems)}</span>`;
  const fixed = e.fixedProblems === undefined ? nothing : html`<span class="fixed"> · ${fixedProblemsLabel(e.fixedProblems)}</span>`;
  return html`<div class="found">${l10n.t('{0} problems', e.problems)}${added}${fixed}</div>`;
}

/** When the run ended: the time today, else the date too; the full moment in the tooltip. */
function when(e: HistoryEntry): TemplateResult | typeof nothing {
  if (e.finishedAt === undefined) return nothing;
  const at = new Date(e.finishedAt);
  const today = at.toDateString() === new Date().toDateString();
  const shown = today ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const title = e.folders ? l10n.t({ message: '{0} on {1}', args: [at.toLocaleString(), e.folders], comment: ['{0} is when a run finished, {1} the workspace folders it ran on'] }) : at.toLocaleString();
  return html`<span class="when" title=${title}> · ${shown}</span>`;
}

/** Finished runs, newest first (kept across reloads and restarts); a lint run says how many problems are new or fixed since the one before. */
export class HistoryView extends LightElement {
  static override properties: PropertyDeclarations = { entries: { attribute: false } };
  declare entries: readonly HistoryEntry[];

  constructor() {
    super();
    this.entries = [];
  }

  protected override render(): TemplateResult {
    if (this.entries.length === 0) return html`<p class="note">${l10n.t('Finished runs appear here.')}</p>`;
    // A list rather than a wide table: the sidebar is narrow.
    return html`<ul class="history" aria-label=${l10n.t('Recent runs')}>${this.entries.map(
      (e) => html`<li><div class="what"><span class="label">${e.label}</span> · ${phaseLabel(e.phase)} · ${l10n.t('{0} files', e.files)} · ${formatDuration(e.durationMs)}${when(e)}</div>${found(e)}</li>`,
    )}</ul>`;
  }
}

customElements.define('pt-history', HistoryView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-history': HistoryView;
  }
}
