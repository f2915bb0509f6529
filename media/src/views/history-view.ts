import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { HistoryEntry } from '../../../src/shared/protocol';
import { formatDuration } from '../format';
import { LightElement } from './light-element';

function found(e: HistoryEntry): TemplateResult | typeof nothing {
  if (e.problems === undefined) return nothing;
  const added = e.newProblems === undefined ? nothing : html`<span class="new"> · +${e.newProblems} new</span>`;
  const fixed = e.fixedProblems === undefined ? nothing : html`<span class="fixed"> · −${e.fixedProblems} fixed</span>`;
  return html`<div class="found">${e.problems} problems${added}${fixed}</div>`;
}

/** Finished runs, newest first; a lint run says how many problems are new or fixed since the one before. */
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
      (e) => html`<li><div class="what"><span class="label">${e.label}</span> · ${e.phase} · ${e.files} files · ${formatDuration(e.durationMs)}</div>${found(e)}</li>`,
    )}</ul>`;
  }
}

customElements.define('pt-history', HistoryView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-history': HistoryView;
  }
}
