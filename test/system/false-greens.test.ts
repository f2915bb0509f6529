import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot, scratchFolders, tempDir } from '../helpers/files';
import { spawnCli, type CliRun } from './cli';

const cacheHome = tempDir('pt-cache-');
after(() => cacheHome.cleanup());

function cli(args: string[], cwd: string): CliRun {
  return spawnCli(args, cwd, { env: { ...process.env, XDG_CACHE_HOME: cacheHome.dir } });
}

/** ESLint 9 from the npm registry (installed as `eslint-v9`), the way a project pins its own. */
const eslint9Bin = path.join(repoRoot, 'node_modules', 'eslint-v9', 'bin', 'eslint.js');

function eslint9(args: string[], cwd: string): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [eslint9Bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout };
}

/**
 * Runs that checked nothing, or less than asked, must say so and must not
 * exit 0 as if everything passed.
 */
describe('never a false green (CLI)', function () {
  this.timeout(120_000);
  const scratch = scratchFolders();
  /** A project with its own ESLint 9 in node_modules, as `npm install eslint@9` leaves it. */
  function eslint9Project(files: Record<string, string>): string {
    const dir = scratch({ 'eslint.config.mjs': "export default [{ ignores: ['ignored/**'] }, { files: ['**/*.js'], rules: { 'no-var': 'error' } }];\n", ...files });
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(path.join(repoRoot, 'node_modules', 'eslint-v9'), path.join(dir, 'node_modules', 'eslint'));
    return dir;
  }

  it('exits 2 naming each path or glob that matched nothing, in every command', () => {
    const dir = scratch({ 'src/a.js': 'let a = 1;\nexport default a;\n', '.vscode/parallel-tasks.json': JSON.stringify({ tasks: [{ name: 'cat', command: ['cat', '${files}'], include: ['**/*.js'], problemMatcher: '$gcc' }] }) });
    symlinkSync('loop.js', path.join(dir, 'loop.js'));
    const cases: [string[], string[]][] = [
      [['lint', 'does-not-exist.js'], ['does-not-exist.js']],
      [['lint', 'src', 'srcc'], ['srcc']],
      [['lint', 'nothing/**/*.js'], ['nothing/**/*.js']],
      [['lint', 'loop.js'], ['loop.js']],
      [['analyze', 'nope', 'src', 'also-nope.ts'], ['nope', 'also-nope.ts']],
      [['transform', '--prettier', '--check', 'nope'], ['nope']],
      [['run', 'cat', 'nope'], ['nope']],
    ];
    for (const [args, unmatched] of cases) {
      const run = cli([...args, '--no-cache'], dir);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      const lines = run.stderr.trim().split('\n');
      assert.deepEqual(
        lines.map((l) => /^parallel-tasks: No files matching "(.*)" were found: .+\.$/.exec(l)?.[1]),
        unmatched,
        `${args.join(' ')} names each unmatched path on its own line:\n${run.stderr}`,
      );
      assert.equal(run.stdout, '', 'nothing ran, so there is no report');
    }
    assert.match(cli(['lint', 'loop.js'], dir).stderr, /symbolic link loop/);
  });

  it('an empty folder is not a clean run', () => {
    const dir = scratch({ 'README.md': '# nothing to lint\n' });
    const run = cli(['lint'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /No files matching "\." were found: no files in it match/);
  });

  it('a path whose every file is skipped (binary, links that loop) checked nothing: exit 2, with the reasons', () => {
    const dir = scratch({ 'ok.js': 'let ok = 1;\n', 'bin/a.js': Buffer.from([0, 1, 2, 3]), 'bin/b.js': Buffer.from([0, 9, 9]) });
    mkdirSync(path.join(dir, 'loops'));
    symlinkSync('x.js', path.join(dir, 'loops', 'x.js'));
    for (const [target, reason] of [
      ['bin', /every file it matched was skipped \(2 binary file\)/],
      ['bin/a.js', /every file it matched was skipped \(1 binary file\)/],
      ['loops', /every file it matched was skipped \(1 symbolic link loop\)/],
    ] as const) {
      const run = cli(['lint', '--no-cache', target], dir);
      assert.equal(run.status, 2, `${target}: ${run.stderr}`);
      assert.match(run.stderr, reason);
    }
    // Next to a path that has something to check, the same skips are reported but not fatal for it.
    assert.equal(cli(['analyze', '--no-cache', '.'], dir).status, 0);
  });

  it('lists every skipped file with its reason: JSON for analyze and transform, stderr for lint (stdout stays eslint\'s)', () => {
    const outside = scratch({ 'secret.js': 'var secret = 1;\n' });
    const dir = scratch({
      'eslint.config.mjs': "export default [{ ignores: ['vendor/**'] }, { rules: { 'no-var': 'error' } }];\n",
      'src/ok.js': 'let ok = 1;\nexport default ok;\n',
      'src/image.js': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
      'src/big.js': `// ${'x'.repeat(3000)}\n`,
      'vendor/lib.js': 'var v = 1;\n',
    });
    symlinkSync(path.join(outside, 'secret.js'), path.join(dir, 'src', 'secret.js'));
    const common = ['--no-cache', '--max-file-size', '2000'];
    const expected = {
      'src/big.js': /^larger than the size limit \(30\d\d > 2000 bytes\)$/,
      'src/image.js': /^binary file$/,
      'src/secret.js': /^symbolic link outside the folder \(to .*secret\.js\)$/,
    };
    const check = (skipped: { path: string; reason: string }[], extra: Record<string, RegExp> = {}): void => {
      const byName = Object.fromEntries(skipped.map((s) => [path.relative(dir, s.path), s.reason]));
      const want = { ...expected, ...extra };
      assert.deepEqual(Object.keys(byName).sort(), Object.keys(want).sort());
      for (const [name, reason] of Object.entries(want)) assert.match(byName[name] ?? '', reason, name);
    };

    const analyze = cli(['analyze', '--format', 'json', ...common], dir);
    assert.equal(analyze.status, 0, analyze.stderr);
    check((JSON.parse(analyze.stdout) as { skipped: { path: string; reason: string }[] }).skipped);

    const transform = cli(['transform', '--replace', 'let', '--with', 'const', '--format', 'json', ...common], dir);
    assert.equal(transform.status, 0, transform.stderr);
    check((JSON.parse(transform.stdout) as { skipped: { path: string; reason: string }[] }).skipped);

    const lint = cli(['lint', '--format', 'json', ...common], dir);
    const skippedLines = lint.stderr.trim().split('\n').sort();
    assert.equal(skippedLines.length, 4, lint.stderr);
    assert.match(skippedLines.join('\n'), /^skipped: vendor\/lib\.js: ignored by the ESLint configuration$/m);
    assert.match(skippedLines.join('\n'), /^skipped: src\/image\.js: binary file$/m);
    const linted = (JSON.parse(lint.stdout) as { filePath: string }[]).map((r) => path.relative(dir, r.filePath));
    assert.deepEqual(linted, ['eslint.config.mjs', 'src/ok.js'], 'only the linted files are in the report');

    const pretty = cli(['lint', ...common], dir);
    assert.match(pretty.stderr, /; 4 skipped \(1 larger than the size limit, 1 binary file, 1 symbolic link outside the folder, 1 ignored by the ESLint configuration\)/);
  });

  it('a folder whose files the config ignores is no error, but the summary says how many were ignored and why', () => {
    const dir = scratch({ 'eslint.config.mjs': "export default [{ ignores: ['vendor/**'] }];\n", 'vendor/a.js': 'var a;\n', 'vendor/b.js': 'var b;\n' });
    const run = cli(['lint', 'vendor', '--no-cache'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /2 skipped \(2 ignored by the ESLint configuration\)/);
  });

  it('reports files named on purpose that ESLint ignores exactly as eslint does (byte-identical JSON)', () => {
    const dir = eslint9Project({ 'ignored/a.js': 'var a = 1;\n', 'notes.txt': 'hello\n', 'src/b.js': 'var b = 1;\n' });
    for (const args of [['ignored/a.js'], ['notes.txt'], ['ignored/a.js', 'src/b.js'], ['ignored']]) {
      const ours = cli(['lint', '--format', 'json', '--no-cache', ...args], dir);
      const theirs = eslint9(['--format', 'json', ...args], dir);
      if (args[0] === 'ignored') {
        // eslint stops with "all of the files matching the glob pattern are ignored"; we run, report and name them.
        assert.equal(ours.stdout, '[]\n');
        assert.equal(ours.status, 0);
        assert.match(ours.stderr, /^skipped: ignored\/a\.js: ignored by the ESLint configuration$/m);
        continue;
      }
      assert.equal(ours.stdout, theirs.stdout, args.join(' '));
      assert.equal(ours.status, theirs.status, args.join(' '));
    }
    assert.match(cli(['lint', '--format', 'json', '--no-cache', 'notes.txt'], dir).stdout, /File ignored because no matching configuration was supplied/);
    // ESLint's ignored-file result (no line, no column) is a valid cache entry: the next run takes it from the cache.
    const cacheFile = path.join(dir, 'cache.json');
    const first = cli(['lint', '--format', 'json', '--cache-location', cacheFile, 'ignored/a.js'], dir);
    const second = cli(['lint', '--format', 'json', '--cache-location', cacheFile, 'ignored/a.js'], dir);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.stderr, '', 'no entry was dropped as malformed');
    // A file outside the folder ESLint runs from: "File ignored because outside of base path."
    const outside = path.relative(dir, path.join(scratch({ 'c.js': 'var c = 1;\n' }), 'c.js'));
    const ours = cli(['lint', '--format', 'json', '--no-cache', outside], dir);
    assert.equal(ours.stdout, eslint9(['--format', 'json', outside], dir).stdout);
    assert.match(ours.stdout, /File ignored because outside of base path/);
  });

  it('names the ESLint that ran: the project\'s own 9.x in SARIF and the summary, not the bundled one', () => {
    const dir = eslint9Project({ 'src/b.js': 'var b = 1;\n' });
    const sarif = cli(['lint', '--format', 'sarif', '--no-cache'], dir);
    const log = JSON.parse(sarif.stdout) as { runs: { tool: { driver: { version: string } } }[] };
    assert.equal(log.runs[0]?.tool.driver.version, '9.39.5');
    const pretty = cli(['lint', '--no-cache'], dir);
    assert.match(pretty.stderr, /^Used ESLint 9\.39\.5 \(the project's own\) with eslint\.config\.mjs$/m);
    assert.equal(cli(['lint', '--format', 'json', '--no-cache'], dir).stdout, eslint9(['--format', 'json'], dir).stdout);
  });

  it('transform JSON and summary name the Prettier and config file used', () => {
    const dir = scratch({ '.prettierrc.json': '{ "semi": false }\n', 'a.js': 'const a = 1;\n' });
    const json = cli(['transform', '--prettier', '--format', 'json', '--no-cache'], dir);
    const report = JSON.parse(json.stdout) as { tools: { name: string; version: string; source: string; config: string }[] };
    const prettierVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'prettier', 'package.json'), 'utf8')) as { version: string }).version;
    assert.deepEqual(report.tools, [{ name: 'Prettier', version: prettierVersion, source: 'bundled', config: path.join(dir, '.prettierrc.json') }]);
    const check = cli(['transform', '--prettier', '--check', '--no-cache'], dir);
    assert.equal(check.status, 1);
    assert.match(check.stderr, /; 1 would change\n/, '--check says "would change", not "changed"');
    assert.match(check.stderr, /^Used Prettier \S+ \(bundled\) with \.prettierrc\.json$/m);
  });

  it('transform --eslint-fix exits 1 when errors remain that could not be fixed, as eslint --fix does', () => {
    const dir = scratch({
      'eslint.config.mjs': "export default [{ rules: { 'prefer-const': 'error', 'no-undef': 'error' }, languageOptions: { globals: {} } }];\n",
      'fixable.js': 'let a = 1;\nexport default a;\n',
      'unfixable.js': 'export default missing;\n',
    });
    const fixable = cli(['transform', '--eslint-fix', '--check', '--no-cache', 'fixable.js'], dir);
    assert.equal(fixable.status, 1, 'would change');
    const clean = cli(['transform', '--eslint-fix', '--write', '--no-cache', 'fixable.js'], dir);
    assert.equal(clean.status, 0, clean.stderr);
    const unfixable = cli(['transform', '--eslint-fix', '--write', '--no-cache'], dir);
    assert.equal(unfixable.status, 1);
    assert.match(unfixable.stderr, /^unfixed: unfixable\.js: 1 error could not be fixed/m);
    const json = JSON.parse(cli(['transform', '--eslint-fix', '--format', 'json', '--no-cache'], dir).stdout) as { summary: { remainingErrors: number } };
    assert.equal(json.summary.remainingErrors, 1);
  });

  it('--include and --exclude are relative to the current folder, like the paths', () => {
    const dir = scratch({ 'src/x/a.ts': 'let a = 1;\n', 'src/x/skip.ts': 'let s = 1;\n', 'lib/b.ts': 'let b = 1;\n' });
    const files = (args: string[]): string[] => {
      const run = cli(['analyze', '--format', 'json', '--no-cache', ...args], dir);
      assert.equal(run.status, 0, run.stderr);
      return (JSON.parse(run.stdout) as { files: { path: string }[] }).files.map((f) => path.relative(dir, f.path)).sort();
    };
    assert.deepEqual(files(['src', '--include', 'src/**/*.ts', '--exclude', 'src/x/skip.ts']), ['src/x/a.ts']);
    assert.deepEqual(files(['--include', 'src/**/*.ts']), ['src/x/a.ts', 'src/x/skip.ts']);
    assert.deepEqual(files(['src/x', '--include', '**/*.ts']), ['src/x/a.ts', 'src/x/skip.ts']);
    // A path after an option is a path: the options take one value each (repeat them for more).
    assert.deepEqual(files(['--exclude', 'src/x/skip.ts', 'src']), ['src/x/a.ts']);
    assert.deepEqual(files(['--include', 'src/**/*.ts', '--include', 'lib/**/*.ts', 'lib']), ['lib/b.ts']);
    // Globs that leave the folder (absolute, or through ..) match nothing: excludes cannot be side-stepped.
    assert.equal(cli(['analyze', '--no-cache', '--include', `${dir}/src/**`], dir).status, 2);
    assert.equal(cli(['analyze', '--no-cache', '--include', `../${path.basename(dir)}/src/**`], dir).status, 2);
    const none = cli(['analyze', 'lib', '--include', 'src/**/*.ts', '--no-cache'], dir);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /No files matching "lib" were found: no files in it match src\/\*\*\/\*\.ts \(globs relative to /);
  });

  it('a custom task\'s include is not joined onto a path argument', () => {
    const dir = scratch({
      'src/a.ts': 'a\n',
      'src/b.ts': 'b\n',
      'other/c.ts': 'c\n',
      '.vscode/parallel-tasks.json': JSON.stringify({ tasks: [{ name: 'list', command: [process.execPath, '-e', 'for (const f of process.argv.slice(1)) console.log(f + ":1:1: error: seen")', '${files}'], include: ['src/**/*.ts'], problemMatcher: '$gcc' }] }),
    });
    const seen = (args: string[]): number => (JSON.parse(cli(['run', 'list', '--format', 'json', ...args], dir).stdout) as { problems: unknown[] }).problems.length;
    assert.equal(seen([]), 2);
    assert.equal(seen(['src']), 2, 'run list src finds the same files as run list');
  });

  it('passes --codemod-option key=value to the codemod as its third argument, as jscodeshift does', () => {
    const dir = scratch({
      'codemod.js': "module.exports = (file, api, options) => file.source.replace(/foo/g, options.to ?? 'unset');\n",
      'a.js': 'const foo = 1;\n',
    });
    const run = cli(['transform', '--codemod', 'codemod.js', '--codemod-option', 'to=bar', '--diff', '--no-cache', 'a.js'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^\+const bar = 1;$/m);
    const bad = cli(['transform', '--codemod', 'codemod.js', '--codemod-option', '=x', 'a.js'], dir);
    assert.equal(bad.status, 2);
  });

  it('refuses a symbolic link named on the command line for a transform, and one leading outside the folder for lint', () => {
    const outside = scratch({ 'target.js': 'var t = 1;\n' });
    const dir = scratch({ 'real.js': 'var r  =  1;\n', 'eslint.config.mjs': 'export default [];\n' });
    symlinkSync('real.js', path.join(dir, 'link.js'));
    symlinkSync(path.join(outside, 'target.js'), path.join(dir, 'away.js'));
    const write = cli(['transform', '--prettier', '--write', '--no-cache', 'link.js'], dir);
    assert.equal(write.status, 2);
    assert.match(write.stderr, /"link\.js" .*is a symbolic link/);
    assert.equal(readFileSync(path.join(dir, 'real.js'), 'utf8'), 'var r  =  1;\n', 'nothing written through the link');
    const away = cli(['lint', '--no-cache', 'away.js'], dir);
    assert.equal(away.status, 2);
    assert.match(away.stderr, /is a symbolic link to .*target\.js, outside the folder/);
    // A link inside the folder is followed for reading, as eslint does.
    assert.equal(cli(['lint', '--no-cache', 'link.js'], dir).status, 0);
  });

  it('never reaches outside the folder through a symbolic link to a folder, whatever the globs or paths say', () => {
    const outside = scratch({ 'victim.js': 'let v = 1;\n', 'sub/deeper.js': 'let d = 1;\n' });
    const dir = scratch({ 'mine.js': 'let m = 1;\n' });
    symlinkSync(outside, path.join(dir, 'link'));
    const write = cli(['transform', '--replace', 'let', '--with', 'const', '--write', '--no-cache', '--include', 'link/**/*.js'], dir);
    assert.equal(readFileSync(path.join(outside, 'victim.js'), 'utf8'), 'let v = 1;\n', 'the file outside is untouched');
    assert.equal(readFileSync(path.join(outside, 'sub', 'deeper.js'), 'utf8'), 'let d = 1;\n');
    assert.equal(write.status, 2, 'all it matched was out of bounds: nothing was checked');
    assert.match(write.stderr, /No files matching "\." were found: every file it matched was skipped \(2 inside a symbolic link to a folder outside the folder\)/);
    const both = cli(['transform', '--replace', 'let', '--with', 'const', '--write', '--no-cache', '--include', '**/*.js', '--include', 'link/**/*.js'], dir);
    assert.equal(both.status, 0, both.stderr);
    assert.match(both.stderr, /^skipped: link\/victim\.js: inside a symbolic link to a folder outside the folder \(it is .*victim\.js\)$/m);
    assert.equal(readFileSync(path.join(dir, 'mine.js'), 'utf8'), 'const m = 1;\n', 'the file inside is written');
    for (const args of [['link/sub'], ['link/victim.js']]) {
      const named = cli(['transform', '--replace', 'let', '--with', 'const', '--write', '--no-cache', ...args], dir);
      assert.equal(named.status, 2, named.stderr);
      assert.match(named.stderr, /is inside a symbolic link to a folder outside the folder/);
      assert.equal(readFileSync(path.join(outside, 'victim.js'), 'utf8'), 'let v = 1;\n');
      assert.equal(readFileSync(path.join(outside, 'sub', 'deeper.js'), 'utf8'), 'let d = 1;\n');
    }
    assert.match(cli(['lint', '--no-cache', 'link/victim.js'], dir).stderr, /is inside a symbolic link to a folder outside the folder/);
  });

  it('never reads a FIFO or a device: reported as not a regular file, and a path of nothing else checked nothing', () => {
    const dir = scratch({ 'a.js': 'let a = 1;\n' });
    spawnSync('mkfifo', [path.join(dir, 'pipe.js')]);
    const walked = cli(['analyze', '--no-cache', '--format', 'json'], dir);
    assert.equal(walked.status, 0, walked.stderr);
    assert.deepEqual((JSON.parse(walked.stdout) as { skipped: { path: string; reason: string }[] }).skipped, [{ path: path.join(dir, 'pipe.js'), reason: 'not a regular file' }]);
    for (const target of ['pipe.js', '/dev/zero']) {
      const named = cli(['lint', '--no-cache', target], dir);
      assert.equal(named.status, 2, named.stderr);
      assert.match(named.stderr, /every file it matched was skipped \(1 not a regular file\)/);
    }
  });

  it('a cache that cannot be written costs the next run its speed, never this run its results', () => {
    const dir = scratch({ 'a.js': 'let a = 1;\n' });
    // A folder that cannot be made (its parent is a file), as a read-only place would refuse one.
    const run = cli(['analyze', '--format', 'json', '--cache-location', 'a.js/cache.json'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { files: unknown[] }).files.length, 1);
    assert.match(run.stderr, /the result cache could not be saved to .*a\.js\/cache\.json \(E[A-Z]+\); the results are complete/);
  });

  it('a rule that never yields in a small in-process run ends the run at the time limit, with a message, never 0', () => {
    const dir = scratch({
      'eslint.config.mjs': "export default [{ plugins: { spin: { rules: { forever: { create() { for (;;) {} } } } } }, rules: { 'spin/forever': 'error' } }];\n",
      'a.js': 'let a = 1;\n',
    });
    const started = Date.now();
    const run = spawnCli(['lint', '--no-cache', '--timeout', '1'], dir, { env: { ...process.env, XDG_CACHE_HOME: cacheHome.dir }, timeout: 60_000 });
    assert.ok(Date.now() - started < 30_000, 'ended by its own watchdog, not by the test');
    assert.equal(run.signal, 'SIGKILL');
    assert.match(run.stderr, /\/(a\.js|eslint\.config\.mjs) is still being processed after 6 s, past the time limit, on the CLI's own thread/);
  });

  it('a config that calls process.exit(0) during an in-process run does not end the CLI with 0', () => {
    const dir = scratch({ 'eslint.config.mjs': "export default [{ plugins: { bye: { rules: { now: { create() { process.exit(0); } } } } }, rules: { 'bye/now': 'error' } }];\n", 'a.js': 'let a = 1;\n' });
    const run = cli(['lint', '--no-cache'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /the run ended before the CLI had finished \(exit code 0: process\.exit\(\) or an uncaught error/);
    writeFileSync(path.join(dir, 'eslint.config.mjs'), 'process.exit(0);\n');
    const atLoad = cli(['lint', '--no-cache', '--workers', '0'], dir);
    assert.equal(atLoad.status, 2);
    // An error thrown where nothing catches it would exit 1, which reads as "lint problems found".
    writeFileSync(path.join(dir, 'eslint.config.mjs'), "void Promise.reject(new Error('boom'));\nexport default [];\n");
    const uncaught = cli(['lint', '--no-cache', '--workers', '0'], dir);
    assert.equal(uncaught.status, 2, uncaught.stderr);
    assert.match(uncaught.stderr, /exit code 1/);
  });
});
