import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliScript, repoRoot, tempDir, writeFiles } from '../helpers/files';
import { alive } from '../helpers/exits';

interface RunJson {
  task: string;
  problems: { file: string; line: number; column: number; severity: string; message: string; code?: string }[];
  errors: { path: string; error: string }[];
  skipped: { path: string; reason: string }[];
  invocations: { files: string[]; status: string; error?: string; exitCode: number | null; signal: string | null; output: string; truncated: boolean }[];
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

  /** A temporary folder for a tool's log, removed after the test. */
  function scratch(): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    return dir;
  }

  function project(tasks: unknown[], files: Record<string, string | Buffer>): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, files);
    mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    // Comments and trailing commas are allowed, as in VS Code's own JSON files.
    writeFileSync(path.join(dir, '.vscode', 'parallel-tasks.json'), `// tasks for the test\n${JSON.stringify({ tasks }, null, 2).replace(/\n\}$/, ',\n}')}\n`);
    return dir;
  }

  function run(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string; json?: RunJson } {
    // The time limit ends a CLI that hangs (a test then fails instead of blocking the suite); the buffer holds 100,000 problems.
    const result = spawnSync(process.execPath, [cliScript, 'run', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 100_000, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024 });
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
    const log = path.join(scratch(), 'invocations.log');
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
    // a.css: an invalid hex colour and an empty block; b.css: a duplicate property.
    assert.equal(reference.length, 3);
    assert.deepEqual(parsed, reference);
  });

  it('kills a command that overruns its timeout together with the processes it started', () => {
    const pids = path.join(scratch(), 'pids');
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

  describe('file names and the shell', () => {
    // Each would run `touch PWNED` (or break the argument) if a name became script text.
    const hostile = ['$(touch PWNED).txt', '`touch PWNED`.txt', 'a;touch PWNED;b.txt', "it's.txt", 'quote".txt', 'new\nline.txt', '-rf.txt', 'a b.txt', '${file}.txt', '$HOME.txt'];
    const asPassed = (name: string): string => (name.startsWith('-') ? `./${name}` : name);
    const node = JSON.stringify(process.execPath);
    const argv = JSON.stringify(fixture('argv.js'));
    const templates: { template: string; expected: (name: string) => string[] }[] = [
      { template: '${files}', expected: (n) => [n] },
      { template: '${file}', expected: (n) => [n] },
      { template: '--file=${file} ${files}', expected: (n) => [`--file=${n}`, n] },
      { template: '"${file}" x${file}y', expected: (n) => [n, `x${n}y`] },
      { template: `"$(printf '%s' \${file})"`, expected: (n) => [n] },
    ];
    for (const { template, expected } of templates) {
      it(`runs no name as code and passes each intact with "shell": true: ${template}`, () => {
        const log = path.join(scratch(), 'argv.log');
        const dir = project([{ name: 'args', command: `${node} ${argv} ${JSON.stringify(log)} ${template}`, shell: true, include: ['*.txt'], problemMatcher: '$gcc', batchSize: 20 }], Object.fromEntries(hostile.map((n) => [n, 'x'])));
        const result = run(dir, ['args', '--format', 'json']);
        assert.equal(result.status, 0, result.stderr);
        assert.equal(existsSync(path.join(dir, 'PWNED')), false, 'no name ran as a command');
        const received = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as string[]);
        if (template.includes('${files}') && !template.includes('${file} ')) assert.equal(received.length, 1, 'one invocation for the batch');
        const got = received.flatMap((args) => (template === '${files}' ? args.map((a) => [a]) : [args])).map((a) => JSON.stringify(a)).sort();
        assert.deepEqual(got, hostile.map((n) => JSON.stringify(expected(asPassed(n)))).sort());
      });
    }

    it('refuses a placeholder where the name could not be kept whole, saying why (shell and no shell)', () => {
      const cases: { command: string | string[]; message: RegExp }[] = [
        { command: "echo '${file}'", message: /\$\{file\} stands inside single quotes, where nothing expands: placeholders must stand outside quotes \(the file names are quoted for you\)/ },
        { command: 'echo "${files}"', message: /\$\{files\} stands inside double quotes: it must stand outside quotes, as a word of its own/ },
        { command: 'echo --all=${files}', message: /\$\{files\} must be a word of its own/ },
        { command: 'echo `cat ${file}`', message: /\$\{file\} stands inside backticks/ },
        { command: 'echo $((${file} + 1))', message: /\$\{file\} stands inside \$\(\(…\)\)/ },
        { command: 'echo "${file}', message: /unterminated double quote/ },
        { command: ['echo', '--all=${files}'], message: /\$\{files\} must be an argument of its own \(it becomes one argument per file\), not part of "--all=\$\{files\}"/ },
        // A second shell reads the name as code however the first one quoted it.
        { command: 'sh -c "cat ${file}"', message: /"sh -c" would read the file names as code: pass them as arguments instead/ },
        { command: 'bash -ec ${file}', message: /"bash -ec" would read the file names as code/ },
        { command: 'eval echo ${file}', message: /"eval" would read the file names as code/ },
        { command: ['sh', '-c', 'cat ${file}'], message: /the script given to sh -c would read the file names as code/ },
        { command: ['/bin/bash', '-c', 'cat "${files}"'], message: /the script given to \/bin\/bash -c would read the file names as code/ },
      ];
      for (const { command, message } of cases) {
        const dir = project([{ name: 'bad', command, shell: typeof command === 'string', include: ['*.txt'], problemMatcher: '$gcc' }], { 'a.txt': 'x' });
        const result = run(dir, ['bad']);
        assert.equal(result.status, 2, `${JSON.stringify(command)} is refused`);
        assert.match(result.stderr, /Task "bad": /);
        assert.match(result.stderr, message);
      }
    });
  });

  it('passes names as a second shell\'s own arguments (the safe idiom), and keeps $& $\' $` in a name glued to text', () => {
    const marker = (dir: string): boolean => existsSync(path.join(dir, 'PWNED'));
    const names = ['$(touch PWNED).txt', 'a$&b.txt', "c$'d.txt", 'e$`f.txt'];
    const files = Object.fromEntries(names.map((n) => [n, 'x']));
    const echo = fixture('echo-args.js');
    for (const [command, shell] of [
      [`sh -c 'node "$0" "$@"' ${JSON.stringify(echo)} \${files}`, true],
      [['sh', '-c', 'node "$0" "$@"', echo, '${files}'], false],
      [[process.execPath, echo, '--file=${file}'], false],
    ] as const) {
      const dir = project([{ name: 'safe', command, shell, include: ['*.txt'] }], files);
      const result = run(dir, ['safe', '--format', 'json', '--verbose']);
      assert.equal(result.status, 0, `${JSON.stringify(command)}: ${result.stderr}`);
      assert.equal(marker(dir), false, 'no name ran as code');
      const output = (result.json?.invocations ?? []).map((i) => i.output).join('\n');
      for (const name of names) assert.ok(output.includes(name), `${JSON.stringify(command)} received ${name} intact:\n${output}`);
    }
  });

  it('kills a background process that keeps the output open after the command exited, at the time limit', () => {
    const pidFile = path.join(scratch(), 'sleep.pid');
    const dir = project([{ name: 'bg', command: `sleep 300 & echo $! > ${JSON.stringify(pidFile)}; echo started \${file}`, shell: true, include: ['*.txt'], problemMatcher: '$gcc', timeoutSeconds: 1 }], { 'a.txt': 'x' });
    const started = Date.now();
    const result = run(dir, ['bg', '--format', 'json']);
    assert.ok(Date.now() - started < 30_000, 'the run ended soon after the time limit, not with the background process');
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.json?.errors[0]?.error ?? '', /^bg exited with code 0, but processes it started kept its output open until the time limit \(1 s\); killed them$/);
    assert.match(result.json?.invocations[0]?.output ?? '', /started a\.txt/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(pid), false, `the background sleep ${pid} is gone`);
  });

  it('ends a background process that let go of the output when its invocation ends, even one that passed', async () => {
    const pidFile = path.join(scratch(), 'sleep.pid');
    const dir = project([{ name: 'bg', command: `sleep 77 >/dev/null 2>&1 </dev/null & echo $! > ${JSON.stringify(pidFile)}; echo seen \${file}`, shell: true, include: ['*.txt'] }], { 'a.txt': 'x' });
    const result = run(dir, ['bg']);
    assert.equal(result.status, 0, result.stderr);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // Killed at once; reaping by init may take a moment.
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(alive(pid), false, `the background sleep ${pid} is gone`);
  });

  it('fails an invocation that exits non-zero without reporting an error, or dies of a signal, whatever it printed', () => {
    const tool = (...options: string[]): string[] => [process.execPath, fixture('tool.js'), ...options, '${files}'];
    const dir = project(
      [
        { name: 'warns-exit-1', command: tool('--problem', 'warning', '--exit', '1'), include: ['*.txt'], problemMatcher: '$gcc' },
        { name: 'errors-exit-1', command: tool('--problem', 'error', '--exit', '1'), include: ['*.txt'], problemMatcher: '$gcc' },
        { name: 'dies', command: tool('--problem', 'error', '--signal', 'SIGTERM'), include: ['*.txt'], problemMatcher: '$gcc' },
      ],
      { 'a.txt': 'x', 'b.txt': 'x' },
    );
    const warns = run(dir, ['warns-exit-1', '--format', 'json']);
    assert.equal(warns.status, 1, 'a non-zero exit is never a pass');
    assert.deepEqual(warns.json?.errors.map((e) => [path.basename(e.path), e.error]), ['a.txt', 'b.txt'].map((f) => [f, 'warns-exit-1 exited with code 1 and reported no error (2 other problems, in its output): a.txt:1:1: warning: problem 1 b.txt:1:1: warning: problem 1']));
    assert.deepEqual(warns.json?.invocations.map((i) => [i.status, i.exitCode, i.output]), [['failed', 1, 'a.txt:1:1: warning: problem 1\nb.txt:1:1: warning: problem 1\n']]);
    const pretty = run(dir, ['warns-exit-1']);
    assert.equal(pretty.status, 1);
    assert.match(pretty.stderr, /; 2 failed; 0 errors, 0 other problems; 1 invocation failed\n$/);

    // Many linters exit 1 because they found errors: then the errors are the report (and the run exits 1 for them).
    const errors = run(dir, ['errors-exit-1', '--format', 'json']);
    assert.equal(errors.status, 1);
    assert.deepEqual(errors.json?.errors, []);
    assert.deepEqual(errors.json?.problems.map((p) => [path.basename(p.file), p.severity]), [['a.txt', 'error'], ['b.txt', 'error']]);
    assert.deepEqual(errors.json?.invocations.map((i) => [i.status, i.exitCode]), [['ok', 1]]);

    // Killed mid-way, its report may be partial, errors or not.
    const killed = run(dir, ['dies', '--format', 'json']);
    assert.equal(killed.status, 1);
    assert.match(killed.json?.errors[0]?.error ?? '', /^dies was killed by SIGTERM: a\.txt:1:1: error: problem 1/);
    assert.deepEqual(killed.json?.invocations.map((i) => [i.status, i.signal]), [['failed', 'SIGTERM']]);
  });

  it('reads 100,000 problems for one file in seconds', function () {
    this.timeout(30_000);
    const dir = project([{ name: 'many', command: [process.execPath, fixture('tool.js'), '--problem', 'warning', '--count', '100000', '${file}'], include: ['*.txt'], problemMatcher: '$gcc', maxOutputBytes: 64 * 1024 * 1024 }], { 'big.txt': 'x' });
    const result = run(dir, ['many', '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const problems = result.json?.problems ?? [];
    assert.equal(problems.length, 100_000);
    assert.equal(problems[99_999]?.line, 100_000);
  });

  it("shows a failed invocation's output (every invocation's with --verbose) and carries all of it in JSON", () => {
    const dir = project(
      [{ name: 'say', command: [process.execPath, fixture('tool.js'), '--say', 'hello from {file}', '--fail-if', 'bad', '${file}'], include: ['*.txt'], problemMatcher: '$gcc' }],
      { 'ok.txt': 'x', 'bad.txt': 'x' },
    );
    const pretty = run(dir, ['say']);
    assert.equal(pretty.status, 1);
    assert.match(pretty.stderr, /^error: bad\.txt: say exited with code 3 and reported no problems: hello from bad\.txt$/m);
    assert.match(pretty.stderr, /^output of say on bad\.txt \(failed, exit code 3\):\n {2}\| hello from bad\.txt\n/m);
    assert.doesNotMatch(pretty.stderr, /hello from ok\.txt/, 'the output of an invocation that passed is shown with --verbose only');
    const verbose = run(dir, ['say', '--verbose']);
    assert.match(verbose.stderr, /^output of say on ok\.txt \(ok, exit code 0\):\n {2}\| hello from ok\.txt\n/m);
    const json = run(dir, ['say', '--format', 'json']);
    const byFile = Object.fromEntries((json.json?.invocations ?? []).map((i) => [path.basename(i.files[0] ?? ''), [i.status, i.exitCode, i.output, i.truncated]]));
    assert.deepEqual(byFile, { 'ok.txt': ['ok', 0, 'hello from ok.txt\n', false], 'bad.txt': ['failed', 3, 'hello from bad.txt\n', false] });
  });

  it('without a problemMatcher, the exit code decides (and the JSON schema does not require one)', () => {
    const dir = project([{ name: 'check', command: [process.execPath, fixture('tool.js'), '--fail-if', 'bad', '${files}'], include: ['*.txt'] }], { 'a.txt': 'x' });
    const passes = run(dir, ['check', '--format', 'json']);
    assert.equal(passes.status, 0, passes.stderr);
    assert.deepEqual([passes.json?.problems, passes.json?.errors], [[], []]);
    writeFileSync(path.join(dir, 'bad.txt'), 'x');
    const fails = run(dir, ['check', '--format', 'json']);
    assert.equal(fails.status, 1);
    assert.deepEqual(fails.json?.errors.map((e) => [path.basename(e.path), e.error]), [['a.txt', 'check exited with code 3 and reported no problems'], ['bad.txt', 'check exited with code 3 and reported no problems']]);
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'parallel-tasks.schema.json'), 'utf8')) as { properties: { tasks: { items: { required: string[]; properties: Record<string, unknown> } } } };
    assert.deepEqual(schema.properties.tasks.items.required, ['name', 'command', 'include']);
    assert.ok(schema.properties.tasks.items.properties.problemMatcher);
  });

  describe('common options', () => {
    function peakConcurrency(log: string): number {
      let running = 0;
      let peak = 0;
      const events = readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' '));
      for (const [what] of events.sort((a, b) => Number(a[2]) - Number(b[2]) || (a[0] === 'end' ? -1 : 1))) {
        running += what === 'start' ? 1 : -1;
        peak = Math.max(peak, running);
      }
      return peak;
    }

    it('--workers N runs at most N invocations at once; 0 is refused', () => {
      const log = path.join(scratch(), 'invocations.log');
      const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, 'x']));
      const dir = project([{ name: 'record', command: [process.execPath, fixture('record.js'), '--log', log, '${file}'], include: ['*.txt'], problemMatcher: '$gcc', concurrency: 4 }], files);
      const one = run(dir, ['record', '--workers', '1']);
      assert.equal(one.status, 0, one.stderr);
      assert.equal(peakConcurrency(log), 1);
      const zero = run(dir, ['record', '--workers', '0']);
      assert.equal(zero.status, 2);
      assert.equal(zero.stderr, 'parallel-tasks: --workers 0 does not apply to run: custom tasks run as child processes; --workers N runs at most N at once\n');
    });

    it('--isolation, --cache-location, --cache-strategy and --include are refused; --no-cache is what run always does', () => {
      const dir = project([{ name: 'check', command: [process.execPath, fixture('tool.js'), '${files}'], include: ['*.txt'], problemMatcher: '$gcc' }], { 'a.txt': 'x' });
      const isolation = run(dir, ['check', '--isolation', 'process']);
      assert.equal(isolation.status, 2);
      assert.equal(isolation.stderr, 'parallel-tasks: --isolation does not apply to run: custom tasks run as child processes, not in workers\n');
      const location = run(dir, ['check', '--cache-location', 'x.json']);
      assert.equal(location.status, 2);
      assert.equal(location.stderr, 'parallel-tasks: --cache-location does not apply to run: results of custom tasks are never cached\n');
      const strategy = run(dir, ['check', '--cache-strategy', 'metadata']);
      assert.equal(strategy.status, 2);
      assert.match(strategy.stderr, /--cache-strategy does not apply to run/);
      // The task's include decides; --include would silently widen or replace it.
      const include = run(dir, ['check', '--include', '**/*.md']);
      assert.equal(include.status, 2);
      assert.match(include.stderr, /--include does not apply to run: the task's own include decides/);
      assert.equal(run(dir, ['check', '--no-cache']).status, 0);
    });

    it("--timeout replaces the task's time limit", () => {
      const pids = path.join(scratch(), 'pids');
      const dir = project([{ name: 'hang', command: [process.execPath, fixture('hang.js'), pids, '${file}'], include: ['*.txt'], problemMatcher: '$gcc', timeoutSeconds: 600 }], { 'only.txt': 'x' });
      const result = run(dir, ['hang', '--timeout', '1', '--format', 'json']);
      assert.equal(result.status, 1);
      assert.match(result.json?.errors[0]?.error ?? '', /timed out after 1 s; killed with its child processes/);
      for (const pid of readFileSync(pids, 'utf8').trim().split(/\s+/).map(Number)) assert.equal(alive(pid), false, `process ${pid} is gone`);
      assert.equal(run(dir, ['hang', '--timeout', '0']).status, 2);
    });

    it('--max-file-size skips larger files, and the skipped files are listed with the reason', () => {
      const dir = project([{ name: 'check', command: [process.execPath, fixture('tool.js'), '${files}'], include: ['*.txt', '*.bin'], problemMatcher: '$gcc' }], { 'small.txt': 'x', 'large.txt': 'x'.repeat(100), 'blob.bin': Buffer.from([0, 1, 2, 0, 255]) });
      const json = run(dir, ['check', '--max-file-size', '50', '--format', 'json']);
      assert.equal(json.status, 0, json.stderr);
      assert.deepEqual(json.json?.skipped.map((s) => [path.basename(s.path), s.reason]), [['blob.bin', 'binary file'], ['large.txt', 'larger than the size limit (100 > 50 bytes)']]);
      assert.deepEqual(json.json?.invocations.map((i) => i.files.map((f) => path.basename(f))), [['small.txt']]);
      const pretty = run(dir, ['check', '--max-file-size', '50']);
      assert.match(pretty.stderr, /^skipped: blob\.bin: binary file\nskipped: large\.txt: larger than the size limit \(100 > 50 bytes\)\n/m);
    });
  });
});
