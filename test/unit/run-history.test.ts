import * as assert from 'node:assert/strict';
import { HISTORY_BYTES, HISTORY_LIMIT, MAX_KEYS, forPanel, parseHistory, problemKeys, recordRun, scopeOf, serialize, type StoredRun } from '../../src/extension/panel/run-history';
import { meaningfulSpeedup } from '../../src/core/speedup';
import { TimingTally } from '../../src/core/timing-tally';
import { eslintRuleTimes } from '../../src/tasks/lint/rule-times';
import type { LintFile } from '../../src/shared/protocol';
import type { ESLint } from 'eslint';
import { RunRecorder } from '../../src/extension/panel/run-recorder';
import type { RunRequest } from '../../src/extension/run-types';
import type { AnyTaskKind } from '../../src/core/task-api';

const problem = (ruleId: string, message: string, line = 1): LintFile['problems'][number] => ({ line, column: 1, severity: 2, ruleId, message });
const lint = (files: Record<string, LintFile['problems']>): LintFile[] => Object.entries(files).map(([rel, problems]) => ({ path: `/ws/${rel}`, rel, problems }));
const run = (scope: string, keys: string[] | undefined, over: Partial<StoredRun> = {}): Omit<StoredRun, 'id'> => ({
  kind: 'lint',
  view: 'problems',
  label: 'Lint',
  files: 3,
  durationMs: 120,
  phase: 'completed',
  scope,
  ...(keys ? { keys, problems: keys.length } : {}),
  ...over,
});

describe('run history (kept across restarts)', () => {
  it('compares a run with the previous run of the same scope: +new, −fixed, however the lines moved', () => {
    const first = problemKeys(lint({ 'a.js': [problem('eqeqeq', 'Expected ===', 3), problem('semi', 'Missing semicolon', 4)], 'b.js': [problem('no-undef', 'x is not defined')] })) ?? [];
    // a.js: the eqeqeq problem moved two lines down (not new), the semicolon was fixed; b.js: one more of the same message (new), and a new rule.
    const second = problemKeys(lint({ 'a.js': [problem('eqeqeq', 'Expected ===', 5)], 'b.js': [problem('no-undef', 'x is not defined'), problem('no-undef', 'x is not defined', 9), problem('prefer-const', 'use const')] })) ?? [];
    let history = recordRun([], run('S', first));
    assert.equal(history[0]?.newProblems, undefined, 'the first run of a scope has nothing to compare with');
    history = recordRun(history, run('OTHER', problemKeys(lint({ 'c.js': [problem('semi', 'Missing semicolon')] }))));
    history = recordRun(history, run('S', second));
    assert.deepEqual([history[0]?.newProblems, history[0]?.fixedProblems], [2, 1]);
    assert.deepEqual(history.map((e) => e.id), [3, 2, 1], 'ids go on, newest first');
    assert.equal(history[2]?.keys, undefined, 'the older run of the scope gives its keys up: only the newest is compared with later');
    assert.ok(history[1]?.keys, 'another scope keeps its own');
    assert.equal(forPanel(history).some((e) => 'keys' in e || 'scope' in e), false, 'the panel is sent neither keys nor scopes');
  });

  it('tells scopes apart by kind, label, folders, paths and options', () => {
    const a = scopeOf(['lint', 'Lint', {}, [['file:///ws', []]]]);
    assert.equal(a, scopeOf(['lint', 'Lint', {}, [['file:///ws', []]]]));
    assert.notEqual(a, scopeOf(['lint', 'Lint', {}, [['file:///ws', ['src']]]]));
    assert.notEqual(a, scopeOf(['lint', 'Lint', { configFile: '/ws/other.mjs' }, [['file:///ws', []]]]));
    assert.match(a, /^[A-Za-z0-9_-]{22}$/);
  });

  it('stays bounded: 50 entries, and within its byte cap the oldest keys go first, then the oldest entries', () => {
    let history: StoredRun[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) history = recordRun(history, run(`S${i}`, undefined));
    assert.equal(history.length, HISTORY_LIMIT);
    assert.equal(history.at(-1)?.scope, 'S10', 'the oldest went');

    // Many scopes, each with thousands of problems: far more than the cap.
    const many = (n: number, tag: string): string[] => problemKeys(lint({ [`${tag}.js`]: Array.from({ length: n }, (_, i) => problem('r', `m${i}`)) })) ?? [];
    history = [];
    for (let i = 0; i < 12; i++) history = recordRun(history, run(`K${i}`, many(8000, `f${i}`)));
    assert.ok(JSON.stringify(serialize(history)).length <= HISTORY_BYTES);
    assert.equal(history.length, 12, 'entries stay; their keys went');
    assert.ok(history[0]?.keys, 'the newest keeps its keys');
    assert.equal(history.at(-1)?.keys, undefined, 'the oldest lost them first');

    assert.equal(problemKeys(lint({ 'big.js': Array.from({ length: MAX_KEYS + 1 }, (_, i) => problem('r', `m${i}`)) })), undefined, 'a run with too many problems keeps none');
  });

  it('reads back only what is valid: corrupt, foreign or hostile files give an empty or partial history, never a throw', () => {
    const good = recordRun([], run('S', problemKeys(lint({ 'a.js': [problem('semi', 'x')] })), { finishedAt: 1_700_000_000_000, folders: 'ws' }));
    assert.deepEqual(parseHistory(JSON.parse(JSON.stringify(serialize(good)))), good, 'a round trip through the file keeps everything');
    for (const raw of [null, 42, 'text', [], {}, { version: 2, runs: good }, { version: 1, runs: {} }]) assert.deepEqual(parseHistory(raw), []);
    const hostile = {
      version: 1,
      runs: [
        { ...good[0], label: '<img src=x onerror=alert(1)>\u0007', id: 7 },
        { ...good[0], id: 8, phase: 'exploded' },
        { ...good[0], id: 9, files: -1 },
        { ...good[0], id: 10, scope: '../../etc' },
        { ...good[0], id: 11, keys: ['not a key'], problems: 'many' },
        { ...good[0], id: 7 },
        { ...good[0], id: 12, label: 'x'.repeat(5000) },
        '__proto__',
      ],
    };
    // As JSON.parse makes it: `__proto__` an own key of the entry, not its prototype.
    const proto = JSON.stringify({ ...good[0], id: 13 }).replace(/^\{/, '{"__proto__":{"polluted":true},');
    const read = parseHistory(JSON.parse(`${JSON.stringify(hostile).slice(0, -2)},${proto}]}`));
    assert.deepEqual(read.map((r) => r.id), [7, 11, 13], 'bad phases, counts, scopes, duplicate ids and huge labels are dropped, one by one');
    assert.equal(read[0]?.label, '<img src=x onerror=alert(1)> ', 'a label stays text (the panel renders it as text); control characters go');
    assert.equal(read[1]?.keys, undefined, 'malformed keys are dropped, and the entry kept without them');
    assert.equal(read[1]?.problems, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(read[2]), Object.prototype);
  });
});

describe('run recorder (what the panel compares)', () => {
  const folder = { uri: { toString: () => 'file:///ws' }, name: 'ws', index: 0 } as unknown as RunRequest['targets'][number]['folder'];
  const request = (only?: string[]): RunRequest => ({ kind: 'lint', label: 'Lint (changed files)', options: {}, targets: [{ folder, paths: [], ...(only ? { only } : {}) }] });
  const results = { view: 'problems' } as unknown as AnyTaskKind['results'];
  const finished = { kind: 'lint' as const, view: 'problems' as const, label: 'Lint (changed files)', files: 1, durationMs: 10, phase: 'completed' as const };
  const ok = { status: 'ok' as const, value: {} };

  it('does not count a file the tool failed on as fixed, and keeps the previous run as the baseline', () => {
    const recorder = new RunRecorder((p) => p, () => undefined);
    recorder.start(request(), results);
    recorder.fileDone('/ws/a.js', 5, ok);
    recorder.finish(finished, lint({ 'a.js': [problem('semi', 'Missing semicolon'), problem('eqeqeq', 'Expected ===')] }));
    recorder.start(request(), results);
    recorder.fileDone('/ws/a.js', 5, { status: 'error', message: 'worker crashed' });
    const failed = recorder.finish(finished, lint({}));
    assert.equal(failed.fixedProblems, undefined, 'a file that failed has no problems listed: nothing was fixed');
    recorder.start(request(), results);
    recorder.fileDone('/ws/a.js', 5, ok);
    const next = recorder.finish(finished, lint({ 'a.js': [problem('semi', 'Missing semicolon')] }));
    assert.deepEqual([next.newProblems, next.fixedProblems], [0, 1], 'compared with the last run that checked every file');
  });

  it('compares changed-files runs only over the same set of files', () => {
    const recorder = new RunRecorder((p) => p, () => undefined);
    recorder.start(request(['/ws/a.js']), results);
    recorder.finish(finished, lint({ 'a.js': [problem('semi', 'Missing semicolon')] }));
    recorder.start(request(['/ws/b.js']), results);
    const other = recorder.finish(finished, lint({}));
    assert.equal(other.fixedProblems, undefined, 'a.js left the changed files; its problem was not fixed');
    recorder.start(request(['/ws/a.js']), results);
    const same = recorder.finish(finished, lint({}));
    assert.equal(same.fixedProblems, 1);
  });
});

describe('timings', () => {
  it('keeps the slowest files and sums rule times over files', () => {
    const tally = new TimingTally(3);
    for (let i = 0; i < 100; i++) tally.add(`/f${i}.js`, i, { fast: 0.1, slow: i === 42 ? 500 : 1 });
    tally.add('/bad.js', Number.NaN);
    assert.deepEqual(tally.slowestFiles().map((f) => f.path), ['/f99.js', '/f98.js', '/f97.js']);
    assert.equal(tally.timed, 100);
    const [slow, fast] = tally.slowestRules();
    assert.deepEqual([slow?.rule, slow?.ms, slow?.files], ['slow', 599, 100]);
    assert.equal(fast?.rule, 'fast');
  });

  it('reads ESLint\'s stats: per rule, over every pass; a result without them gives none', () => {
    const result = { stats: { times: { passes: [{ rules: { semi: { total: 2 }, eqeqeq: { total: 1 } } }, { rules: { semi: { total: 3 }, __proto__: { total: 1 } } }] } } } as unknown as ESLint.LintResult;
    const times = eslintRuleTimes(result);
    assert.deepEqual({ ...times }, { semi: 5, eqeqeq: 1 });
    assert.equal(eslintRuleTimes({} as ESLint.LintResult), undefined);
  });

  it('shows a speedup only for two or more workers that processed files and a second or more of work', () => {
    const snapshot = (workers: number, serialEstimateMs: number, idle = 0) => ({
      workers: Array.from({ length: workers + idle }, (_, i) => ({ filesDone: i < workers ? 3 : 0 }) as never),
      timings: { serialEstimateMs, speedup: 0.75 } as never,
    });
    assert.equal(meaningfulSpeedup(snapshot(1, 60_000)), undefined, 'one worker: its "0.75×" is the pool\'s overhead');
    assert.equal(meaningfulSpeedup(snapshot(1, 60_000, 3)), undefined, 'four workers of which one got every file: the same');
    assert.equal(meaningfulSpeedup(snapshot(4, 300)), undefined, 'too little work to measure');
    assert.equal(meaningfulSpeedup(snapshot(2, 1000)), 0.75);
  });
});
