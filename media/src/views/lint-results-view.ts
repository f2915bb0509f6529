import * as l10n from '@vscode/l10n';
import { html, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { LintFile, SkippedEntry } from '../../../src/shared/protocol';
import { openFile, store } from '../host';
import { lintRows, type LintRow, type UiState } from '../state';
import { button, onActivateKey, resultsLabel } from './controls';
import { LightElement } from './light-element';
import './skipped-view';
import './virtual-list';

function toggleGroup(key: string): void {
  const collapsed = new Set(store.ui.collapsed);
  if (collapsed.has(key)) collapsed.delete(key);
  else collapsed.add(key);
  store.setUi({ collapsed: [...collapsed] });
}

function groupRow(row: Extract<LintRow, { kind: 'group' }>, index: number): TemplateResult {
  const toggle = (): void => toggleGroup(row.key);
  return html`<div class="row group" tabindex="0" role="listitem" data-index=${index} aria-expanded=${String(!row.collapsed)} aria-label=${l10n.t('{0}: {1} errors, {2} warnings', row.label, row.errors, row.warnings)} @click=${toggle} @keydown=${onActivateKey(toggle, ['Enter', ' '])}>
    <span class="codicon codicon-chevron-${row.collapsed ? 'right' : 'down'}"></span><span class="label">${row.label}</span><vscode-badge variant="counter">${row.errors + row.warnings}</vscode-badge>
  </div>`;
}

function problemRow(row: Extract<LintRow, { kind: 'problem' }>, index: number, groupBy: UiState['groupBy']): TemplateResult {
  const where = groupBy === 'rule' ? `${row.rel}:${row.line}:${row.column}` : `${row.line}:${row.column}`;
  const name = row.severity === 2 ? l10n.t('Error at {0} line {1}: {2}', row.rel, row.line, row.message) : l10n.t('Warning at {0} line {1}: {2}', row.rel, row.line, row.message);
  const title = row.ruleId === null ? l10n.t({ message: '{0} (no rule)', args: [row.message], comment: ["{0} is a problem's message; it came with no rule ID"] }) : `${row.message} (${row.ruleId})`;
  const open = (): void => openFile(row.path, row.line, row.column);
  return html`<div class="row problem" tabindex="0" role="listitem" data-index=${index} title=${title} aria-label=${name} @click=${open} @keydown=${onActivateKey(open)}>
    <span class="codicon codicon-${row.severity === 2 ? 'error' : 'warning'}"></span><span class="message">${row.message}</span><span class="rule">${row.ruleId ?? ''}</span><span class="where">${where}</span>
  </div>`;
}

/** Lint (and custom task) problems: a filter, grouping by file or rule, and a virtual list of groups and problems. */
export class LintResultsView extends LightElement {
  static override properties: PropertyDeclarations = { files: { attribute: false }, skipped: { attribute: false }, ui: { attribute: false } };
  declare files: readonly LintFile[];
  declare skipped: readonly SkippedEntry[];
  declare ui: UiState;
  private rows: LintRow[] = [];

  constructor() {
    super();
    this.files = [];
    this.skipped = [];
    this.ui = store.ui;
  }

  private readonly renderRow = (row: LintRow, index: number): TemplateResult => (row.kind === 'group' ? groupRow(row, index) : problemRow(row, index, this.ui.groupBy));

  private readonly onFilter = (event: Event): void => store.setUi({ filter: (event.currentTarget as HTMLElement & { value: string }).value });

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Grouping 50,000 problems is the costly part: done again only when the problems or the view settings change.
    if (changed.has('files') || changed.has('ui')) this.rows = lintRows({ lint: this.files }, this.ui);
  }

  protected override render(): TemplateResult {
    const { ui, rows } = this;
    const problems = this.files.reduce((n, f) => n + f.problems.length, 0);
    const shown = rows.filter((r) => r.kind === 'problem').length;
    return html`<div class="toolbar">
        <vscode-textfield placeholder=${l10n.t('Filter problems')} title=${l10n.t('Filter by file, rule or message')} aria-label=${l10n.t('Filter problems by file, rule or message')} .value=${ui.filter} @input=${this.onFilter}></vscode-textfield>${button(l10n.t({ message: 'File', comment: ['a button: group the problems by file'] }), 'file', () => store.setUi({ groupBy: 'file', collapsed: [] }), { secondary: ui.groupBy !== 'file', name: l10n.t('Group problems by file') })}${button(l10n.t({ message: 'Rule', comment: ['a button: group the problems by rule'] }), 'symbol-ruler', () => store.setUi({ groupBy: 'rule', collapsed: [] }), { secondary: ui.groupBy !== 'rule', name: l10n.t('Group problems by rule') })}
      </div>
      <div class="results-summary">${l10n.t('{0} problems in {1} files', problems, this.files.length)}${ui.filter ? ` · ${l10n.t({ message: '{0} match', args: [shown], comment: ['problems that match the filter'] })}` : ''}</div>
      <div class="extra"><pt-skipped .entries=${this.skipped}></pt-skipped></div>
      <pt-virtual-list aria-label=${resultsLabel()} .items=${rows} .renderRow=${this.renderRow}></pt-virtual-list>`;
  }
}

customElements.define('pt-lint-results', LintResultsView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-lint-results': LintResultsView;
  }
}
