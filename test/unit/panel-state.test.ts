import * as assert from 'node:assert/strict';
import { complexityBuckets, defaultUi, emptyPanel, lintRows, reduce, restoreUi, sortedAnalyzeRows } from '../../media/src/state';
import type { HostMessage, LintFile, PanelState, RunHeader } from '../../src/shared/protocol';

const header = (over: Partial<RunHeader> = {}): RunHeader => ({
  id: 1,
  kind: 'lint',
  view: 'problems',
  label: 'Lint',
  phase: 'running',
  total: 3,
  pending: 3,
  running: 0,
  done: 0,
  failed: 0,
  skipped: 0,
  cancelled: 0,
  cached: 0,
  filesPerSecond: 0,
  elapsedMs: 0,
  serialEstimateMs: 0,
  workers: 2,
  ...over,
});

const file = (rel: string, problems: LintFile['problems']): LintFile => ({ path: `/ws/${rel}`, rel, problems });

describe('panel state reducer (webview)', () => {
  it('replaces everything with a snapshot', () => {
    const state: PanelState = { ...emptyPanel, run: header(), lint: [file('a.js', [])] };
    const next = reduce(state, { type: 'snapshot', state: emptyPanel });
    assert.equal(next, emptyPanel);
  });

  it('appends results from deltas and replaces the live parts', () => {
    const d1: HostMessage = { type: 'delta', run: header({ done: 1 }), workers: [], samples: [{ t: 100, queued: 2, filesPerSecond: 10 }], lint: [file('a.js', [{ line: 1, column: 1, severity: 2, ruleId: 'eqeqeq', message: 'x' }])] };
    const d2: HostMessage = { type: 'delta', run: header({ done: 2 }), workers: [], samples: [{ t: 200, queued: 1, filesPerSecond: 10 }], lint: [file('b.js', [{ line: 2, column: 3, severity: 1, ruleId: null, message: 'y' }])] };
    const state = reduce(reduce(emptyPanel, d1), d2);
    assert.equal(state.run?.done, 2);
    assert.deepEqual(state.lint.map((f) => f.rel), ['a.js', 'b.js']);
    assert.deepEqual(state.series.map((s) => s.t), [100, 200]);
  });

  it('clears the previous run\'s results when a new run starts, and keeps the history', () => {
    const before: PanelState = { ...emptyPanel, lint: [file('old.js', [])], series: [{ t: 1, queued: 1, filesPerSecond: 1 }], history: [{ id: 1, kind: 'lint', view: 'problems', label: 'Lint', files: 1, durationMs: 5, phase: 'completed' }] };
    const after = reduce(before, { type: 'delta', reset: true, run: header({ id: 2 }), workers: [], samples: [] });
    assert.deepEqual(after.lint, []);
    assert.deepEqual(after.series, []);
    assert.equal(after.history.length, 1);
  });

  it('keeps the throughput series bounded on long runs', () => {
    let state = emptyPanel;
    for (let i = 0; i < 2000; i++) state = reduce(state, { type: 'delta', workers: [], samples: [{ t: i, queued: 0, filesPerSecond: 1 }] });
    assert.ok(state.series.length <= 600);
    assert.equal(state.series[0]?.t, 0);
  });

  it('groups and filters problems by file or by rule, and collapses groups', () => {
    const state: PanelState = {
      ...emptyPanel,
      lint: [
        file('src/a.js', [
          { line: 1, column: 1, severity: 2, ruleId: 'eqeqeq', message: 'Expected ===' },
          { line: 2, column: 1, severity: 1, ruleId: 'no-unused-vars', message: 'unused' },
        ]),
        file('src/b.js', [{ line: 5, column: 2, severity: 2, ruleId: 'eqeqeq', message: 'Expected ===' }]),
      ],
    };
    const byFile = lintRows(state, defaultUi);
    assert.deepEqual(byFile.map((r) => (r.kind === 'group' ? `[${r.label} ${r.errors}/${r.warnings}]` : r.line)), ['[src/a.js 1/1]', 1, 2, '[src/b.js 1/0]', 5]);
    const byRule = lintRows(state, { ...defaultUi, groupBy: 'rule' });
    assert.deepEqual(byRule.filter((r) => r.kind === 'group').map((r) => r.kind === 'group' && r.label), ['eqeqeq', 'no-unused-vars']);
    const filtered = lintRows(state, { ...defaultUi, filter: 'UNUSED' });
    assert.deepEqual(filtered.map((r) => r.kind), ['group', 'problem']);
    const collapsed = lintRows(state, { ...defaultUi, collapsed: ['/ws/src/a.js'] });
    assert.deepEqual(collapsed.map((r) => r.kind), ['group', 'group', 'problem']);
  });

  it('handles 50,000 problems quickly enough to stay responsive', () => {
    const lint = Array.from({ length: 10_000 }, (_, i) => file(`f${i}.js`, Array.from({ length: 5 }, (_, j) => ({ line: j + 1, column: 1, severity: 2 as const, ruleId: `rule-${j}`, message: `problem ${j}` }))));
    const started = performance.now();
    const rows = lintRows({ ...emptyPanel, lint }, defaultUi);
    const elapsed = performance.now() - started;
    assert.equal(rows.length, 60_000);
    // Not a benchmark: a guard against an accidental quadratic step (it takes tens of milliseconds).
    assert.ok(elapsed < 5000, `${elapsed} ms`);
  });

  it('buckets files by their maximum complexity', () => {
    const row = (maxComplexity: number) => ({ path: '/x', rel: 'x', lines: 1, code: 1, functions: 1, maxComplexity, maxNesting: 0, todos: 0 });
    const buckets = complexityBuckets({ ...emptyPanel, analyze: { rows: [row(1), row(3), row(4), row(12), row(80)], hotspots: [] } });
    assert.deepEqual(buckets.map((b) => `${b.label}:${b.count}`), ['1:1', '2–4:2', '5–9:0', '10–19:1', '20–49:0', '50+:1']);
  });

  it('restores saved view state field by field, ignoring junk', () => {
    assert.deepEqual(restoreUi(undefined), defaultUi);
    assert.deepEqual(restoreUi({ tab: 'history', filter: 42, groupBy: 'rule', sort: { key: 'lines', descending: false }, collapsed: ['a', 1] }), {
      tab: 'history',
      filter: '',
      groupBy: 'rule',
      sort: { key: 'lines', descending: false },
      collapsed: ['a'],
    });
    assert.equal(restoreUi({ sort: { key: '__proto__' } }).sort.key, defaultUi.sort.key);
    assert.equal(restoreUi({ tab: 'workers' }).tab, 'results', 'the panel has no workers tab: the lanes are always shown');
  });

  it('sorts analyze rows by the chosen column, names A–Z and numbers either way', () => {
    const row = (rel: string, lines: number) => ({ path: `/${rel}`, rel, lines, code: 1, functions: 1, maxComplexity: 1, maxNesting: 0, todos: 0 });
    const rows = [row('b.js', 10), row('a.js', 30), row('c.js', 20)];
    assert.deepEqual(sortedAnalyzeRows(rows, { key: 'rel', descending: false }).map((r) => r.rel), ['a.js', 'b.js', 'c.js']);
    assert.deepEqual(sortedAnalyzeRows(rows, { key: 'lines', descending: true }).map((r) => r.lines), [30, 20, 10]);
    assert.deepEqual(sortedAnalyzeRows(rows, { key: 'lines', descending: false }).map((r) => r.lines), [10, 20, 30]);
    assert.deepEqual(rows.map((r) => r.rel), ['b.js', 'a.js', 'c.js'], 'the state is not sorted in place');
  });
});
