import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempFileOwner } from '../../src/core/temp-files';
import { cliScript, repoRoot, scratchFolders } from '../helpers/files';
import { spawnCli, type CliRun } from './cli';

/**
 * `transform --write` against the file system as users leave it: read-only
 * files, edits landing while we write, runs killed half way, hard links,
 * symlinks. Every test spawns the real CLI on real files.
 */


interface JsonReport {
  files: { path: string; changed: boolean; error?: string }[];
  summary: Record<string, number>;
}

/** The tests run as root in CI, and root may write anything: permission checks need an ordinary user. */
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const asUser: Pick<SpawnSyncOptions, 'uid' | 'gid'> = asRoot ? { uid: NOBODY, gid: NOBODY } : {};

function cli(args: string[], cwd: string, options: SpawnSyncOptions = {}): CliRun {
  return spawnCli([...args, '--no-cache'], cwd, options);
}

/** Gives `dir` and everything in it to the unprivileged user the CLI will run as. */
function giveToUser(dir: string): void {
  if (!asRoot) return;
  chownSync(dir, NOBODY, NOBODY);
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) chownSync(path.join(dir, entry), NOBODY, NOBODY);
}

const tempName = (name: string): boolean => tempFileOwner(name) !== undefined;

function cliAsync(args: string[], cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliScript, ...args, '--no-cache'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/**
 * A second process that appends unique lines to the files, as `echo … >> file`
 * does (open by name, append, close), all the time `work` runs: now and then to
 * a random file, more often to the file being written right now (the first one
 * that does not yet contain `writtenMarker`: the CLI writes in path order),
 * where an edit is hardest to keep. Returns what `work` returned and the lines
 * appended to each file, in order.
 */
async function withAppender<T>(files: string[], writtenMarker: string, work: () => Promise<T>): Promise<{ result: string[][]; run: T }> {
  const script = `
    const fs = require('node:fs');
    const files = JSON.parse(process.argv[1]);
    const marker = process.argv[2];
    const log = files.map(() => []);
    let stop = false;
    let n = 0;
    let front = 0;
    process.stdin.on('end', () => (stop = true)).resume();
    (async () => {
      process.stdout.write('ready\\n');
      while (!stop) {
        for (let j = front; j < Math.min(front + 20, files.length); j++) if (fs.readFileSync(files[j], 'utf8').includes(marker)) front = j + 1;
        const dice = Math.random();
        const i = dice < 0.1 ? front : dice < 0.15 ? Math.floor(Math.random() * files.length) : -1;
        if (i >= 0 && i < files.length) {
          const line = '// appended ' + n++ + '\\n';
          fs.appendFileSync(files[i], line);
          log[i].push(line);
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      process.stdout.write(JSON.stringify(log));
    })();`;
  const appender = spawn(process.execPath, ['-e', script, JSON.stringify(files), writtenMarker], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      appender.on('error', reject);
      appender.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.startsWith('ready\n')) resolve();
      });
    });
    const run = await work();
    const exited = new Promise<void>((resolve) => appender.on('close', () => resolve()));
    appender.stdin.end();
    await exited;
    return { run, result: JSON.parse(output.slice('ready\n'.length)) as string[][] };
  } finally {
    appender.kill();
  }
}

describe('transform --write keeps what the user protected or just changed', function () {
  this.timeout(300_000);
  const scratch = scratchFolders('pt-write-');

  before(function () {
    if (!asRoot) return;
    // The unprivileged user must be able to run our build, or every result below means nothing.
    const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(cliScript)}, require('fs').constants.R_OK)`], { ...asUser, encoding: 'utf8' });
    assert.equal(probe.status, 0, `user ${NOBODY} cannot read ${cliScript}: ${probe.stderr}`);
  });

  it('refuses a read-only file as the prettier CLI does: reported as not writable, exit 1, the file untouched', () => {
    const dir = scratch({ 'readonly.js': 'const old = 1;\n', 'open.js': 'const old = 2;\n' });
    chmodSync(path.join(dir, 'readonly.js'), 0o444);
    giveToUser(dir);
    const run = cli(['transform', '--replace', 'old', '--with', 'fresh', '--write'], dir, asUser);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^error: readonly\.js: not writable \(EACCES\); not written$/m);
    assert.doesNotMatch(run.stdout, /wrote readonly\.js/);
    assert.equal(readFileSync(path.join(dir, 'readonly.js'), 'utf8'), 'const old = 1;\n');
    assert.equal(statSync(path.join(dir, 'readonly.js')).mode & 0o777, 0o444);
    assert.equal(readFileSync(path.join(dir, 'open.js'), 'utf8'), 'const fresh = 2;\n', 'the other file is written');

    // The prettier CLI, as the same user on the same kind of file, refuses too (EACCES) and leaves it.
    writeFileSync(path.join(dir, 'pretty.js'), 'const   a=1\n');
    chmodSync(path.join(dir, 'pretty.js'), 0o444);
    giveToUser(dir);
    const prettier = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/prettier/bin/prettier.cjs'), '--write', 'pretty.js'], { cwd: dir, encoding: 'utf8', ...asUser });
    assert.notEqual(prettier.status, 0);
    assert.match(prettier.stderr, /EACCES/);
    assert.equal(readFileSync(path.join(dir, 'pretty.js'), 'utf8'), 'const   a=1\n');
  });

  it('writes a writable file in a folder it may not create files in, in place, as the prettier CLI does', () => {
    const dir = scratch({ 'locked/a.js': 'const old = 1;\n', 'locked/b.js': 'const   b=1\n' });
    giveToUser(dir);
    chmodSync(path.join(dir, 'locked'), 0o555);
    const run = cli(['transform', '--replace', 'old', '--with', 'fresh', '--write', 'locked/a.js'], dir, asUser);
    const prettier = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/prettier/bin/prettier.cjs'), '--write', 'locked/b.js'], { cwd: dir, encoding: 'utf8', ...asUser });
    chmodSync(path.join(dir, 'locked'), 0o755);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(path.join(dir, 'locked/a.js'), 'utf8'), 'const fresh = 1;\n');
    assert.equal(prettier.status, 0, prettier.stderr);
    assert.equal(readFileSync(path.join(dir, 'locked/b.js'), 'utf8'), 'const b = 1;\n');
    assert.deepEqual(readdirSync(path.join(dir, 'locked')).sort(), ['a.js', 'b.js'], 'nothing left behind');
  });

  it('never loses an edit that lands while the files are written: 400 files, lines appended all through the run', async function () {
    const count = 400;
    const originals: Record<string, string> = {};
    for (let i = 0; i < count; i++) originals[`src/f${String(i).padStart(3, '0')}.js`] = `export const old${i} = ${'1 + '.repeat(i % 50)}0;\n`;
    const transformed = (text: string): string => text.replaceAll('old', 'new');
    const names = Object.keys(originals);
    const rounds: string[] = [];
    for (let round = 0; round < 2; round++) {
      const dir = scratch(originals);
      const appended = await withAppender(names.map((name) => path.join(dir, name)), 'export const new', () => cliAsync(['transform', '--replace', 'old', '--with', 'new', '--write', '--format', 'json', '--workers', '2', 'src'], dir));
      const { run, result: tokens } = appended;
      assert.ok(run.status === 0 || run.status === 1, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      const refused = new Set(report.files.filter((f) => f.error !== undefined).map((f) => path.relative(dir, f.path)));
      for (const f of report.files) if (f.error !== undefined) assert.match(f.error, /changed on disk (since it was read|while being written); not written/, f.path);
      let tokensSeen = 0;
      for (const [index, name] of names.entries()) {
        const text = readFileSync(path.join(dir, name), 'utf8');
        const tail = (tokens[index] ?? []).join('');
        tokensSeen += tokens[index]?.length ?? 0;
        if (refused.has(name)) assert.equal(text, originals[name] + tail, `${name}: refused, so the original with every appended line`);
        else assert.equal(text, transformed(originals[name]) + tail, `${name}: written, so the new content with every appended line`);
      }
      assert.ok(tokensSeen > 100, `the appender was busy during the run (${tokensSeen} lines)`);
      assert.ok(refused.size < count, 'some files were written');
      assert.deepEqual(readdirSync(path.join(dir, 'src')).filter(tempName), [], 'no temporary files left');
      const during = report.files.filter((f) => f.error?.includes('while being written')).length;
      rounds.push(`${tokensSeen} lines appended, ${count - refused.size} files written, ${refused.size} refused (${during} of them put back after the swap)`);
    }
    if (this.test) this.test.title += ` [${rounds.join('; ')}]`;
  });

  it('a run killed while writing leaves no temporaries for long: the next run removes them, and discovery never reports them', async function () {
    const count = 400;
    const originals: Record<string, string> = {};
    for (let i = 0; i < count; i++) originals[`src/f${String(i).padStart(3, '0')}.js`] = `export const old${i} = ${'1 + '.repeat(i % 50)}0;\n`;
    const transformed = (text: string): string => text.replaceAll('old', 'new');
    // Planted beside them: a leftover of a writer that is gone (removed), the
    // temporary of a writer still running (kept), a look-alike that is not
    // ours (kept), and a leftover in a folder this run does not write (kept).
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const planted = {
      dead: `src/.f000.js.parallel-tasks-${gone}-0badf00d.tmp`,
      live: `src/.f001.js.parallel-tasks-${process.pid}-0badf00d.tmp`,
      lookalike: `src/f002.js.parallel-tasks-${gone}-0badf00d.tmp`,
      elsewhere: `other/.x.js.parallel-tasks-${gone}-0badf00d.tmp`,
    };
    const dir = scratch({ ...originals, [planted.dead]: 'export const old = 0;\n', [planted.live]: 'export const old = 0;\n', [planted.lookalike]: 'not ours\n', [planted.elsewhere]: 'export const old = 0;\n' });
    const plantedNames = new Set(Object.values(planted).map((p) => path.basename(p)));
    const ourLeftovers = (): string[] => readdirSync(path.join(dir, 'src')).filter((f) => tempName(f) && !plantedNames.has(f));
    const everyFileOldOrNew = (when: string): void => {
      for (const name of Object.keys(originals)) {
        const text = readFileSync(path.join(dir, name), 'utf8');
        assert.ok(text === originals[name] || text === transformed(originals[name]), `${name} ${when}: ${JSON.stringify(text)}`);
      }
    };

    // SIGKILL (no cleanup possible) once some files are written; again until a kill caught a temporary in place.
    const left: number[] = [];
    for (let attempt = 0; attempt < 5 && !left.some((n) => n > 0); attempt++) {
      const before = Object.keys(originals).filter((name) => readFileSync(path.join(dir, name), 'utf8') !== originals[name]).length;
      const child = spawn(process.execPath, [cliScript, 'transform', '--replace', 'old', '--with', 'new', '--write', '--workers', '2', '--no-cache', 'src'], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const killed = await new Promise<boolean>((resolve) => {
        const poll = setInterval(() => {
          const written = Object.keys(originals).filter((name) => readFileSync(path.join(dir, name), 'utf8') !== originals[name]).length;
          if (written >= before + 10) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolve(true);
          }
        }, 5);
        void exited.then(() => {
          clearInterval(poll);
          resolve(false);
        });
      });
      await exited;
      assert.ok(killed, 'the CLI was killed while it was writing');
      everyFileOldOrNew('after the kill');
      left.push(ourLeftovers().length);
    }
    assert.ok(left.some((n) => n > 0), `a kill caught a temporary file in place (leftovers per kill: ${left.join(', ')})`);

    // The next run, asked for dot-files too, neither reports nor writes any temporary, and tidies the dead ones.
    // (A real dot-file is there too: a glob that matched only temporaries would be a glob that matched nothing.)
    writeFileSync(path.join(dir, 'src', '.dotfile.js'), 'export const old = 9;\n');
    const run = cli(['transform', '--replace', 'old', '--with', 'new', '--write', '--format', 'json', 'src', 'src/.*'], dir);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(report.files.map((f) => path.basename(f.path)).filter(tempName), [], 'no temporary file was reported');
    everyFileOldOrNew('after the next run');
    for (const name of Object.keys(originals)) assert.equal(readFileSync(path.join(dir, name), 'utf8'), transformed(originals[name]), name);
    assert.deepEqual(ourLeftovers(), [], 'the leftovers of the killed runs are gone');
    assert.equal(readFileSync(path.join(dir, planted.live), 'utf8'), 'export const old = 0;\n', "a live writer's temporary is kept, untouched");
    assert.ok(!existsSync(path.join(dir, planted.dead)), "a dead writer's temporary is removed");
    assert.ok(existsSync(path.join(dir, planted.lookalike)), 'a file that only looks like ours is kept');
    assert.ok(existsSync(path.join(dir, planted.elsewhere)), 'a folder not being written is not touched');
    if (this.test) this.test.title += ` [leftovers per kill: ${left.join(', ')}]`;
  });

  it('keeps hard links together: every name shows the new content and they still share one inode', () => {
    const dir = scratch({ 'src/a.js': 'const old = 1;\n' });
    linkSync(path.join(dir, 'src/a.js'), path.join(dir, 'src/b.js'));
    linkSync(path.join(dir, 'src/a.js'), path.join(dir, 'outside.js'));
    chmodSync(path.join(dir, 'src/a.js'), 0o640);
    const run = cli(['transform', '--replace', 'old', '--with', 'fresh', '--write', 'src'], dir);
    assert.equal(run.status, 0, run.stderr);
    const names = ['src/a.js', 'src/b.js', 'outside.js'].map((name) => path.join(dir, name));
    for (const name of names) assert.equal(readFileSync(name, 'utf8'), 'const fresh = 1;\n', name);
    const inodes = new Set(names.map((name) => statSync(name).ino));
    assert.equal(inodes.size, 1, 'one inode behind all three names');
    assert.equal(statSync(names[0]).nlink, 3);
    assert.equal(statSync(names[0]).mode & 0o777, 0o640);
  });

  it('refuses a symlink named on the command line, as the prettier CLI does; a symlink met inside a folder is skipped and reported', () => {
    const dir = scratch({ 'real.js': 'const old = 1;\n', 'src/plain.js': 'const old = 2;\n' });
    symlinkSync('../real.js', path.join(dir, 'src/link.js'));
    const folder = cli(['transform', '--replace', 'old', '--with', 'fresh', '--write', 'src'], dir);
    assert.equal(folder.status, 0, folder.stderr);
    assert.equal(readFileSync(path.join(dir, 'src/plain.js'), 'utf8'), 'const fresh = 2;\n');
    assert.equal(readFileSync(path.join(dir, 'real.js'), 'utf8'), 'const old = 1;\n', 'discovery does not follow a symlink');
    assert.match(folder.stderr, /^skipped: src\/link\.js: symbolic link, not written through \(to real\.js\)$/m);
    const named = cli(['transform', '--replace', 'old', '--with', 'fresh', '--write', 'src/link.js'], dir);
    assert.equal(named.status, 2, named.stderr);
    assert.match(named.stderr, /"src\/link\.js" were found: is a symbolic link/);
    assert.ok(lstatSync(path.join(dir, 'src/link.js')).isSymbolicLink(), 'still a symlink');
    assert.equal(readFileSync(path.join(dir, 'real.js'), 'utf8'), 'const old = 1;\n', 'nothing written through the link');
  });

  it('keeps the byte-order mark, the mode and (when root writes) the owner', () => {
    const dir = scratch({ 'bom.js': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('const old = 1;\n')]) });
    const file = path.join(dir, 'bom.js');
    chmodSync(file, 0o750);
    if (asRoot) chownSync(file, NOBODY, NOBODY);
    const run = cli(['transform', '--replace', 'old', '--with', 'fresh', '--write'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(readFileSync(file), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('const fresh = 1;\n')]));
    assert.equal(statSync(file).mode & 0o777, 0o750);
    if (asRoot) assert.equal(statSync(file).uid, NOBODY);
  });
});
