import { html, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { LintFile, SkippedEntry } from '../../../src/shared/protocol';
import { openFile, store } from '../host';
import { lintRows, type LintRow, type UiState } from '../state';
import { button, onActivateKey } from './controls';
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
  return html`<div class="row group" tabindex="0" role="listitem" data-index=${index} aria-expanded=${String(!row.collapsed)} aria-label="${row.label}: ${row.errors} errors, ${row.warnings} warnings" @click=${toggle} @keydown=${onActivateKey(toggle, ['Enter', ' '])}>
    <span class="codicon codicon-chevron-${row.collapsed ? 'right' : 'down'}"></span><span class="label">${row.label}</span><vscode-badge variant="counter">${row.errors + row.warnings}</vscode-badge>
  </div>`;
}

function problemRow(row: Extract<LintRow, { kind: 'problem' }>, index: number, groupBy: UiState['groupBy']): TemplateResult {
  const where = groupBy === 'rule' ? `${row.rel}:${row.line}:${row.column}` : `${row.line}:${row.column}`;
  const severity = row.severity === 2 ? 'Error' : 'Warning';
  const open = (): void => openFile(row.path, row.line, row.column);
  return html`<div class="row problem" tabindex="0" role="listitem" data-index=${index} title="${row.message} (${row.ruleId ?? 'no rule'})" aria-label="${severity} at ${row.rel} line ${row.line}: ${row.message}" @click=${open} @keydown=${onActivateKey(open)}>
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
        <vscode-textfield placeholder="Filter problems" title="Filter by file, rule or message" aria-label="Filter problems by file, rule or message" .value=${ui.filter} @input=${this.onFilter}></vscode-textfield>${button('File', 'file', () => store.setUi({ groupBy: 'file', collapsed: [] }), { secondary: ui.groupBy !== 'file', name: 'Group problems by file' })}${button('Rule', 'symbol-ruler', () => store.setUi({ groupBy: 'rule', collapsed: [] }), { secondary: ui.groupBy !== 'rule', name: 'Group problems by rule' })}
      </div>
      <div class="results-summary">${problems} problems in ${this.files.length} files${ui.filter ? ` · ${shown} match` : ''}</div>
      <div class="extra"><pt-skipped .entries=${this.skipped}></pt-skipped></div>
      <pt-virtual-list aria-label="Results" .items=${rows} .renderRow=${this.renderRow}></pt-virtual-list>`;
  }
}

customElements.define('pt-lint-results', LintResultsView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-lint-results': LintResultsView;
  }
}
