import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { exitWithin } from '../helpers/exits';
import { cliScript, repoRoot, tempDir, writeFiles } from '../helpers/files';

const codemod = (name: string): string => path.join(repoRoot, 'test/fixtures/codemods', name);
const command = (name: string): string => path.join(repoRoot, 'test/fixtures/commands', name);
/** A file that makes a codemod spin, padded so that the scheduler gives each such file a batch (a worker) of its own. */
const SPIN_FILE = `// SPIN_HERE old\n${'// padding\n'.repeat(10_000)}`;

/** Alive and not a zombie: a killed orphan may linger as a zombie under an init that does not reap it. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls until `check` holds, failing with `what` after `ms`: a bound on a hang, not a timing assertion. */
async function waitFor(check: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`gave up waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The pids a fixture recorded, by role ("worker 123" / "child 456" lines). */
function recorded(file: string, role: 'worker' | 'child'): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(`${role} `))
    .map((line) => Number(line.slice(role.length + 1)));
}

describe('process lifecycle: nothing outlives a run, memory is capped', function () {
  this.timeout(120_000);
  const cleanups: (() => void)[] = [];
  /** Files where fixtures record their pids: whatever is in them is killed at the end, so a failing test leaks nothing. */
  const pidFiles: string[] = [];
  const clis: ChildProcess[] = [];

  afterEach(() => {
    for (const cli of clis.splice(0)) if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    for (const file of pidFiles.splice(0)) {
      const pids = existsSync(file) ? readFileSync(file, 'utf8').match(/\d+/g) ?? [] : [];
      for (const pid of pids.map(Number).filter(alive)) process.kill(pid, 'SIGKILL');
    }
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function scratch(files: Record<string, string>): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, files);
    return dir;
  }

  /** Where a fixture in `dir` records its pids. */
  function pidFileIn(dir: string): string {
    const file = path.join(dir, 'pids.txt');
    pidFiles.push(file);
    return file;
  }

  function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess & { stderrText: () => string } {
    const child = spawn(process.execPath, [cliScript, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    clis.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.resume();
    return Object.assign(child, { stderrText: () => stderr });
  }

  /** A CLI whose two worker processes are each spinning in a codemod, with a `sleep` child each. */
  async function cliWithSpinningWorkers(): Promise<{ cli: ReturnType<typeof startCli>; pidFile: string }> {
    const dir = scratch({ 'a.js': SPIN_FILE, 'b.js': SPIN_FILE });
    const pidFile = pidFileIn(dir);
    const cli = startCli(['transform', '--codemod', codemod('spawn-and-spin.js'), '--isolation', 'process', '--workers', '2', '--timeout', '600', '--no-cache', 'a.js', 'b.js'], dir, { PT_TEST_PID_FILE: pidFile });
    await waitFor(() => recorded(pidFile, 'worker').length === 2 && recorded(pidFile, 'child').length === 2, 60_000, () => `both workers busy; the CLI said: ${cli.stderrText()}`);
    return { cli, pidFile };
  }

  describe('child processes of a codemod', () => {
    it('a codemod that starts processes and hangs: its worker is terminated at the timeout together with them', async () => {
      const dir = scratch({ 'a.js': SPIN_FILE, 'b.js': SPIN_FILE, 'c.js': 'const old = 1;\n' });
      const pidFile = pidFileIn(dir);
      const run = spawnSync(process.execPath, [cliScript, 'transform', '--codemod', codemod('spawn-and-spin.js'), '--timeout', '1', '--isolation', 'process', '--workers', '2', '--no-cache'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PT_TEST_PID_FILE: pidFile },
      });
      const children = recorded(pidFile, 'child');
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /error: a\.js: Timed out after 1 s, 2 times/);
      assert.match(run.stderr, /error: b\.js: Timed out after 1 s, 2 times/);
      assert.equal(children.length, 4, 'two files, each tried twice, each starting one child');
      await waitFor(() => children.every((pid) => !alive(pid)), 5000, () => `children ${children.filter(alive).join(', ')} are gone`);
    });
  });

  describe('signals to the CLI', () => {
    it('SIGTERM: the CLI says so, ends its spinning worker processes and their children, and exits 143', async () => {
      const { cli, pidFile } = await cliWithSpinningWorkers();
      cli.kill('SIGTERM');
      const exit = await exitWithin(cli, 20_000);
      assert.deepEqual(exit, { code: 143, signal: null }, cli.stderrText());
      assert.match(cli.stderrText(), /^parallel-tasks: SIGTERM received, stopping the workers and the processes they started\n$/m);
      const pids = [...recorded(pidFile, 'worker'), ...recorded(pidFile, 'child')];
      await waitFor(() => pids.every((pid) => !alive(pid)), 5000, () => `processes ${pids.filter(alive).join(', ')} are gone`);
    });

    it('SIGKILL: worker processes spinning in a codemod notice the CLI is gone and exit, with their children', async () => {
      const { cli, pidFile } = await cliWithSpinningWorkers();
      cli.kill('SIGKILL');
      assert.notEqual(await exitWithin(cli, 20_000), 'still running');
      const pids = [...recorded(pidFile, 'worker'), ...recorded(pidFile, 'child')];
      await waitFor(() => pids.every((pid) => !alive(pid)), 10_000, () => `processes ${pids.filter(alive).join(', ')} are gone`);
    });

    it('SIGTERM still ends a small in-process run at once while a plugin spins on the CLI\'s own thread', async () => {
      const dir = scratch({
        'eslint.config.mjs': "import { writeFileSync } from 'node:fs';\nexport default [{ plugins: { spin: { rules: { forever: { create() { writeFileSync('spinning', ''); for (;;) {} } } } } }, rules: { 'spin/forever': 'error' } }];\n",
        'a.js': 'let a = 1;\n',
      });
      const cli = startCli(['lint', '--no-cache'], dir, {});
      await waitFor(() => existsSync(path.join(dir, 'spinning')), 60_000, () => `the rule runs; the CLI said: ${cli.stderrText()}`);
      cli.kill('SIGTERM');
      assert.deepEqual(await exitWithin(cli, 10_000), { code: null, signal: 'SIGTERM' }, 'no handler of ours stands between the signal and the spinning thread');
    });

    const customTaskCases = [
      { signals: ['SIGTERM'], status: 143, what: 'SIGTERM' },
      { signals: ['SIGHUP'], status: 129, what: 'SIGHUP (the terminal closed)' },
      { signals: ['SIGINT', 'SIGINT'], status: 130, what: 'Ctrl+C twice (quit at once)' },
    ] as const;
    for (const { signals, status, what } of customTaskCases) {
      it(`${what} during a custom task: the commands and everything they started are killed, exit ${status}`, async () => {
        const dir = scratch({ 'a.txt': 'x', 'b.txt': 'x' });
        const pidFile = pidFileIn(dir);
        mkdirSync(path.join(dir, '.vscode'));
        const task = { name: 'sleepy', command: [process.execPath, command('sleep-with-child.js'), pidFile, '${file}'], include: ['*.txt'], concurrency: 2, timeoutSeconds: 600, problemMatcher: '$gcc' };
        writeFileSync(path.join(dir, '.vscode', 'parallel-tasks.json'), JSON.stringify({ tasks: [task] }));
        const cli = startCli(['run', 'sleepy'], dir, {});
        const pids = (): number[] => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number) : []);
        await waitFor(() => pids().length === 4, 60_000, () => 'both commands running');
        for (const [i, signal] of signals.entries()) {
          // The second Ctrl+C comes while the first one's graceful cancel still waits on the commands.
          if (i > 0) await waitFor(() => cli.stderrText().includes('Cancelling'), 10_000, () => `the first ${signal} is taken`);
          cli.kill(signal);
        }
        const exit = await exitWithin(cli, 20_000);
        assert.deepEqual(exit, { code: status, signal: null }, cli.stderrText());
        await waitFor(() => pids().every((pid) => !alive(pid)), 5000, () => `processes ${pids().filter(alive).join(', ')} are gone`);
      });
    }
  });

  describe('memory', () => {
    for (const isolation of ['process', 'thread'] as const) {
      it(`a file that needs more heap than a worker has is reported as too large for the limit; the rest is done (${isolation})`, () => {
        const files: Record<string, string> = { 'huge.js': '// ALLOCATE_HERE old\n' };
        for (let i = 0; i < 6; i++) files[`f${i}.js`] = `const old${i} = ${i};\n`;
        const dir = scratch(files);
        const run = spawnSync(process.execPath, [cliScript, 'transform', '--codemod', codemod('allocate-on-marker.js'), '--write', '--isolation', isolation, '--workers', '2', '--no-cache'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, PARALLEL_TASKS_WORKER_HEAP_MB: '96' },
        });
        assert.equal(run.status, 1, run.stderr);
        assert.match(run.stderr, /error: huge\.js: file too large for the memory limit \(96 MB per worker\)\n/i);
        // The worker's own output still reaches the CLI, worker processes in their own group or not.
        assert.match(run.stderr, /allocating for huge\.js/);
        for (let i = 0; i < 6; i++) assert.equal(readFileSync(path.join(dir, `f${i}.js`), 'utf8'), `const new${i} = ${i};\n`);
      });
    }
  });
});
