import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileMatcher } from '../../src/tasks/custom/matchers';
import { cliScript, repoRoot, tempDir, writeFiles } from './helpers';

interface RunJson {
  task: string;
  problems: { file: string; line: number; column: number; severity: string; message: string; code?: string }[];
  errors: { path: string; error: string }[];
}

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'commands', name);

/**
 * Custom tasks: external programs run over the workspace by the same engine,
 * from `.vscode/parallel-tasks.json`, through the real CLI.
 */
describe('custom tasks (external commands)', function () {
  this.timeout(120_000);
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function project(tasks: unknown[], files: Record<string, string>): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, files);
    mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    // Comments and trailing commas are allowed, as in VS Code's own JSON files.
    writeFileSync(path.join(dir, '.vscode', 'parallel-tasks.json'), `// tasks for the test\n${JSON.stringify({ tasks }, null, 2).replace(/\n\}$/, ',\n}')}\n`);
    return dir;
  }

  function run(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string; json?: RunJson } {
    const result = spawnSync(process.execPath, [cliScript, 'run', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
    let json: RunJson | undefined;
    try {
      json = JSON.parse(result.stdout) as RunJson;
    } catch {
      json = undefined;
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, json };
  }

  it('never runs more invocations at once than its concurrency, and hands each file to exactly one batch', () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`src/f${String(i).padStart(2, '0')}.txt`, 'x']));
    const log = path.join(tempDir().dir, 'invocations.log');
    const dir = project([{ name: 'record', command: [process.execPath, fixture('record.js'), '--log', log, '${files}'], include: ['src/**/*.txt'], batchSize: 3, concurrency: 2, problemMatcher: '$gcc' }], files);
    const result = run(dir, ['record', '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const events = readFileSync(log, 'utf8').trim().split('\n').map((line) => {
      const [what, pid, at, ...rest] = line.split(' ');
      return { what, pid, at: Number(at), files: JSON.parse(rest.join(' ')) as string[] };
    });
    let running = 0;
    let peak = 0;
    for (const event of [...events].sort((a, b) => a.at - b.at || (a.what === 'end' ? -1 : 1))) {
      running += event.what === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    assert.equal(peak, 2, 'two invocations ran at once, never three');
    const starts = events.filter((e) => e.what === 'start');
    assert.ok(starts.every((e) => e.files.length >= 1 && e.files.length <= 3), 'batches of at most 3 files');
    assert.deepEqual(starts.flatMap((e) => e.files).sort(), Object.keys(files).sort(), 'every file in exactly one batch');
    assert.equal(result.json?.problems.length, 20);
  });

  it('reads problems with a matcher exactly as the tool itself reports them (stylelint, unix format vs its JSON)', () => {
    const css = {
      'styles/a.css': 'a { color: #ggg; }\nb {}\n',
      'styles/b.css': '.x { color: red; color: blue; }\n',
      'styles/clean.css': '.ok { margin: 0; }\n',
    };
    const config = 'export default { rules: { "color-no-invalid-hex": true, "block-no-empty": true, "declaration-block-no-duplicate-properties": [true, { severity: "warning" }] } };\n';
    const stylelint = path.join(repoRoot, 'node_modules', 'stylelint', 'bin', 'stylelint.mjs');
    const dir = project([{ name: 'stylelint', command: [process.execPath, stylelint, '--formatter', 'unix', '${files}'], include: ['**/*.css'], batchSize: 2, problemMatcher: '$unix' }], { ...css, 'stylelint.config.mjs': config });
    const result = run(dir, ['stylelint', '--format', 'json']);
    assert.equal(result.status, 1, 'errors were found');
    const own = spawnSync(process.execPath, [stylelint, '--formatter', 'json', ...Object.keys(css)], { cwd: dir, encoding: 'utf8' });
    const reference = (JSON.parse(own.stdout || own.stderr) as { source: string; warnings: { line: number; column: number; severity: string; text: string }[] }[])
      .flatMap((r) => r.warnings.map((w) => `${path.relative(dir, r.source)}:${w.line}:${w.column} ${w.severity} ${w.text}`))
      .sort();
    const parsed = (result.json?.problems ?? []).map((p) => `${path.relative(dir, p.file)}:${p.line}:${p.column} ${p.severity} ${p.message}${p.code ? ` (${p.code})` : ''}`).sort();
    assert.ok(reference.length >= 3);
    assert.deepEqual(parsed, reference);
  });

  it('kills a command that overruns its timeout together with the processes it started', () => {
    const pids = path.join(tempDir().dir, 'pids');
    const dir = project([{ name: 'hang', command: [process.execPath, fixture('hang.js'), pids, '${file}'], include: ['*.txt'], timeoutSeconds: 1, problemMatcher: '$gcc' }], { 'only.txt': 'x' });
    const started = Date.now();
    const result = run(dir, ['hang', '--format', 'json']);
    assert.ok(Date.now() - started < 20_000);
    assert.equal(result.status, 1);
    assert.match(result.json?.errors[0]?.error ?? '', /timed out after 1 s; killed with its child processes/);
    assert.ok(existsSync(pids));
    const spawned = readFileSync(pids, 'utf8').trim().split(/\s+/).map(Number);
    assert.equal(spawned.length, 4, 'tried twice (the file alone the second time), each with a grandchild');
    for (const pid of spawned) assert.equal(alive(pid), false, `process ${pid} is gone`);
  });

  for (const shell of [false, true]) {
    it(`passes file names with spaces, quotes, $, backticks and a leading dash intact (${shell ? 'through /bin/sh' : 'no shell'})`, () => {
      const names = ['a b.txt', "it's.txt", '$HOME.txt', '-rf.txt', 'semi;colon.txt', 'back`tick`.txt', 'quote".txt'];
      const files = Object.fromEntries(names.map((n) => [n, 'x']));
      const command = shell ? `${JSON.stringify(process.execPath)} ${JSON.stringify(fixture('record.js'))} \${files}` : [process.execPath, fixture('record.js'), '${files}'];
      const dir = project([{ name: 'echo', command, shell, include: ['*.txt'], batchSize: 4, problemMatcher: '$gcc' }], files);
      const result = run(dir, ['echo', '--format', 'json'], { RECORD_SLEEP_MS: '0' });
      assert.equal(result.status, 0, result.stderr);
      const got = (result.json?.problems ?? []).map((p) => [path.basename(p.file), p.message]).sort();
      const expected = names.map((n) => [n, `got ${JSON.stringify(n.startsWith('-') ? `./${n}` : n)}`]).sort();
      assert.deepEqual(got, expected);
    });
  }

  it('says clearly when the program does not exist, the task is unknown, or the file is invalid', () => {
    const dir = project([{ name: 'missing', command: ['definitely-not-a-program-xyz', '${file}'], include: ['*.txt'], problemMatcher: '$gcc' }], { 'a.txt': 'x' });
    const missing = run(dir, ['missing', '--format', 'json']);
    assert.equal(missing.status, 1);
    assert.equal(missing.json?.errors[0]?.error, 'Command not found: definitely-not-a-program-xyz');
    const unknown = run(dir, ['nope']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no task named "nope" in \.vscode\/parallel-tasks\.json \(there are: missing\)/);
    const bad = project([{ name: 'bad', command: 'echo ${file}', include: ['*'], problemMatcher: '$gcc', extra: 1 }], {});
    const invalid = run(bad, ['bad']);
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /parallel-tasks\.json: tasks\.0/);
  });

  it('named matchers read the formats they are named after', () => {
    const cwd = '/w';
    assert.deepEqual(compileMatcher('$tsc').match('src/a.ts(3,7): error TS2322: Type \'string\' is not assignable to type \'number\'.', cwd), [
      { file: '/w/src/a.ts', line: 3, column: 7, severity: 'error', message: "Type 'string' is not assignable to type 'number'.", code: 'TS2322' },
    ]);
    assert.deepEqual(compileMatcher('$eslint-compact').match('/w/b.js: line 2, col 5, Warning - Unexpected console statement. (no-console)', cwd), [
      { file: '/w/b.js', line: 2, column: 5, severity: 'warning', message: 'Unexpected console statement.', code: 'no-console' },
    ]);
    assert.deepEqual(compileMatcher({ regexp: '^(?<file>[^|]+)\\|(?<message>.+)$', severity: 'info' }).match('c.sh|quote this\nnoise', cwd), [
      { file: '/w/c.sh', line: 1, column: 1, severity: 'info', message: 'quote this' },
    ]);
  });
});

/** Whether a process still runs: a zombie (killed, not yet reaped by its new parent) does not count. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
