import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { scratchFolders, tempDir, writeFiles } from '../helpers/files';
import { spawnCli, type CliRun } from './cli';

const cacheHome = tempDir('pt-cache-');
after(() => cacheHome.cleanup());

/** Git as a user's would be, but with nothing of this machine's own config, and a fixed identity for commits. */
const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: gitEnv });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  // The ceiling keeps git from finding a repository above the temporary folder, whatever the machine has there.
  return spawnCli(args, cwd, { env: { ...gitEnv, XDG_CACHE_HOME: cacheHome.dir, GIT_CEILING_DIRECTORIES: path.dirname(cwd), ...env } });
}

/** The files a `lint --format json` run reported, relative to `dir`, sorted. */
function linted(run: CliRun, dir: string): string[] {
  assert.notEqual(run.status, 2, run.stderr);
  const results = JSON.parse(run.stdout) as { filePath: string }[];
  return results.map((r) => path.relative(dir, r.filePath)).sort();
}

/** A repository with `files` committed on the branch `main`. */
function repository(scratch: (files: Record<string, string | Buffer>) => string, files: Record<string, string | Buffer>): string {
  const dir = scratch(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'first');
  return dir;
}

const JS = 'var x = 1;\n';

describe('--changed [REF]: only the files git reports changed (CLI, a real git repository)', function () {
  this.timeout(120_000);
  const scratch = scratchFolders('pt-changed-');

  it('takes modified, staged, untracked and renamed files; leaves out unchanged, ignored and deleted ones', () => {
    const dir = repository(scratch, { '.gitignore': 'ignored.js\n', 'modified.js': JS, 'staged.js': JS, 'deleted.js': JS, 'old-name.js': JS, 'unchanged.js': JS, 'README.md': '# x\n' });
    writeFileSync(path.join(dir, 'modified.js'), `${JS}var y = 2;\n`);
    writeFileSync(path.join(dir, 'staged.js'), `${JS}var z = 3;\n`);
    git(dir, 'add', 'staged.js');
    writeFiles(dir, { 'untracked.js': JS, 'ignored.js': JS, 'README.md': '# changed, but not a file lint takes\n' });
    rmSync(path.join(dir, 'deleted.js'));
    git(dir, 'mv', 'old-name.js', 'new-name.js');

    const run = cli(['lint', '--changed', '--no-cache', '--format', 'json'], dir);
    assert.deepEqual(linted(run, dir), ['modified.js', 'new-name.js', 'staged.js', 'untracked.js']);
    assert.match(run.stderr, /parallel-tasks: 5 changed files against HEAD \([0-9a-f]{8}\), 1 of them untracked/);
    assert.equal(run.status, 1, 'the changed files have problems');
    // A renamed file staged and then deleted on disk is gone: nothing to lint under either name.
    rmSync(path.join(dir, 'new-name.js'));
    assert.deepEqual(linted(cli(['lint', '--changed', '--no-cache', '--format', 'json'], dir), dir), ['modified.js', 'staged.js', 'untracked.js']);
  });

  it('names the changed submodules and nested repositories it does not look into, rather than only saying nothing changed', () => {
    const sub = repository(scratch, { 's.js': JS });
    const dir = repository(scratch, { 'a.js': JS });
    git(dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'sm');
    git(dir, 'commit', '-q', '-m', 'a submodule');
    writeFileSync(path.join(dir, 'sm', 's.js'), `${JS}var y = 2;\n`);
    mkdirSync(path.join(dir, 'nested'));
    git(path.join(dir, 'nested'), 'init', '-q');
    writeFileSync(path.join(dir, 'nested', 'n.js'), JS);

    const run = cli(['lint', '--changed', '--no-cache', '--format', 'json', '--pass-on-no-changes'], dir);
    assert.deepEqual(linted(run, dir), []);
    assert.equal(run.status, 0);
    assert.match(run.stderr, /no changed files against HEAD \([0-9a-f]{8}\): nothing was checked; not looked into: 2 changed submodules or nested repositories \(nested, sm\)/);
    // Beside a changed file of its own, the summary line names them too.
    writeFileSync(path.join(dir, 'a.js'), `${JS}var z = 3;\n`);
    const mixed = cli(['lint', '--changed', '--no-cache', '--format', 'json'], dir);
    assert.deepEqual(linted(mixed, dir), ['a.js']);
    assert.match(mixed.stderr, /1 changed file against HEAD \([0-9a-f]{8}\); not looked into: 2 changed submodules or nested repositories \(nested, sm\)/);
  });

  it('is taken by every command that takes files, narrowed by the paths and --exclude given', () => {
    const tasks = { tasks: [{ name: 'cat', command: ['cat', '${files}'], include: ['**/*.js'], problemMatcher: '$gcc' }] };
    const dir = repository(scratch, { '.vscode/parallel-tasks.json': JSON.stringify(tasks), 'src/a.js': JS, 'src/b.js': JS, 'lib/c.js': JS });
    writeFiles(dir, { 'src/a.js': `${JS}// changed\n`, 'src/new.js': JS, 'lib/c.js': `${JS}// changed\n` });

    assert.deepEqual(linted(cli(['lint', 'src', '--changed', '--no-cache', '--format', 'json'], dir), dir), ['src/a.js', 'src/new.js']);
    assert.deepEqual(linted(cli(['lint', '--changed', '--exclude', 'src/new.js', '--no-cache', '--format', 'json'], dir), dir), ['lib/c.js', 'src/a.js']);
    const analyze = cli(['analyze', '--changed', '--format', 'json'], dir);
    assert.equal(analyze.status, 0, analyze.stderr);
    assert.deepEqual((JSON.parse(analyze.stdout) as { files: { path: string }[] }).files.map((f) => path.relative(dir, f.path)).sort(), ['lib/c.js', 'src/a.js', 'src/new.js']);
    const transform = cli(['transform', '--replace', 'var', '--with', 'let', '--check', '--changed', '--format', 'json', '--no-cache'], dir);
    assert.equal(transform.status, 1, 'each changed file would change');
    assert.deepEqual((JSON.parse(transform.stdout) as { files: { path: string }[] }).files.map((f) => path.relative(dir, f.path)).sort(), ['lib/c.js', 'src/a.js', 'src/new.js']);
    const custom = cli(['run', 'cat', 'lib', '--changed', '--format', 'json'], dir);
    assert.equal(custom.status, 0, custom.stderr);
    assert.deepEqual((JSON.parse(custom.stdout) as { invocations: { files: string[] }[] }).invocations.flatMap((i) => i.files).map((f) => path.relative(dir, f)), ['lib/c.js']);
    // A path that matches nothing is still an error, changed files or not.
    const typo = cli(['lint', 'srcc', '--changed'], dir);
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /No files matching "srcc" were found/);
  });

  it('compares with the revision given: HEAD~1 takes the last commit\'s changes too', () => {
    const dir = repository(scratch, { 'a.js': JS, 'b.js': JS, 'c.js': JS });
    writeFiles(dir, { 'b.js': `${JS}// second commit\n`, 'd.js': JS });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'second');
    writeFiles(dir, { 'a.js': `${JS}// not committed\n` });

    assert.deepEqual(linted(cli(['lint', '--changed', '--no-cache', '--format', 'json'], dir), dir), ['a.js']);
    assert.deepEqual(linted(cli(['lint', '--changed', 'HEAD~1', '--no-cache', '--format', 'json'], dir), dir), ['a.js', 'b.js', 'd.js']);
    assert.deepEqual(linted(cli(['lint', '--changed=main~1', '--no-cache', '--format', 'json'], dir), dir), ['a.js', 'b.js', 'd.js']);
  });

  it('takes hostile file names as they are: spaces, newlines, quotes, leading dashes, bytes that are not UTF-8', () => {
    const dir = repository(scratch, { 'plain.js': JS, '-unchanged.js': JS });
    const hostile = ['with space.js', 'new\nline.js', 'quo\'te".js', '-dash.js', '--output=x.js'];
    for (const name of hostile) writeFileSync(path.join(dir, name), JS);
    // Node names such a file with U+FFFD in place of the byte, as everywhere: the run must report it as a full run does.
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from('.js')]), JS);

    const changed = cli(['analyze', '--changed', '--format', 'json'], dir);
    assert.equal(changed.status, 0, changed.stderr);
    const report = JSON.parse(changed.stdout) as { files: { path: string }[]; skipped: { path: string; reason: string }[] };
    assert.deepEqual(report.files.map((f) => path.relative(dir, f.path)).sort(), [...hostile].sort());
    const full = JSON.parse(cli(['analyze', '--format', 'json'], dir).stdout) as { skipped: { path: string; reason: string }[] };
    assert.equal(full.skipped.length, 1, 'the full run reports the non-UTF-8 name');
    assert.deepEqual(report.skipped, full.skipped, 'the changed run reports it the same way, not silently dropped');
    assert.ok(!existsSync(path.join(dir, 'x.js')), 'no name became an option');
  });

  it('refuses a revision that would be an option of git\'s, and one that names no commit', () => {
    const dir = repository(scratch, { 'a.js': JS });
    const target = path.join(dir, 'x');
    for (const args of [[`--changed=--output=${target}`], ['--changed', `--output=${target}`]]) {
      const run = cli(['lint', ...args], dir);
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.ok(!existsSync(target), `${args.join(' ')} wrote nothing`);
    }
    assert.match(cli(['lint', `--changed=--output=${target}`], dir).stderr, /^parallel-tasks: unknown revision "--output=.*": not a commit in this repository\n$/);
    const unknown = cli(['lint', '--changed', 'no-such-branch'], dir);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown revision "no-such-branch"/);
    // `lint --changed src`: the folder became the revision; say how to write it.
    mkdirSync(path.join(dir, 'src'));
    const folder = cli(['lint', '--changed', 'src'], dir);
    assert.equal(folder.status, 2);
    assert.match(folder.stderr, /--changed took "src" as the revision to compare with, but it is a file or folder here/);
    assert.match(cli(['lint', '--changed', 'src/**/*.js'], dir).stderr, /--changed took "src\/\*\*\/\*\.js" as the revision to compare with, but it is a glob/);
  });

  it('outside a git repository, or without git, says so and exits 2: never "0 files, all clean"', () => {
    const plain = scratch({ 'a.js': JS });
    const run = cli(['lint', '--changed'], plain);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^parallel-tasks: .* is not in a git repository/);

    const dir = repository(scratch, { 'a.js': JS });
    writeFileSync(path.join(dir, 'a.js'), `${JS}// changed\n`);
    const noGit = cli(['lint', '--changed'], dir, { PATH: scratch({}) });
    assert.equal(noGit.status, 2);
    assert.match(noGit.stderr, /^parallel-tasks: git was not found/);
  });

  it('nothing changed: says plainly that nothing was checked and exits 2, or 0 with --pass-on-no-changes', () => {
    const dir = repository(scratch, { 'a.js': JS, 'README.md': '# x\n' });
    const run = cli(['lint', '--changed', '--format', 'json'], dir);
    assert.equal(run.status, 2, 'a run that checked nothing is not a pass');
    assert.equal(run.stdout, '', 'no report that could pass for a clean one');
    assert.match(run.stderr, /^parallel-tasks: no changed files against HEAD \([0-9a-f]{8}\): nothing was checked \(--pass-on-no-changes makes this exit 0\)$/m);
    const passing = cli(['lint', '--changed', '--format', 'json', '--pass-on-no-changes'], dir);
    assert.equal(passing.status, 0, passing.stderr);
    assert.equal(passing.stdout, '[]\n', 'ESLint\'s own JSON for no files');
    assert.match(passing.stderr, /parallel-tasks: no changed files against HEAD \([0-9a-f]{8}\): nothing was checked\n/);

    writeFileSync(path.join(dir, 'README.md'), '# changed\n');
    const other = cli(['lint', '--changed'], dir);
    assert.equal(other.status, 2, other.stderr);
    assert.match(other.stderr, /none of the 1 changed file against HEAD .* is among the files to check here .*: nothing was checked/);
    const otherPassing = cli(['lint', '--changed', '--pass-on-no-changes'], dir);
    assert.equal(otherPassing.status, 0, otherPassing.stderr);
    assert.match(otherPassing.stderr, /Linted 0 files/);
    // Any command that takes --changed, not only lint.
    const analyze = cli(['analyze', '--changed'], dir);
    assert.equal(analyze.status, 2, analyze.stderr);
  });

  it('in a folder below the repository\'s root: that folder\'s changed files, by their paths in it', () => {
    const dir = repository(scratch, { 'pkg/a.js': JS, 'pkg/b.js': JS, 'other/c.js': JS });
    writeFiles(dir, { 'pkg/a.js': `${JS}// changed\n`, 'other/c.js': `${JS}// changed\n`, 'pkg/new.js': JS });
    renameSync(path.join(dir, 'pkg', 'b.js'), path.join(dir, 'pkg', 'moved.js'));
    const pkg = path.join(dir, 'pkg');
    const run = cli(['lint', '--changed', '--no-cache', '--format', 'json'], pkg, { GIT_CEILING_DIRECTORIES: path.dirname(dir) });
    assert.deepEqual(linted(run, pkg), ['a.js', 'moved.js', 'new.js']);
    // A path named outside the folder (a sibling package) is narrowed by the repository's changes, not the folder's.
    writeFiles(dir, { 'other/new.js': JS });
    // (analyze: ESLint itself ignores files outside the current folder, changed or not.)
    const sibling = cli(['analyze', '../other', '--changed', '--format', 'json'], pkg, { GIT_CEILING_DIRECTORIES: path.dirname(dir) });
    assert.equal(sibling.status, 0, sibling.stderr);
    assert.deepEqual((JSON.parse(sibling.stdout) as { files: { path: string }[] }).files.map((f) => path.relative(pkg, f.path)).sort(), ['../other/c.js', '../other/new.js']);
  });
});
