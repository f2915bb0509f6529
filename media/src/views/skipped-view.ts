import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { SkippedEntry } from '../../../src/shared/protocol';
import { openFile } from '../host';
import { LightElement } from './light-element';

/** How many skipped files are listed by name; the rest are counted (the log has them all). */
const SKIPPED_LISTED = 200;

/** The files the run did not process, with the reason, for every kind: a run says what it did not do. */
export class SkippedView extends LightElement {
  static override properties: PropertyDeclarations = { entries: { attribute: false } };
  declare entries: readonly SkippedEntry[];

  constructor() {
    super();
    this.entries = [];
  }

  protected override render(): TemplateResult | typeof nothing {
    const all = this.entries;
    if (all.length === 0) return nothing;
    const listed = all.slice(0, SKIPPED_LISTED);
    const more = all.length - listed.length;
    return html`<details class="skipped">
      <summary>${all.length === 1 ? l10n.t('1 file skipped') : l10n.t('{0} files skipped', all.length)}</summary>
      <ul aria-label=${l10n.t('Skipped files and why')}>${listed.map((entry) => html`<li><button class="link" title=${entry.path} @click=${() => openFile(entry.path)}>${entry.rel}</button><span class="reason"> — ${entry.reason}</span></li>`)}</ul>
      ${more > 0 ? html`<p class="note">${l10n.t('and {0} more (Parallel Tasks: Show Log lists them all)', more)}</p>` : nothing}
    </details>`;
  }
}

customElements.define('pt-skipped', SkippedView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-skipped': SkippedView;
  }
}
