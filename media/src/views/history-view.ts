import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { HistoryEntry } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { LightElement } from './light-element';

function found(e: HistoryEntry): TemplateResult | typeof nothing {
  if (e.problems === undefined) return nothing;
  // Compared with the previous run of the same kind and scope (folders, paths, options), even one before a restart.
  const added = e.newProblems === undefined ? nothing : html`<span class="new"> · +${e.newProblems} new</span>`;
  const fixed = e.fixedProblems === undefined ? nothing : html`<span class="fixed"> · −${e.fixedProblems} fixed</span>`;
  return html`<div class="found">${e.problems} problems${added}${fixed}</div>`;
}

/** When the run ended: the time today, else the date too; the full moment in the tooltip. */
function when(e: HistoryEntry): TemplateResult | typeof nothing {
  if (e.finishedAt === undefined) return nothing;
  const at = new Date(e.finishedAt);
  const today = at.toDateString() === new Date().toDateString();
  const shown = today ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return html`<span class="when" title="${at.toLocaleString()}${e.folders ? ` on ${e.folders}` : ''}"> · ${shown}</span>`;
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
    if (this.entries.length === 0) return html`<p class="note">Finished runs appear here.</p>`;
    // A list rather than a wide table: the sidebar is narrow.
    return html`<ul class="history" aria-label="Recent runs">${this.entries.map(
      (e) => html`<li><div class="what"><span class="label">${e.label}</span> · ${e.phase} · ${e.files} files · ${formatDuration(e.durationMs)}${when(e)}</div>${found(e)}</li>`,
    )}</ul>`;
  }
}

customElements.define('pt-history', HistoryView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-history': HistoryView;
  }
}
