import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import type { AnalyzeRow, HostMessage, PanelCommand, PanelRequest, PanelState, TransformFile, WebviewMessage } from '../../src/shared/protocol';
import { histogram, laneTimeline, queueChart } from './charts';
import { formatDuration, h } from './dom';
import { complexityBuckets, emptyPanel, lintRows, reduce, restoreUi, type LintRow, type SortKey, type UiState } from './state';
import { VirtualList } from './virtual-list';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let panel: PanelState = emptyPanel;
let ui: UiState = restoreUi(vscode.getState());

const post = (message: WebviewMessage): void => vscode.postMessage(message);
const command = (c: PanelCommand): void => post({ type: 'command', command: c });
const setUi = (next: Partial<UiState>): void => {
  ui = { ...ui, ...next };
  vscode.setState(ui);
};

function button(label: string, icon: string, onClick: () => void, options: { secondary?: boolean; name?: string } = {}): HTMLElement {
  const b = h('vscode-button', { icon, secondary: options.secondary, 'aria-label': options.name ?? label }, label);
  b.addEventListener('click', onClick);
  return b;
}

type Response = Extract<HostMessage, { type: 'response' }>;
let nextRequestId = 1;
const waiting = new Map<number, (response: Response) => void>();

/** Asks the host something; the answer arrives as a `response` with the same id. */
function request(body: PanelRequest): Promise<Response> {
  const id = nextRequestId++;
  post({ type: 'request', id, request: body });
  return new Promise((resolve) => waiting.set(id, resolve));
}

function linkButton(text: string, name: string, onClick: () => void): HTMLElement {
  const b = h('button', { class: 'label link', 'aria-label': name, title: name }, text);
  b.addEventListener('click', onClick);
  return b;
}

function iconButton(icon: string, name: string, onClick: () => void): HTMLElement {
  const b = h('vscode-button', { icon, secondary: true, 'aria-label': name, title: name, class: 'icon-only' });
  b.addEventListener('click', onClick);
  return b;
}

// ---- layout, built once ---------------------------------------------------
const root = document.getElementById('app') as HTMLElement;
const empty = h('section', { class: 'empty', 'aria-label': 'Getting started' });
const header = h('section', { class: 'header', 'aria-label': 'Run', 'aria-live': 'polite' });
const queue = h('section', { class: 'queue', 'aria-label': 'Queue' });
const workers = h('section', { class: 'workers', 'aria-label': 'Workers' });
const resultsPanel = h('vscode-tab-panel');
const historyPanel = h('vscode-tab-panel');
const tabs = h('vscode-tabs', { 'aria-label': 'Results and history' }, h('vscode-tab-header', { slot: 'header' }, 'Results'), resultsPanel, h('vscode-tab-header', { slot: 'header' }, 'History'), historyPanel);
tabs.addEventListener('vsc-tabs-select', (e) => setUi({ tab: (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex === 1 ? 'history' : 'results' }));
root.append(empty, header, queue, workers, tabs);

// Results: a toolbar and one virtual list whose rows depend on the run's kind.
const resultsToolbar = h('div', { class: 'toolbar' });
const resultsSummary = h('div', { class: 'results-summary' });
const extra = h('div', { class: 'extra' });
const ROW = 22;
type ResultRow = LintRow | { kind: 'transform'; file: TransformFile } | { kind: 'analyze'; row: AnalyzeRow } | { kind: 'analyze-head' };
const list = new VirtualList<ResultRow>(ROW, renderResultRow, 'Results');
const preview = h('section', { class: 'diff-preview', 'aria-label': 'Proposed changes', 'aria-live': 'polite' });
preview.hidden = true;
resultsPanel.append(resultsToolbar, resultsSummary, extra, list.element, preview);

async function showPatch(file: TransformFile): Promise<void> {
  const response = await request({ kind: 'diff', path: file.path });
  // The first three lines (separator, ---, +++) only repeat the file name shown in the heading.
  const body = response.ok
    ? h('pre', { class: 'patch' }, ...response.result.patch.split('\n').slice(3).map((line) => h('span', { class: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '' }, `${line}\n`)))
    : h('p', { class: 'error' }, response.error);
  preview.replaceChildren(h('h3', {}, `${file.rel}: proposed changes`), body);
  preview.hidden = false;
}

const filter = h('vscode-textfield', { placeholder: 'Filter by file, rule or message', 'aria-label': 'Filter problems' }) as HTMLElement & { value: string };
filter.value = ui.filter;
filter.addEventListener('input', () => {
  setUi({ filter: filter.value });
  renderResults();
});
const groupByFile = button('File', 'file', () => {
  setUi({ groupBy: 'file', collapsed: [] });
  renderResults();
}, { secondary: true, name: 'Group problems by file' });
const groupByRule = button('Rule', 'symbol-ruler', () => {
  setUi({ groupBy: 'rule', collapsed: [] });
  renderResults();
}, { secondary: true, name: 'Group problems by rule' });

function renderResultRow(row: ResultRow, index: number): HTMLElement {
  if (row.kind === 'group') {
    const el = h(
      'div',
      { class: 'row group', tabindex: 0, role: 'button', 'data-index': index, 'aria-expanded': String(!row.collapsed), 'aria-label': `${row.label}: ${row.errors} errors, ${row.warnings} warnings` },
      h('span', { class: `codicon codicon-chevron-${row.collapsed ? 'right' : 'down'}` }),
      h('span', { class: 'label' }, row.label),
      h('vscode-badge', { variant: 'counter' }, String(row.errors + row.warnings)),
    );
    const toggle = (): void => {
      const collapsed = new Set(ui.collapsed);
      if (collapsed.has(row.key)) collapsed.delete(row.key);
      else collapsed.add(row.key);
      setUi({ collapsed: [...collapsed] });
      renderResults();
    };
    el.addEventListener('click', toggle);
    el.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), toggle()));
    return el;
  }
  if (row.kind === 'problem') {
    const where = ui.groupBy === 'rule' ? `${row.rel}:${row.line}:${row.column}` : `${row.line}:${row.column}`;
    const el = h(
      'div',
      { class: 'row problem', tabindex: 0, role: 'button', 'data-index': index, title: `${row.message} (${row.ruleId ?? 'no rule'})`, 'aria-label': `${row.severity === 2 ? 'Error' : 'Warning'} at ${row.rel} line ${row.line}: ${row.message}` },
      h('span', { class: `codicon codicon-${row.severity === 2 ? 'error' : 'warning'}` }),
      h('span', { class: 'message' }, row.message),
      h('span', { class: 'rule' }, row.ruleId ?? ''),
      h('span', { class: 'where' }, where),
    );
    const open = (): void => post({ type: 'open', path: row.path, line: row.line, column: row.column });
    el.addEventListener('click', open);
    el.addEventListener('keydown', (e) => e.key === 'Enter' && open());
    return el;
  }
  if (row.kind === 'transform') {
    const f = row.file;
    const pending = f.state === 'pending';
    return h(
      'div',
      { class: `row transform ${f.state}`, 'data-index': index },
      pending ? linkButton(f.rel, `Preview changes to ${f.rel}`, () => void showPatch(f)) : h('span', { class: 'label', title: f.message ?? f.rel }, f.rel),
      h('span', { class: 'state' }, f.state),
      // Icon-only buttons leave room for the file name in a narrow sidebar; their names say what they do.
      pending ? iconButton('diff', `Compare ${f.rel}`, () => post({ type: 'transform', action: 'diff', paths: [f.path] })) : undefined,
      pending ? iconButton('check', `Apply ${f.rel}`, () => post({ type: 'transform', action: 'apply', paths: [f.path] })) : undefined,
      pending ? iconButton('close', `Discard ${f.rel}`, () => post({ type: 'transform', action: 'discard', paths: [f.path] })) : undefined,
    );
  }
  if (row.kind === 'analyze-head') {
    const head = h('div', { class: 'row analyze head', role: 'row' });
    // Short headings fit a narrow sidebar; the full name is in the tooltip and the accessible name.
    const columns: [SortKey, string, string][] = [['rel', 'File', 'File'], ['lines', 'Lines', 'Lines'], ['functions', 'Fns', 'Functions'], ['maxComplexity', 'Cx', 'Max complexity'], ['maxNesting', 'Nest', 'Nesting'], ['todos', 'TODO', 'TODOs']];
    for (const [key, short, label] of columns) {
      const active = ui.sort.key === key;
      const cell = h('button', { class: `sort ${key}`, title: label, 'aria-label': `Sort by ${label}`, 'aria-sort': active ? (ui.sort.descending ? 'descending' : 'ascending') : 'none' }, `${short}${active ? (ui.sort.descending ? '↓' : '↑') : ''}`);
      cell.addEventListener('click', () => {
        setUi({ sort: { key, descending: active ? !ui.sort.descending : key !== 'rel' } });
        renderResults();
      });
      head.append(cell);
    }
    return head;
  }
  const r = row.row;
  const el = h(
    'div',
    { class: 'row analyze', tabindex: 0, role: 'button', 'data-index': index, 'aria-label': `${r.rel}: ${r.lines} lines, ${r.functions} functions, max complexity ${r.maxComplexity}` },
    h('span', { class: 'rel' }, r.rel),
    h('span', { class: 'num' }, String(r.lines)),
    h('span', { class: 'num' }, String(r.functions)),
    h('span', { class: 'num' }, String(r.maxComplexity)),
    h('span', { class: 'num' }, String(r.maxNesting)),
    h('span', { class: 'num' }, String(r.todos)),
  );
  const open = (): void => post({ type: 'open', path: r.path, line: 1, column: 1 });
  el.addEventListener('click', open);
  el.addEventListener('keydown', (e) => e.key === 'Enter' && open());
  return el;
}

// ---- rendering ------------------------------------------------------------
function renderEmpty(): void {
  const nothing = !panel.run && panel.history.length === 0 && panel.tasks.length === 0;
  empty.hidden = !nothing;
  header.hidden = queue.hidden = workers.hidden = tabs.hidden = nothing;
  if (!nothing || empty.childElementCount > 0) return;
  empty.append(
    h('p', {}, 'Run a job over the whole workspace on a pool of worker threads. While it runs, this panel shows the queue, what each worker is doing, and the results.'),
    h('div', { class: 'actions' }, button('Lint Workspace', 'checklist', () => command('lintWorkspace')), button('Analyze Workspace', 'graph', () => command('analyzeWorkspace'), { secondary: true }), button('Transform…', 'wand', () => command('transform'), { secondary: true })),
    panel.trusted ? '' : h('p', { class: 'note' }, 'This workspace is not trusted: lint, Prettier and codemods are disabled; analyze works.'),
  );
}

function renderHeader(): void {
  const run = panel.run;
  if (!run) return;
  const running = run.phase === 'running';
  const finished = run.done + run.failed + run.skipped + run.cancelled;
  const progress = h('vscode-progress-bar', { 'aria-label': `${finished} of ${run.total} files`, value: finished, max: Math.max(1, run.total) });
  const stats = h(
    'div',
    { class: 'stats' },
    h('span', { class: 'files', title: 'files finished / total' }, `${finished} / ${run.total} files`),
    h('span', { class: 'rate' }, `${run.filesPerSecond.toFixed(1)} files/s`),
    h('span', { class: 'elapsed' }, `elapsed ${formatDuration(run.elapsedMs)}`),
    running ? h('span', { class: 'eta' }, `ETA ${formatDuration(run.etaMs)}`) : '',
    run.cached > 0 ? h('span', { class: 'cached', title: 'unchanged since the last run: not processed again' }, `${run.cached} from cache`) : '',
    // Nothing was processed when every result came from the cache: no speedup to speak of.
    run.serialEstimateMs > 0 ? h('span', { class: 'speedup', title: `serial estimate ${formatDuration(run.serialEstimateMs)} from per-file times` }, `speedup ${run.speedup.toFixed(2)}×`) : '',
  );
  const actions = h('div', { class: 'actions' });
  if (running) actions.append(button('Cancel', 'debug-stop', () => command('cancel')));
  else {
    if (run.failed > 0) actions.append(button('Retry Failed', 'refresh', () => command('retryFailed')));
    actions.append(button('Run Again', 'debug-rerun', () => command('runAgain'), { secondary: true }));
  }
  actions.append(button('', 'link-external', () => command('openInEditor'), { secondary: true, name: 'Open in Editor' }));
  const phase = run.phase === 'running' ? 'running' : run.phase;
  header.replaceChildren(h('h2', {}, h('span', { class: `codicon codicon-${running ? 'sync codicon-modifier-spin' : run.phase === 'completed' ? 'pass' : 'warning'}` }), ` ${run.label} — ${phase}`), progress, stats, run.error ? h('p', { class: 'error' }, run.error) : '', actions);
}

function renderQueue(): void {
  const run = panel.run;
  if (!run) return;
  const counts: [string, number][] = [['pending', run.pending], ['running', run.running], ['done', run.done], ['failed', run.failed], ['skipped', run.skipped], ['cancelled', run.cancelled]];
  const grid = h('div', { class: 'counts' }, ...counts.map(([label, n]) => h('div', { class: `count ${label}`, 'aria-label': `${label}: ${n}` }, h('span', { class: 'n' }, String(n)), h('span', { class: 'l' }, label))));
  const legend = h('div', { class: 'legend' }, h('span', { class: 'key queued' }, 'queued'), h('span', { class: 'key rate' }, 'files/s'));
  queue.replaceChildren(grid, queueChart(panel.series), legend);
}

const LANE_KIND_TITLE = {
  thread: 'a worker thread in the extension host',
  process: 'a child process: a native crash costs only this worker',
  'in-process': 'the extension host itself',
  command: 'runs the task\'s external command, one invocation at a time',
} as const;

function renderTasks(): HTMLElement[] {
  if (panel.tasks.length === 0) return [];
  return [
    h('h3', {}, 'VS Code tasks'),
    ...panel.tasks.map((lane) =>
      h(
        'div',
        { class: `lane task ${lane.state}`, 'aria-label': `Task ${lane.name}: ${lane.state}${lane.exitCode !== undefined ? `, exit code ${lane.exitCode}` : ''}, ${formatDuration(lane.durationMs)}` },
        h(
          'div',
          { class: 'lane-head' },
          h('span', { class: 'name' }, lane.name),
          h('span', { class: 'kind' }, lane.source),
          h('span', { class: `state ${lane.state}` }, lane.exitCode !== undefined && lane.state === 'failed' ? `failed (${lane.exitCode})` : lane.state),
          h('span', { class: 'duration' }, formatDuration(lane.durationMs)),
          h(
            'span',
            { class: 'done' },
            lane.state === 'running'
              ? button('', 'debug-stop', () => post({ type: 'task', action: 'stop', id: lane.id }), { secondary: true, name: `Stop ${lane.name}` })
              : button('', 'debug-restart', () => post({ type: 'task', action: 'restart', id: lane.id }), { secondary: true, name: `Restart ${lane.name}` }),
          ),
        ),
      ),
    ),
  ];
}

function renderWorkers(): void {
  const elapsed = panel.run?.elapsedMs ?? 0;
  workers.replaceChildren(
    ...renderTasks(),
    panel.workers.length > 0 ? h('h3', {}, 'Workers') : '',
    ...panel.workers.map((lane) =>
      h(
        'div',
        { class: `lane ${lane.state}`, 'aria-label': `Worker ${lane.slot + 1} (${lane.kind}): ${lane.state}${lane.file ? `, on ${lane.file}` : ''}, ${lane.filesDone} files, ${Math.round(lane.utilisation * 100)}% busy` },
        h('div', { class: 'lane-head' }, h('span', { class: 'name' }, `Worker ${lane.slot + 1}`), h('span', { class: 'kind', title: LANE_KIND_TITLE[lane.kind] }, lane.kind), h('span', { class: `state ${lane.state}` }, lane.state), h('span', { class: 'file', title: lane.file ?? '' }, lane.file ?? ''), h('span', { class: 'done' }, `${lane.filesDone} files · ${Math.round(lane.utilisation * 100)}% busy${lane.restarts ? ` · ${lane.restarts} restart${lane.restarts === 1 ? '' : 's'}` : ''}`)),
        laneTimeline(lane, elapsed),
      ),
    ),
  );
}

function renderResults(): void {
  const kind = panel.run?.kind ?? panel.history[0]?.kind ?? 'lint';
  extra.replaceChildren();
  if (kind !== 'transform') preview.hidden = true;
  if (kind === 'lint' || kind === 'custom') {
    groupByFile.toggleAttribute('secondary', ui.groupBy !== 'file');
    groupByRule.toggleAttribute('secondary', ui.groupBy !== 'rule');
    resultsToolbar.replaceChildren(filter, groupByFile, groupByRule);
    const rows = lintRows(panel, ui);
    const problems = panel.lint.reduce((n, f) => n + f.problems.length, 0);
    const shown = rows.filter((r) => r.kind === 'problem').length;
    resultsSummary.textContent = `${problems} problems in ${panel.lint.length} files${ui.filter ? ` · ${shown} match` : ''}`;
    list.setItems(rows);
  } else if (kind === 'transform') {
    const pending = panel.transform.filter((f) => f.state === 'pending').map((f) => f.path);
    resultsToolbar.replaceChildren(
      ...(pending.length > 0 ? [button('Apply All', 'check-all', () => post({ type: 'transform', action: 'apply', paths: pending })), button('Discard All', 'close-all', () => post({ type: 'transform', action: 'discard', paths: pending }), { secondary: true })] : []),
    );
    resultsSummary.textContent = panel.transform.length > 0 ? `${panel.transform.length} changed files · ${pending.length} waiting for review` : 'No changes held for review (see the parallelTasks.transform.review setting).';
    list.setItems(panel.transform.map((file) => ({ kind: 'transform' as const, file })));
  } else {
    resultsToolbar.replaceChildren();
    const { key, descending } = ui.sort;
    const rows = [...panel.analyze.rows].sort((a, b) => {
      const order = key === 'rel' ? a.rel.localeCompare(b.rel) : (a[key] as number) - (b[key] as number);
      return descending ? -order : order;
    });
    resultsSummary.textContent = `${rows.length} files · ${rows.reduce((n, r) => n + r.lines, 0)} lines · ${rows.reduce((n, r) => n + r.functions, 0)} functions`;
    if (panel.analyze.hotspots.length > 0) {
      const hotspots = h('ol', { class: 'hotspots', 'aria-label': 'Hotspots: the most complex functions' });
      for (const spot of panel.analyze.hotspots.slice(0, 5)) {
        const item = h('li', { title: `${spot.name} — ${spot.rel}:${spot.line}` }, h('button', { class: 'link', 'aria-label': `${spot.name} in ${spot.rel}, complexity ${spot.complexity}` }, h('span', { class: 'num' }, String(spot.complexity)), ` ${spot.name} `, h('span', { class: 'where' }, `${spot.rel}:${spot.line}`)));
        item.querySelector('button')?.addEventListener('click', () => post({ type: 'open', path: spot.path, line: spot.line, column: spot.column }));
        hotspots.append(item);
      }
      extra.append(h('div', { class: 'analysis' }, h('div', {}, h('h3', {}, 'Hotspots'), hotspots), h('div', {}, h('h3', {}, 'Files by max complexity'), histogram(complexityBuckets(panel)))));
    }
    list.setItems([{ kind: 'analyze-head' as const }, ...rows.map((row) => ({ kind: 'analyze' as const, row }))]);
  }
  const skipped = renderSkipped();
  if (skipped) extra.append(skipped);
}

/** How many skipped files are listed by name; the rest are counted (the log has them all). */
const SKIPPED_LISTED = 200;

/** The files the run did not process, with the reason, for every kind: a run says what it did not do. */
function renderSkipped(): HTMLElement | undefined {
  if (panel.skipped.length === 0) return undefined;
  const items = panel.skipped.slice(0, SKIPPED_LISTED).map((entry) => {
    const open = h('button', { class: 'link', title: entry.path }, entry.rel);
    open.addEventListener('click', () => post({ type: 'open', path: entry.path, line: 1, column: 1 }));
    return h('li', {}, open, h('span', { class: 'reason' }, ` — ${entry.reason}`));
  });
  const more = panel.skipped.length - items.length;
  return h(
    'details',
    { class: 'skipped' },
    h('summary', {}, `${panel.skipped.length} file${panel.skipped.length === 1 ? '' : 's'} skipped`),
    h('ul', { 'aria-label': 'Skipped files and why' }, ...items),
    ...(more > 0 ? [h('p', { class: 'note' }, `and ${more} more (Parallel Tasks: Show Log lists them all)`)] : []),
  );
}

function renderHistory(): void {
  if (panel.history.length === 0) {
    historyPanel.replaceChildren(h('p', { class: 'note' }, 'Finished runs appear here.'));
    return;
  }
  // A list rather than a wide table: the sidebar is narrow.
  const runs = h('ul', { class: 'history', 'aria-label': 'Recent runs' });
  for (const e of panel.history) {
    const found = e.problems === undefined
      ? undefined
      : h(
          'div',
          { class: 'found' },
          `${e.problems} problems`,
          e.newProblems === undefined ? '' : h('span', { class: 'new' }, ` · +${e.newProblems} new`),
          e.fixedProblems === undefined ? '' : h('span', { class: 'fixed' }, ` · −${e.fixedProblems} fixed`),
        );
    runs.append(h('li', {}, h('div', { class: 'what' }, h('span', { class: 'label' }, e.label), ` · ${e.phase} · ${e.files} files · ${formatDuration(e.durationMs)}`), found));
  }
  historyPanel.replaceChildren(runs);
}

let lastResultsKey = '';
function render(message?: HostMessage): void {
  renderEmpty();
  renderHeader();
  renderQueue();
  renderWorkers();
  // Results are re-rendered only when they change, not on every progress tick.
  const key = `${panel.run?.id}:${panel.lint.length}:${panel.skipped.length}:${panel.analyze.rows.length}:${panel.analyze.hotspots.length}:${panel.transform.map((t) => t.state).join('')}`;
  if (!message || message.type === 'snapshot' || key !== lastResultsKey) {
    lastResultsKey = key;
    renderResults();
  }
  if (!message || message.type === 'snapshot' || (message.type === 'delta' && message.history)) renderHistory();
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message?.type === 'response') {
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
    return;
  }
  if (!message || (message.type !== 'snapshot' && message.type !== 'delta' && message.type !== 'tasks')) return;
  panel = reduce(panel, message);
  render(message);
});

(tabs as HTMLElement & { selectedIndex: number }).selectedIndex = ui.tab === 'history' ? 1 : 0;
render();
post({ type: 'ready' });
