import { html, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { PanelState, RunKind } from '../../../src/shared/protocol';
import type { UiState } from '../state';
import './analyze-view';
import { LightElement } from './light-element';
import './lint-results-view';
import './transform-view';

/**
 * The Results tab: the view for the kind of the current (or last) run. Each
 * gets only the parts of the state it shows, so a progress tick that changes
 * none of them re-renders none of them.
 */
export class ResultsView extends LightElement {
  static override properties: PropertyDeclarations = { kind: { attribute: false }, panel: { attribute: false }, ui: { attribute: false } };
  declare kind: RunKind;
  declare panel: PanelState;
  declare ui: UiState;

  protected override render(): TemplateResult {
    const { panel, ui } = this;
    if (this.kind === 'transform') return html`<pt-transform-review .files=${panel.transform} .skipped=${panel.skipped}></pt-transform-review>`;
    if (this.kind === 'analyze') return html`<pt-analyze-table .rows=${panel.analyze.rows} .hotspots=${panel.analyze.hotspots} .skipped=${panel.skipped} .sort=${ui.sort}></pt-analyze-table>`;
    return html`<pt-lint-results .files=${panel.lint} .skipped=${panel.skipped} .ui=${ui}></pt-lint-results>`;
  }
}

customElements.define('pt-results', ResultsView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-results': ResultsView;
  }
}
