// Machines of a queue for the system tests: copies of one workspace in
// separate folders, workers as separate CLI processes in them, and the
// coordinator as the CLI run a user would type.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliScript, fixturesDir, repoRoot, writeFiles } from '../helpers/files';
import type { CliRun } from './cli';
import { startRedis, type RedisServer } from '../helpers/redis-server';

/** Short locks, so that a batch whose worker is gone comes back in about two seconds instead of thirty. */
export const FAST_LOCKS = ['--lock-duration', '1500', '--stalled-interval', '500'];

/** A rule that takes `ms` of CPU per file: long enough batches to kill a worker in the middle of one. */
export function slowLintConfig(ms: number): string {
  return `import base from './base.config.mjs';
const slow = { rules: { spin: { create() { return { Program() { const end = Date.now() + ${ms}; while (Date.now() < end); } }; } } } };
export default [...base, { plugins: { slow }, rules: { 'slow/spin': 'off' } }, { files: ['gen/**'], rules: { 'slow/spin': 'error' } }];
`;
}

/**
 * A copy of the lint fixture project with `generated` more files, in a folder
 * of its own (another "machine"'s checkout). Tools resolve from this
 * repository's node_modules through a link, as an installed checkout has them.
 */
export function machineCopy(label: string, generated: number, slowMs?: number): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pt-${label}-`));
  cpSync(path.join(fixturesDir, 'lint-basic'), dir, { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  const files: Record<string, string> = {};
  for (let i = 0; i < generated; i++) files[`gen/file-${String(i).padStart(3, '0')}.js`] = `export function f${i}(a) {\n  if (a == ${i}) return a;\n  var unused = ${i};\n  return ${i};\n}\n`;
  if (slowMs !== undefined) {
    cpSync(path.join(dir, 'eslint.config.mjs'), path.join(dir, 'base.config.mjs'));
    files['eslint.config.mjs'] = slowLintConfig(slowMs);
  }
  writeFiles(dir, files);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A CLI process that keeps running (a worker, or a coordinator a test interrupts), with what it printed so far. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr has printed a line matching `pattern` (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the process has exited, with what it printed. */
  readonly exited: Promise<CliRun>;
}

export function startCli(args: readonly string[], cwd: string, spawner: (command: string, args: string[]) => ChildProcess = defaultSpawn(cwd)): CliProcess {
  const child = spawner(process.execPath, [cliScript, ...args]);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<CliRun>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout: out, stderr: err })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(err)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the process ended before printing ${pattern}:\n${err}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; it printed:\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

function defaultSpawn(cwd: string): (command: string, args: string[]) => ChildProcess {
  return (command, args) => spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts `parallel-tasks worker` in `dir`, and resolves once it serves the queue. */
export async function startWorker(dir: string, url: string, prefix: string, name: string, extra: readonly string[] = [], spawner?: (command: string, args: string[]) => ChildProcess): Promise<CliProcess> {
  const worker = startCli(['worker', '--queue', url, '--queue-prefix', prefix, '--name', name, '--concurrency', '1', ...extra], dir, spawner);
  await worker.waitFor(/serving /);
  return worker;
}

/** Stops what is still running, at once. */
export function killAll(processes: readonly (CliProcess | undefined)[]): Promise<unknown> {
  return Promise.all(
    processes.map((p) => {
      if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return undefined;
      p.child.kill('SIGKILL');
      return p.exited;
    }),
  );
}

/** What a describe block of queue tests shares: one redis-server, and what each test started or made, undone after it. */
export interface QueueSuite {
  readonly redis: RedisServer;
  /** Killed after each test. */
  readonly processes: CliProcess[];
  /** Run after each test, last first (folders, servers of its own). */
  readonly cleanups: (() => void | Promise<unknown>)[];
}

/** Registers the hooks of a QueueSuite in the calling describe block. */
export function queueSuite(): QueueSuite {
  let redis: RedisServer | undefined;
  const processes: CliProcess[] = [];
  const cleanups: (() => void | Promise<unknown>)[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    await killAll(processes.splice(0));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    get redis(): RedisServer {
      if (!redis) throw new Error('the suite\'s redis-server is started in before()');
      return redis;
    },
    processes,
    cleanups,
  };
}
