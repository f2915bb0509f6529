import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { AnalyzeRow, Hotspot, SkippedEntry } from '../../../src/shared/protocol';
import { histogram } from '../charts';
import { openFile, store } from '../host';
import { complexityBuckets, sortedAnalyzeRows, type SortKey, type UiState } from '../state';
import { onActivateKey } from './controls';
import { LightElement } from './light-element';
import './skipped-view';
import './virtual-list';

type TableRow = { kind: 'head' } | { kind: 'file'; row: AnalyzeRow };

/** Short headings fit a narrow sidebar; the full name is in the tooltip and the accessible name. */
const COLUMNS: readonly [SortKey, string, string][] = [['rel', 'File', 'File'], ['lines', 'Lines', 'Lines'], ['functions', 'Fns', 'Functions'], ['maxComplexity', 'Cx', 'Max complexity'], ['maxNesting', 'Nest', 'Nesting'], ['todos', 'TODO', 'TODOs']];

function headRow(sort: UiState['sort']): TemplateResult {
  return html`<div class="row analyze head" role="listitem">${COLUMNS.map(([key, short, label]) => {
    const active = sort.key === key;
    const arrow = active ? (sort.descending ? '↓' : '↑') : '';
    // A new column sorts largest first (names A–Z); the active one flips.
    const choose = (): void => store.setUi({ sort: { key, descending: active ? !sort.descending : key !== 'rel' } });
    return html`<button class="sort ${key}" title=${label} aria-label="Sort by ${label}" aria-sort=${active ? (sort.descending ? 'descending' : 'ascending') : 'none'} @click=${choose}>${short}${arrow}</button>`;
  })}</div>`;
}

function fileRow(r: AnalyzeRow, index: number): TemplateResult {
  const open = (): void => openFile(r.path);
  return html`<div class="row analyze" tabindex="0" role="listitem" data-index=${index} aria-label="${r.rel}: ${r.lines} lines, ${r.functions} functions, max complexity ${r.maxComplexity}" @click=${open} @keydown=${onActivateKey(open)}>
    <span class="rel">${r.rel}</span><span class="num">${r.lines}</span><span class="num">${r.functions}</span><span class="num">${r.maxComplexity}</span><span class="num">${r.maxNesting}</span><span class="num">${r.todos}</span>
  </div>`;
}

function hotspotList(hotspots: readonly Hotspot[]): TemplateResult {
  return html`<ol class="hotspots" aria-label="Hotspots: the most complex functions">${hotspots.slice(0, 5).map(
    (spot) =>
      html`<li title="${spot.name} — ${spot.rel}:${spot.line}"><button class="link" aria-label="${spot.name} in ${spot.rel}, complexity ${spot.complexity}" @click=${() => openFile(spot.path, spot.line, spot.column)}><span class="num">${spot.complexity}</span> ${spot.name} <span class="where">${spot.rel}:${spot.line}</span></button></li>`,
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
        ? html`<div class="analysis"><div><h3>Hotspots</h3>${hotspotList(this.hotspots)}</div><div><h3>Files by max complexity</h3>${histogram(complexityBuckets({ analyze: { rows, hotspots: this.hotspots } }))}</div></div>`
        : nothing;
    return html`<div class="toolbar"></div>
      <div class="results-summary">${rows.length} files · ${lines} lines · ${functions} functions</div>
      <div class="extra">${analysis}<pt-skipped .entries=${this.skipped}></pt-skipped></div>
      <pt-virtual-list aria-label="Results" .items=${this.table} .renderRow=${this.renderRow}></pt-virtual-list>`;
  }
}

customElements.define('pt-analyze-table', AnalyzeView);

declare global {
  interface HTMLElementTagNameMap {
    'pt-analyze-table': AnalyzeView;
  }
}
