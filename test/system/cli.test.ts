import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliScript, fixturesDir, repoRoot, scratchFolders, tempDir } from '../helpers/files';
import { runTool, spawnCli, type CliRun } from './cli';

/** Each test run keeps its result caches in a folder of its own, so runs do not see each other's. */
const cacheHome = tempDir('pt-cache-');
after(() => cacheHome.cleanup());

function cli(args: string[], cwd: string): CliRun {
  return spawnCli(args, cwd, { env: { ...process.env, XDG_CACHE_HOME: cacheHome.dir } });
}

const lintFixture = path.join(fixturesDir, 'lint-basic');
const codemod = (name: string): string => path.join(repoRoot, 'test/fixtures/codemods', name);

describe('the parallel-tasks CLI (spawned)', () => {
  const scratch = scratchFolders();

  it('lint --format json prints exactly what `eslint --format json` prints, and exits 1 on errors', () => {
    const ours = cli(['lint', '--format', 'json', '--workers', '2'], lintFixture);
    const eslint = runTool('eslint/bin/eslint.js', ['--format', 'json', '.'], lintFixture);
    assert.equal(ours.status, 1, ours.stderr);
    assert.equal(ours.stdout, eslint.stdout);
    // Off a terminal stdout holds only the report; stderr names the one file the config ignores.
    assert.equal(ours.stderr, 'skipped: ignored/skip.js: ignored by the ESLint configuration\n');
  });

  it('gives the same lint output in-process (--workers 0) and with one worker', () => {
    const inProcess = cli(['lint', '--format', 'json', '--workers', '0'], lintFixture);
    const oneWorker = cli(['lint', '--format', 'json', '--workers', '1'], lintFixture);
    assert.equal(inProcess.stdout, oneWorker.stdout);
    assert.equal(inProcess.status, 1);
  });

  it('lint prints ESLint\'s stylish report by default and exits 0 on a clean file', () => {
    const dirty = cli(['lint', 'src/problems.js'], lintFixture);
    const eslint = runTool('eslint/bin/eslint.js', ['src/problems.js'], lintFixture);
    assert.equal(dirty.stdout, eslint.stdout);
    const clean = cli(['lint', 'src/clean.js'], lintFixture);
    assert.equal(clean.status, 0);
    assert.equal(clean.stdout, '');
    assert.match(clean.stderr, /Linted 1 file with no workers \(small run \(about \d+ ms of work\): not worth starting workers\) in/);
    const pooled = cli(['lint', 'src/clean.js', '--workers', '1', '--no-cache'], lintFixture);
    assert.match(pooled.stderr, /Linted 1 file with 1 worker in [\d.]+ s; [\d.]+ files\/s/, 'an explicit --workers is honoured');
    // One worker cannot beat one thread: a "speedup 0.75×" there would only measure the pool's overhead.
    assert.doesNotMatch(pooled.stderr, /speedup/);
  });

  it('lint --timing lists the slowest files and, by ESLint\'s own rule times, the slowest rules: a busy-waiting rule comes first', () => {
    // local/busy spins 1 s on src/slow.js (more than loading ESLint and its config costs a worker's first file) and 20 ms on every other file (test/fixtures/projects/slow-rule).
    const project = path.join(fixturesDir, 'slow-rule');
    const cache = path.join(scratch({}), 'cache.json');
    const run = cli(['lint', '--timing', '--workers', '2', '--cache-location', cache], project);
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stderr.split('\n');
    const files = lines.indexOf(lines.find((l) => l.startsWith('Slowest files (')) ?? '');
    assert.ok(files >= 0, run.stderr);
    assert.match(lines[files] ?? '', /^Slowest files \(6 of 6 timed\):$/);
    assert.match(lines[files + 1] ?? '', /^ +(\d+\.\d) ms {2}src\/slow\.js$/, `the file the rule spins longest on is first:\n${run.stderr}`);
    assert.ok(Number(/(\d+\.\d) ms/.exec(lines[files + 1] ?? '')?.[1]) >= 1000, 'with at least the 1000 ms the rule spent on it');
    const rules = lines.findIndex((l) => l.startsWith('Slowest rules ('));
    assert.match(lines[rules] ?? '', /^Slowest rules \(ESLint's own times, summed over 6 files\):$/);
    const first = /^ +(\d+\.\d) ms +(\d+\.\d)% {2}(\S+)$/.exec(lines[rules + 1] ?? '');
    assert.equal(first?.[3], 'local/busy', run.stderr);
    assert.ok(Number(first?.[1]) >= 1000 + 5 * 20 && Number(first?.[2]) > 90, `the rule's own time summed over the files: ${lines[rules + 1]}`);
    assert.ok(lines.slice(rules + 2).some((l) => / eqeqeq$/.test(l)), 'the project\'s other rules are listed after it');
    // ESLint's stylish report on stdout is what it is without --timing.
    assert.equal(run.stdout, cli(['lint', '--no-cache'], project).stdout);

    // Answered from the cache, nothing is timed, and the output says so rather than listing zeros.
    const again = cli(['lint', '--timing', '--workers', '2', '--cache-location', cache], project);
    assert.match(again.stderr, /Timing: no file was processed in this run; 6 answered from the cache were not timed \(--no-cache times every file\)\./);
    // Without --timing, ESLint collects no rule times and nothing is listed.
    assert.doesNotMatch(cli(['lint', '--no-cache'], project).stderr, /Slowest/);
  });

  it('lint --format sarif writes SARIF 2.1.0 with one result per ESLint message', () => {
    const run = cli(['lint', '--format', 'sarif'], lintFixture);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { results: { ruleId: string }[]; tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] };
    const eslint = JSON.parse(cli(['lint', '--format', 'json'], lintFixture).stdout) as { messages: unknown[] }[];
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0]?.results.length, eslint.reduce((n, r) => n + r.messages.length, 0));
    assert.ok(sarif.runs[0]?.tool.driver.rules.some((r) => r.id === 'eqeqeq' && r.helpUri?.includes('eqeqeq')));
  });

  it('answers unchanged files from the cache, re-lints what a config change affects, and --no-cache processes everything', () => {
    const dir = scratch({ 'a.js': 'let a = 1;\nexport { a };\n', 'b.js': 'export const b = 1 == 2;\n', 'eslint.config.mjs': 'export default [{ rules: { eqeqeq: "error" } }];\n' });
    const first = cli(['lint', '--format', 'json', '--workers', '1'], dir);
    const second = cli(['lint', '--format', 'json', '--workers', '1'], dir);
    assert.equal(second.stdout, first.stdout, 'the same report from the cache');
    assert.match(cli(['lint', '--workers', '1'], dir).stderr, /; 3 from cache/);
    // A config change invalidates the files it governs: the new rule shows up at once.
    writeFileSync(path.join(dir, 'eslint.config.mjs'), 'export default [{ rules: { eqeqeq: "error", "prefer-const": "error" } }];\n');
    assert.doesNotMatch(cli(['lint', '--workers', '1'], dir).stderr, /from cache/, 'every file is linted again');
    assert.match(cli(['lint', '--format', 'json', '--workers', '1'], dir).stdout, /prefer-const/);
    assert.doesNotMatch(cli(['lint', '--no-cache', '--workers', '1'], dir).stderr, /from cache/);
  });

  it('exits 2 with a one-line explanation on usage and configuration errors', () => {
    const dir = scratch({ 'a.js': 'let a = 1;\n' });
    const cases: [string[], RegExp][] = [
      [['lint', '--bogus'], /unknown option '--bogus'/],
      [['lint', '--workers', 'many'], /--workers must be a whole number/],
      [['lint', '--isolation', 'vm'], /--isolation must be auto, thread or process/],
      [['lint', '--format', 'xml'], /Allowed choices are pretty, json, sarif/],
      [['lint', '--config', 'missing.mjs'], /--config file not found: missing.mjs/],
      [['transform'], /choose exactly one of --prettier/],
      [['transform', '--replace', '(', '--with', 'x'], /not a valid regular expression/],
      [['transform', '--prettier', '--check', '--write'], /only one of --check, --diff, --write/],
      [['transform', '--codemod', 'nope.js'], /--codemod file not found/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const run = cli(args, dir);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
    }
    writeFileSync(path.join(dir, 'eslint.config.mjs'), 'export default [{ rules: { semi: ["error", "sometimes-maybe"] } }];\n');
    const broken = cli(['lint'], dir);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /^parallel-tasks: ESLint configuration could not be loaded: /);
  });

  it('analyze --format json has the documented shape, with absolute paths', () => {
    const dir = path.join(fixturesDir, 'analyze');
    const run = cli(['analyze', '--format', 'json'], dir);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      files: { path: string; lines: Record<string, number>; functions: { name: string; line: number; column: number; complexity: number }[]; maxNesting: number; imports: string[]; todos: number }[];
      totals: { files: number; functions: number; hotspots: unknown[] };
    };
    assert.equal(report.files.length, 3);
    for (const file of report.files) {
      assert.ok(path.isAbsolute(file.path));
      assert.deepEqual(Object.keys(file), ['path', 'lines', 'functions', 'maxNesting', 'imports', 'todos']);
      assert.deepEqual(Object.keys(file.lines), ['total', 'code', 'comment', 'blank']);
      for (const fn of file.functions) assert.deepEqual(Object.keys(fn), ['name', 'line', 'column', 'complexity']);
    }
    assert.equal(report.totals.files, 3);
    assert.equal(report.totals.functions, report.files.reduce((n, f) => n + f.functions.length, 0));
    assert.ok(report.totals.hotspots.length > 0);
  });

  it('analyze exits 1 and names the file when a file cannot be parsed', () => {
    const dir = scratch({ 'ok.js': 'export const a = 1;\n', 'bad.js': 'const = ;\n' });
    const run = cli(['analyze'], dir);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /error: bad\.js: Parse error at 1:\d+/);
  });

  it('transform --check exits 1 when a file would change and 0 when none would', () => {
    const dir = scratch({ 'a.js': 'const a = {b:1}\n', 'b.js': 'const b = 1;\n' });
    const check = cli(['transform', '--prettier', '--check', 'a.js', 'b.js'], dir);
    assert.equal(check.status, 1);
    assert.equal(check.stdout, 'would change a.js\n');
    const clean = cli(['transform', '--prettier', '--check', 'b.js'], dir);
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal(readFileSync(path.join(dir, 'a.js'), 'utf8'), 'const a = {b:1}\n', '--check writes nothing');
  });

  it('transform --diff prints a unified diff and --format json the documented shape', () => {
    const dir = scratch({ 'a.js': 'const a = {b:1}\n', 'b.js': 'const b = 1;\n' });
    const diff = cli(['transform', '--prettier', '--diff'], dir);
    assert.equal(diff.status, 0);
    assert.match(diff.stdout, /^--- a\/a\.js\n\+\+\+ b\/a\.js\n@@ -1,1 \+1,1 @@\n-const a = \{b:1\}\n\+const a = \{ b: 1 \};\n$/m);
    const json = JSON.parse(cli(['transform', '--prettier', '--format', 'json'], dir).stdout) as { files: { path: string; changed: boolean }[]; summary: Record<string, number> };
    assert.deepEqual(json.files, [
      { path: path.join(dir, 'a.js'), changed: true },
      { path: path.join(dir, 'b.js'), changed: false },
    ]);
    assert.equal(json.summary.changed, 1);
    assert.equal(json.summary.failed, 0);
  });

  it('transform --write writes atomically and keeps the file mode', () => {
    const dir = scratch({ 'tool.js': 'const old = 1;\n' });
    chmodSync(path.join(dir, 'tool.js'), 0o755);
    const run = cli(['transform', '--replace', 'old', '--with', 'fresh', '--write'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(path.join(dir, 'tool.js'), 'utf8'), 'const fresh = 1;\n');
    assert.equal(statSync(path.join(dir, 'tool.js')).mode & 0o777, 0o755);
  });

  it('transform --write refuses a file that changed on disk after it was read, and says so', () => {
    const dir = scratch({ 'edited.js': '// EDIT_ME old\n', 'other.js': 'const old = 2;\n' });
    const run = cli(['transform', '--codemod', codemod('edit-underneath.js'), '--write', '--format', 'json'], dir);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { files: { path: string; changed: boolean; error?: string }[] };
    const edited = report.files.find((f) => f.path.endsWith('edited.js'));
    assert.match(edited?.error ?? '', /changed on disk since it was read; not written/);
    assert.equal(readFileSync(path.join(dir, 'edited.js'), 'utf8'), '// the user edited this\n', "the user's edit survives");
    assert.equal(readFileSync(path.join(dir, 'other.js'), 'utf8'), 'const new = 2;\n');
  });

  it('survives a codemod that kills its worker: the other files are transformed and that file is reported', () => {
    const files: Record<string, string> = { 'killer.js': '// EXIT_HERE old\n' };
    for (let i = 0; i < 12; i++) files[`f${i}.js`] = `const old${i} = ${i};\n`;
    const dir = scratch(files);
    const run = cli(['transform', '--codemod', codemod('exit-on-marker.js'), '--write', '--workers', '2'], dir);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /error: killer\.js: The worker crashed while processing this file, 2 times/);
    for (let i = 0; i < 12; i++) assert.equal(readFileSync(path.join(dir, `f${i}.js`), 'utf8'), `const new${i} = ${i};\n`);
    assert.equal(readFileSync(path.join(dir, 'killer.js'), 'utf8'), '// EXIT_HERE old\n');
  });

  it('runs codemods in worker processes by default: one that calls process.abort() costs one file, not the CLI', () => {
    const files: Record<string, string> = { 'aborts.js': '// ABORT_HERE old\n' };
    for (let i = 0; i < 8; i++) files[`f${i}.js`] = `const old${i} = ${i};\n`;
    const dir = scratch(files);
    const run = cli(['transform', '--codemod', codemod('abort-on-marker.js'), '--write'], dir);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /error: aborts\.js: The worker crashed while processing this file, 2 times \(the worker was killed by SIGABRT\)/);
    assert.match(run.stderr, /Transformed 9 files with \d+ worker process(es)? in/);
    for (let i = 0; i < 8; i++) assert.equal(readFileSync(path.join(dir, `f${i}.js`), 'utf8'), `const new${i} = ${i};\n`);
  });

  it('a native crash (SIGSEGV) costs one file in worker processes, and the whole CLI in worker threads', () => {
    const files: Record<string, string> = { 'crashes.js': '// SEGFAULT_HERE old\n' };
    for (let i = 0; i < 8; i++) files[`f${i}.js`] = `const old${i} = ${i};\n`;
    const isolated = scratch(files);
    const run = cli(['transform', '--codemod', codemod('segfault-on-marker.js'), '--write', '--isolation', 'process'], isolated);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /error: crashes\.js: The worker crashed while processing this file, 2 times \(the worker was killed by SIGSEGV\)/);
    for (let i = 0; i < 8; i++) assert.equal(readFileSync(path.join(isolated, `f${i}.js`), 'utf8'), `const new${i} = ${i};\n`);
    // With threads the signal hits the CLI's own process: that is what process isolation is for.
    const threaded = cli(['transform', '--codemod', codemod('segfault-on-marker.js'), '--write', '--isolation', 'thread'], scratch(files));
    assert.equal(threaded.signal, 'SIGSEGV');
  });

  it('stops a codemod that cannot be loaded with exit 2', () => {
    const dir = scratch({ 'a.js': 'x\n', 'mod.js': 'module.exports = function (' });
    const run = cli(['transform', '--codemod', 'mod.js', 'a.js'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Codemod .*mod\.js could not be loaded/);
  });

  it('shows a live progress display with one line per worker on a terminal, and none off it', () => {
    // Enough files that the run outlasts the display's first frames (three files take oxc's parser a few ms).
    const { dir, cleanup } = tempDir('pt-progress-');
    for (let i = 0; i < 3000; i++) writeFileSync(path.join(dir, `f${i}.js`), `export function f${i}(a) {\n  if (a > ${i}) return a;\n  return ${i};\n}\n`);
    // --no-cache: a run answered from the cache ends before the first frame of the display.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cliScript)} analyze --workers 2 --no-cache`;
    const tty = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    assert.equal(tty.status, 0, tty.stderr);
    assert.match(tty.stdout, /files\/s/);
    assert.match(tty.stdout, /worker 1:/);
    assert.match(tty.stdout, /worker 2:/);
    const piped = cli(['analyze', '--workers', '2', '--no-cache'], dir);
    assert.doesNotMatch(piped.stdout + piped.stderr, /worker 1:/);
    cleanup();
  });
});

