import * as l10n from '@vscode/l10n';
import type { AnalyzeRow, HostMessage, PanelState } from '../../src/shared/protocol';

/** Keeps long runs bounded in the webview too. */
const MAX_SAMPLES = 600;

export const emptyPanel: PanelState = {
  trusted: true,
  workers: [],
  series: [],
  lint: [],
  skipped: [],
  transform: [],
  analyze: { rows: [], hotspots: [] },
  history: [],
  tasks: [],
};

/**
 * The webview's state reducer: a snapshot replaces everything, a delta
 * replaces the live parts (header, lanes) and appends results. Pure, so it is
 * unit-tested without a browser.
 */
export function reduce(state: PanelState, message: HostMessage): PanelState {
  if (message.type === 'response') return state;
  if (message.type === 'snapshot') return message.state;
  if (message.type === 'tasks') return { ...state, tasks: message.lanes };
  if (message.type === 'live') return { ...state, live: message.live };
  const base = message.reset ? { ...state, series: [], lint: [], skipped: [], analyze: { rows: [], hotspots: [] }, remote: undefined, timing: undefined } : state;
  let series = message.samples.length > 0 ? [...base.series, ...message.samples] : base.series;
  if (series.length > MAX_SAMPLES) series = series.filter((_, i) => i % 2 === 0);
  return {
    ...base,
    run: message.run ?? base.run,
    workers: message.workers,
    series,
    lint: message.lint ? [...base.lint, ...message.lint] : base.lint,
    skipped: message.skipped ? [...base.skipped, ...message.skipped] : base.skipped,
    analyze: {
      rows: message.analyze ? [...base.analyze.rows, ...message.analyze] : base.analyze.rows,
      hotspots: message.hotspots ?? base.analyze.hotspots,
    },
    transform: message.transform ?? base.transform,
    history: message.history ?? base.history,
    timing: message.timing ?? base.timing,
    remote: message.remote ?? base.remote,
  };
}

/** The panel's tabs; the lanes are always shown above them, not in a tab of their own. */
export type Tab = 'results' | 'history';
export type SortKey = 'rel' | 'lines' | 'functions' | 'maxComplexity' | 'maxNesting' | 'todos';

/** What belongs to the view rather than to the run: kept across hide/show with getState/setState. */
export interface UiState {
  readonly tab: Tab;
  readonly filter: string;
  readonly groupBy: 'file' | 'rule';
  readonly sort: { readonly key: SortKey; readonly descending: boolean };
  readonly collapsed: readonly string[];
}

export const defaultUi: UiState = { tab: 'results', filter: '', groupBy: 'file', sort: { key: 'maxComplexity', descending: true }, collapsed: [] };

/** State saved by an older version, or tampered with, falls back to defaults field by field. */
export function restoreUi(saved: unknown): UiState {
  if (typeof saved !== 'object' || saved === null) return defaultUi;
  const s = saved as Partial<Record<keyof UiState, unknown>>;
  // 'workers' was once a declared tab the panel never showed; like any unknown value it falls back to the default.
  const tab = s.tab === 'history' || s.tab === 'results' ? s.tab : defaultUi.tab;
  const groupBy = s.groupBy === 'rule' ? 'rule' : 'file';
  const sortKeys: SortKey[] = ['rel', 'lines', 'functions', 'maxComplexity', 'maxNesting', 'todos'];
  const sortIn = s.sort as { key?: unknown; descending?: unknown } | undefined;
  const sort = sortIn && sortKeys.includes(sortIn.key as SortKey) ? { key: sortIn.key as SortKey, descending: sortIn.descending !== false } : defaultUi.sort;
  return {
    tab,
    filter: typeof s.filter === 'string' ? s.filter.slice(0, 200) : '',
    groupBy,
    sort,
    collapsed: Array.isArray(s.collapsed) ? s.collapsed.filter((x): x is string => typeof x === 'string').slice(0, 1000) : [],
  };
}

/** Lint problems as rows for a virtual list: a header row per group, then its problems, filtered. */
export type LintRow =
  | { readonly kind: 'group'; readonly key: string; readonly label: string; readonly errors: number; readonly warnings: number; readonly collapsed: boolean }
  | { readonly kind: 'problem'; readonly path: string; readonly rel: string; readonly line: number; readonly column: number; readonly severity: 1 | 2; readonly ruleId: string | null; readonly message: string };

export function lintRows(state: Pick<PanelState, 'lint'>, ui: UiState): LintRow[] {
  const needle = ui.filter.trim().toLowerCase();
  const groups = new Map<string, { label: string; problems: LintRow[]; errors: number; warnings: number }>();
  for (const file of state.lint) {
    for (const p of file.problems) {
      if (needle && !`${file.rel} ${p.ruleId ?? ''} ${p.message}`.toLowerCase().includes(needle)) continue;
      // The key is kept (collapsed groups are saved by it) in English; only the label is translated.
      const key = ui.groupBy === 'file' ? file.path : (p.ruleId ?? '(no rule)');
      const label = ui.groupBy === 'file' ? file.rel : (p.ruleId ?? l10n.t('(no rule)'));
      const group = groups.get(key) ?? { label, problems: [], errors: 0, warnings: 0 };
      group.problems.push({ kind: 'problem', path: file.path, rel: file.rel, ...p });
      if (p.severity === 2) group.errors++;
      else group.warnings++;
      groups.set(key, group);
    }
  }
  const collapsed = new Set(ui.collapsed);
  const ordered = [...groups.entries()].sort((a, b) => (ui.groupBy === 'rule' ? b[1].problems.length - a[1].problems.length : a[1].label.localeCompare(b[1].label)));
  const rows: LintRow[] = [];
  for (const [key, g] of ordered) {
    const isCollapsed = collapsed.has(key);
    rows.push({ kind: 'group', key, label: g.label, errors: g.errors, warnings: g.warnings, collapsed: isCollapsed });
    if (!isCollapsed) rows.push(...g.problems);
  }
  return rows;
}

/** The analyze table's rows in the order the user chose (file names A–Z, numbers largest first by default). */
export function sortedAnalyzeRows(rows: readonly AnalyzeRow[], sort: UiState['sort']): AnalyzeRow[] {
  const { key, descending } = sort;
  return [...rows].sort((a, b) => {
    const order = key === 'rel' ? a.rel.localeCompare(b.rel) : (a[key] as number) - (b[key] as number);
    return descending ? -order : order;
  });
}

/** Histogram of per-file maximum complexity in fixed buckets. */
export function complexityBuckets(state: Pick<PanelState, 'analyze'>): { label: string; count: number }[] {
  const edges = [1, 2, 5, 10, 20, 50];
  const buckets = edges.map((edge, i) => {
    const next = edges[i + 1];
    const label = next === undefined ? `${edge}+` : next - 1 === edge ? String(edge) : `${edge}–${next - 1}`;
    return { label, count: 0 };
  });
  for (const row of state.analyze.rows) {
    let index = edges.length - 1;
    while (index > 0 && row.maxComplexity < (edges[index] as number)) index--;
    const bucket = buckets[index];
    if (bucket) bucket.count++;
  }
  return buckets;
}
