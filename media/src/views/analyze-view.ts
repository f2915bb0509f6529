import * as l10n from '@vscode/l10n';
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { AnalyzeRow, Hotspot, SkippedEntry } from '../../../src/shared/protocol';
import { histogram } from '../charts';
import { openFile, store } from '../host';
import { complexityBuckets, sortedAnalyzeRows, type SortKey, type UiState } from '../state';
import { onActivateKey, resultsLabel } from './controls';
import { LightElement } from './light-element';
import './skipped-view';
import './virtual-list';

type TableRow = { kind: 'head' } | { kind: 'file'; row: AnalyzeRow };

interface Column {
  readonly key: SortKey;
  /** The heading, short to fit a narrow sidebar. */
  readonly short: string;
  /** The full name, in the tooltip. */
  readonly label: string;
  /** The accessible name of the heading's button. */
  readonly sortBy: string;
}

/** The table's columns; a function, so that their names are translated once messages.ts configured l10n. */
function columns(): readonly Column[] {
  const file = l10n.t({ message: 'File', comment: ['the heading of the column of file names'] });
  const lines = l10n.t({ message: 'Lines', comment: ['the heading of the column of line counts'] });
  return [
    { key: 'rel', short: file, label: file, sortBy: l10n.t('Sort by File') },
    { key: 'lines', short: lines, label: lines, sortBy: l10n.t('Sort by Lines') },
    { key: 'functions', short: l10n.t({ message: 'Fns', comment: ['short for Functions: the heading of a narrow column'] }), label: l10n.t('Functions'), sortBy: l10n.t('Sort by Functions') },
    { key: 'maxComplexity', short: l10n.t({ message: 'Cx', comment: ['short for Max complexity: the heading of a narrow column'] }), label: l10n.t('Max complexity'), sortBy: l10n.t('Sort by Max complexity') },
    { key: 'maxNesting', short: l10n.t({ message: 'Nest', comment: ['short for Nesting: the heading of a narrow column'] }), label: l10n.t('Nesting'), sortBy: l10n.t('Sort by Nesting') },
    { key: 'todos', short: l10n.t({ message: 'TODO', comment: ['short for TODOs (TODO comments): the heading of a narrow column'] }), label: l10n.t('TODOs'), sortBy: l10n.t('Sort by TODOs') },
  ];
}

function headRow(sort: UiState['sort']): TemplateResult {
  return html`<div class="row analyze head" role="listitem">${columns().map(({ key, short, label, sortBy }) => {
    const active = sort.key === key;
    const arrow = active ? (sort.descending ? '↓' : '↑') : '';
    // A new column sorts largest first (names A–Z); the active one flips.
    const choose = (): void => store.setUi({ sort: { key, descending: active ? !sort.descending : key !== 'rel' } });
    return html`<button class="sort ${key}" title=${label} aria-label=${sortBy} aria-sort=${active ? (sort.descending ? 'descending' : 'ascending') : 'none'} @click=${choose}>${short}${arrow}</button>`;
  })}</div>`;
}

function fileRow(r: AnalyzeRow, index: number): TemplateResult {
  const open = (): void => openFile(r.path);
  return html`<div class="row analyze" tabindex="0" role="listitem" data-index=${index} aria-label=${l10n.t('{0}: {1} lines, {2} functions, max complexity {3}', r.rel, r.lines, r.functions, r.maxComplexity)} @click=${open} @keydown=${onActivateKey(open)}>
    <span class="rel">${r.rel}</span><span class="num">${r.lines}</span><span class="num">${r.functions}</span><span class="num">${r.maxComplexity}</span><span class="num">${r.maxNesting}</span><span class="num">${r.todos}</span>
  </div>`;
}

function hotspotList(hotspots: readonly Hotspot[]): TemplateResult {
  return html`<ol class="hotspots" aria-label=${l10n.t('Hotspots: the most complex functions')}>${hotspots.slice(0, 5).map(
    (spot) =>
      html`<li title="${spot.name} — ${spot.rel}:${spot.line}"><button class="link" aria-label=${l10n.t('{0} in {1}, complexity {2}', spot.name, spot.rel, spot.complexity)} @click=${() => openFile(spot.path, spot.line, spot.column)}><span class="num">${spot.complexity}</span> ${spot.name} <span class="where">${spot.rel}:${spot.line}</span></button></li>`,
  )}</ol>`;
}

/** Analyze results: totals, the hotspots and a complexity histogram, and a sortable table of files. */
export class AnalyzeView extends LightElement {
  static override properties: PropertyDeclarations = { rows: { attribute: false }, hotspots: { attribute: false }, skipped: { attribute: false }, sort: { attribute: false } };
  declare rows: readonly AnalyzeRow[];
  declare hotspots: readonly Hotspot[];
  declare skipped: readonly SkippedEntry[];
  declare sort: UiState['sort'];
  private table: TableRow[] = [];

  constructor() {
    super();
    this.rows = [];
    this.hotspots = [];
    this.skipped = [];
    this.sort = store.ui.sort;
  }

  private readonly renderRow = (row: TableRow, index: number): TemplateResult => (row.kind === 'head' ? headRow(this.sort) : fileRow(row.row, index));

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('rows') || changed.has('sort')) this.table = [{ kind: 'head' }, ...sortedAnalyzeRows(this.rows, this.sort).map((row) => ({ kind: 'file' as const, row }))];
  }

  protected override render(): TemplateResult {
    const rows = this.rows;
    const lines = rows.reduce((n, r) => n + r.lines, 0);
    const functions = rows.reduce((n, r) => n + r.functions, 0);
    const analysis =
      this.hotspots.length > 0
        ? html`<div class="analysis"><div><h3>${l10n.t('Hotspots')}</h3>${hotspotList(this.hotspots)}</div><div><h3>${l10n.t('Files by max complexity')}</h3>${histogram(complexityBuckets({ analyze: { rows, hotspots: this.hotspots } }))}</div></div>`
        : nothing;
    return html`<div class="toolbar"></div>
      <div class="results-summary">${l10n.t('{0} files · {1} lines · {2} functions', rows.length, lines, functions)}</div>
      <div class="extra">${analysis}<pt-skipped .entries=${this.skipped}></pt-skipped></div>
      <pt-virtual-list aria-label=${resultsLabel()} .items=${this.table} .renderRow=${this.renderRow}></pt-virtual-list>`;
  }
}

customElements.define('pt-analyze-table', AnalyzeView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-analyze-table': AnalyzeView;
  }
}
