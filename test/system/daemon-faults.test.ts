// The daemon's faults (issue 14), with real processes: a daemon killed mid-run, a worker of the daemon
// crashing, Ctrl+C in the client, two clients at once, a stale socket, unsafe folders, another build.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/files';
import { daemonSuite, sockets, sources, until } from './daemon-helpers';
import { alive } from '../helpers/exits';

const LINT = ['lint', 'src', '--format', 'json', '--no-cache', '--workers', '2'];
/** 40 files at 150 ms each on 2 workers: a run of about 3 s, long enough to be caught in the middle. */
const SLOW = { files: sources(40), ms: 150 };

describe('CLI daemon faults', function () {
  this.timeout(180_000);
  const suite = daemonSuite();

  /** Starts the daemon, then a slow run, and resolves once the daemon is running its batches. */
  async function midRun(): Promise<{ pid: number; client: ReturnType<typeof suite.start> }> {
    suite.project(SLOW.files, SLOW.ms);
    suite.cli(['daemon', 'start']);
    const pid = suite.status()?.pid as number;
    const client = suite.start(LINT);
    await until(() => (suite.status()?.pools[0]?.busy ?? 0) > 0, 'the run\'s batches on the daemon');
    return { pid, client };
  }

  it('a daemon killed mid-run: its batches run on locally, and the run prints the full, correct result', async () => {
    const { pid, client } = await midRun();
    process.kill(pid, 'SIGKILL');
    const run = await client.exited;
    assert.match(run.stderr, /went away mid-run/);
    assert.equal(run.status, 1, run.stderr);
    const local = suite.cli([...LINT, '--no-daemon']);
    assert.equal(run.stdout, local.stdout, 'every file reported, as without the daemon');
    assert.equal(JSON.parse(run.stdout).length, 40);
  });

  it('a hung daemon (SIGSTOP): the batch over its time limit is not waited for, and the run completes here', async () => {
    suite.project(SLOW.files, SLOW.ms);
    suite.cli(['daemon', 'start']);
    const pid = suite.status()?.pid as number;
    const client = suite.start([...LINT, '--timeout', '2']);
    try {
      await until(() => (suite.status()?.pools[0]?.busy ?? 0) > 0, 'the run\'s batches on the daemon');
      process.kill(pid, 'SIGSTOP');
      const run = await client.exited;
      assert.match(run.stderr, /did not answer for 5 s/);
      assert.equal(run.stdout, suite.cli([...LINT, '--no-daemon']).stdout, 'every file reported, as without the daemon');
    } finally {
      // A stopped daemon answers no `daemon stop`: the cleanup would not find it.
      process.kill(pid, 'SIGKILL');
    }
  });

  it('Ctrl+C in the client stops its batches on the daemon, which stays warm and serves the next run', async () => {
    // A file whose lint never ends: only a cancel on the daemon frees its worker.
    const dir = suite.project({ ...sources(8), 'src/spin.js': '// SPIN_FOREVER\n' });
    suite.cli(['daemon', 'start']);
    const pid = suite.status()?.pid as number;
    const client = suite.start(LINT);
    await until(() => existsSync(path.join(dir, 'src', 'spinning')), 'the endless file to start on the daemon');
    client.child.kill('SIGINT');
    const run = await client.exited;
    assert.equal(run.status, 130, run.stderr);
    await until(() => suite.status()?.pools[0]?.busy === 0, 'the cancelled batch to end on the daemon');
    rmSync(path.join(dir, 'src', 'spin.js'));
    const next = suite.cli(LINT);
    assert.equal(next.stdout, suite.cli([...LINT, '--no-daemon']).stdout);
    const status = suite.status();
    assert.equal(status?.pid, pid, 'the same daemon');
    assert.equal(status?.runs, 2);
  });

  it('two clients at once both get the full result from the one daemon', async () => {
    suite.project(SLOW.files, 20);
    const both = await Promise.all([suite.start(LINT).exited, suite.start(LINT).exited]);
    const local = suite.cli([...LINT, '--no-daemon']);
    for (const run of both) assert.equal(run.stdout, local.stdout, run.stderr);
    assert.equal(suite.status()?.runs, 2, 'both went to one daemon (whichever started it)');
  });

  it('a worker of the daemon crashing on a file: that file is reported, the others linted, as without it', () => {
    suite.project({ ...sources(8), 'src/boom.js': '// CRASH_HERE\n' });
    const args = [...LINT, '--isolation', 'process'];
    const local = suite.cli([...args, '--no-daemon']);
    const served = suite.cli(args);
    assert.equal(served.stdout, local.stdout, served.stderr);
    const boom = (JSON.parse(served.stdout) as { filePath: string; messages: { message: string }[] }[]).find((r) => r.filePath.endsWith('boom.js'));
    assert.match(boom?.messages[0]?.message ?? '', /worker/);
    assert.equal(suite.status()?.runs, 1, 'the daemon survived its worker');
  });

  it('a socket file left by a killed daemon is replaced by a new daemon', () => {
    suite.project();
    suite.cli(['daemon', 'start']);
    const pid = suite.status()?.pid as number;
    process.kill(pid, 'SIGKILL');
    assert.equal(sockets(suite.runtime()).length, 1, 'the killed daemon left its socket');
    const run = suite.cli(LINT);
    assert.equal(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /not using the daemon/);
    const status = suite.status();
    assert.notEqual(status?.pid, pid);
    assert.equal(status?.runs, 1);
  });

  it('a daemon that cannot start: one line says why, and the run goes on here', () => {
    const dir = suite.project();
    // Something that is not a socket where the daemon's socket goes: the daemon cannot listen, and exits.
    mkdirSync(suite.runtime(), { mode: 0o700 });
    mkdirSync(path.join(suite.runtime(), `d-${createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 16)}.sock`));
    const run = suite.cli(LINT);
    const lines = run.stderr.split('\n').filter((line) => /not using the daemon/.test(line));
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? '', /the daemon exited at start with code 2 \(see .*\.log\); running on workers here/);
    assert.equal(run.stdout, suite.cli([...LINT, '--no-daemon']).stdout);
    const log = readdirSync(suite.runtime()).find((name) => name.endsWith('.log')) ?? 'no log';
    assert.match(readFileSync(path.join(suite.runtime(), log), 'utf8'), /parallel-tasks: /, 'the log says why');
  });

  it('refuses a private folder open to others or owned by another user, and a readable token, saying why', () => {
    suite.project();
    const local = suite.cli([...LINT, '--no-daemon']);
    const long = path.join(path.dirname(suite.runtime()), 'x'.repeat(110));
    mkdirSync(long, { mode: 0o700 });
    assert.match(suite.cli(LINT, { XDG_RUNTIME_DIR: long }).stderr, /not using the daemon: the socket's path would be too long/);
    mkdirSync(suite.runtime(), { mode: 0o755 });
    chmodSync(suite.runtime(), 0o755);
    const open = suite.cli(LINT);
    assert.match(open.stderr, /not using the daemon: .*open to other users \(mode 755\)/);
    assert.equal(open.stdout, local.stdout, 'the run goes on locally');
    assert.equal(sockets(suite.runtime()).length, 0);
    const start = suite.cli(['daemon', 'start']);
    assert.equal(start.status, 2);
    assert.match(start.stderr, /open to other users/);
    chmodSync(suite.runtime(), 0o700);
    if (process.getuid?.() === 0) {
      chownSync(suite.runtime(), 65534, 65534);
      assert.match(suite.cli(LINT).stderr, /not using the daemon: .*belongs to uid 65534/);
      chownSync(suite.runtime(), 0, 0);
    }
    suite.cli(['daemon', 'start']);
    const token = sockets(suite.runtime())[0]?.replace(/\.sock$/, '.token') as string;
    chmodSync(path.join(suite.runtime(), token), 0o644);
    assert.match(suite.cli(LINT).stderr, /not using the daemon: .*token.* open to other users/);
  });

  it('a client of another build replaces the daemon rather than use it', () => {
    suite.project();
    suite.cli(LINT);
    const before = suite.status()?.pid;
    // A copy of the build with another worker bundle, inside the repository so that it finds node_modules.
    const other = path.join(repoRoot, 'out', 'daemon-other-build');
    rmSync(other, { recursive: true, force: true });
    cpSync(path.join(repoRoot, 'dist'), other, { recursive: true });
    writeFileSync(path.join(other, 'worker.js'), `${readFileSync(path.join(other, 'worker.js'), 'utf8')}\n// another build\n`);
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: path.dirname(suite.runtime()) };
      delete env.PARALLEL_TASKS_DAEMON;
      delete env.CI;
      const run = spawnSync(process.execPath, [path.join(other, 'cli.js'), ...LINT], { cwd: suite.project(), env, encoding: 'utf8' });
      assert.match(run.stderr, /replacing the daemon \(pid \d+\): it runs another build/);
      assert.equal(run.stdout, suite.cli([...LINT, '--no-daemon']).stdout);
      if (before !== undefined) assert.equal(alive(before), false, 'the old daemon was stopped');
      assert.match(suite.cli(LINT).stderr, /replacing the daemon .*another build/, 'and back again for this build');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
