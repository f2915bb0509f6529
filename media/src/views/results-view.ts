import { html, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { PanelState, ResultView } from '../../../src/shared/protocol';
import type { UiState } from '../state';
import './analyze-view';
import { LightElement } from './light-element';
import './lint-results-view';
import './transform-view';

/**
 * The Results tab: the result view (problems, edits or report) of the current
 * (or last) run's kind. Each
 * gets only the parts of the state it shows, so a progress tick that changes
 * none of them re-renders none of them.
 */
export class ResultsView extends LightElement {
  static override properties: PropertyDeclarations = { view: { attribute: false }, panel: { attribute: false }, ui: { attribute: false } };
  declare view: ResultView;
  declare panel: PanelState;
  declare ui: UiState;

  protected override render(): TemplateResult {
    const { panel, ui } = this;
    const view = this.view;
    switch (view) {
      case 'edits':
        return html`<pt-transform-review .files=${panel.transform} .skipped=${panel.skipped}></pt-transform-review>`;
      case 'report':
        return html`<pt-analyze-table .rows=${panel.analyze.rows} .hotspots=${panel.analyze.hotspots} .skipped=${panel.skipped} .sort=${ui.sort}></pt-analyze-table>`;
      case 'problems':
        return html`<pt-lint-results .files=${panel.lint} .skipped=${panel.skipped} .ui=${ui}></pt-lint-results>`;
      default: {
        // A new result view fails to compile here until it has a view of its own.
        const unhandled: never = view;
        return unhandled;
      }
    }
  }
}

customElements.define('pt-results', ResultsView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-results': ResultsView;
  }
}
