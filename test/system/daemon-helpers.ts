// What the daemon tests share: a private runtime folder per test (so no test touches a real user's daemon or
// sees another test's), the CLI run with the daemon allowed, and a project whose lint is slow enough to be
// caught mid-run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnCli, type CliRun } from './cli';
import { startCli, type CliProcess } from './queue-helpers';
import { tempDir, writeFiles } from '../helpers/files';

export interface DaemonStatusJson {
  readonly pid: number;
  readonly runs: number;
  readonly batches: number;
  readonly pools: readonly { readonly kind: string; readonly busy: number; readonly heapMb: number; readonly fingerprint: string }[];
}

/** A local plugin: `marker` names its version on every file, `slow` spins per file, `crash` kills its worker on a marker, `spin` never ends on one. */
export function pluginSource(version: string, slowMs = 0): string {
  return `module.exports = { rules: {
  marker: { create: (context) => ({ Program: (node) => context.report({ node, message: 'marker ${version}' }) }) },
  slow: { create: () => ({ Program: () => { const end = Date.now() + ${slowMs}; while (Date.now() < end); } }) },
  crash: { create: (context) => ({ Program: () => { if (context.sourceCode.text.includes('CRASH_HERE')) process.kill(process.pid, 'SIGKILL'); } }) },
  spin: { create: (context) => ({ Program: () => {
    if (!context.sourceCode.text.includes('SPIN_FOREVER')) return;
    require('node:fs').writeFileSync(require('node:path').join(require('node:path').dirname(context.filename), 'spinning'), '');
    for (;;);
  } }) },
} };
`;
}

export const CONFIG = `const local = require('./plugin.js');
module.exports = [{ plugins: { local }, rules: { 'local/marker': 'warn', 'local/slow': 'error', 'local/crash': 'error', 'local/spin': 'error', 'no-unused-vars': 'error' } }];
`;

/** `count` small files, each with one unused variable. */
export function sources(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`src/dir${i % 3}/file${i}.js`, `const unused${i} = ${i};\nexport const used = ${i};\n`]));
}

/**
 * Call inside a `describe`: a project folder and a runtime folder per test; after each test the daemon is
 * stopped (or killed) and both folders go.
 */
export function daemonSuite(): {
  project(files?: Record<string, string>, slowMs?: number): string;
  /** `cwd`: a folder of the project (default its root), which has a daemon of its own. */
  cli(args: readonly string[], env?: NodeJS.ProcessEnv, cwd?: string): CliRun;
  start(args: readonly string[], env?: NodeJS.ProcessEnv): CliProcess;
  status(): DaemonStatusJson | null;
  runtime(): string;
} {
  let dir = '';
  let runtime = '';
  const cleanups: (() => void)[] = [];
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const base: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtime };
    // The helpers turn the daemon off for every other test, and CI may be set where the suite runs.
    delete base.PARALLEL_TASKS_DAEMON;
    delete base.CI;
    return { ...base, ...extra };
  };
  const cli = (args: readonly string[], extra?: NodeJS.ProcessEnv, cwd = dir): CliRun => spawnCli(args, cwd, { env: env(extra), timeout: 120_000 });
  const status = (): DaemonStatusJson | null => JSON.parse(cli(['daemon', 'status', '--json']).stdout || 'null') as DaemonStatusJson | null;
  beforeEach(() => {
    const scratch = tempDir('pt-daemon-');
    const run = tempDir('pt-runtime-');
    dir = scratch.dir;
    runtime = run.dir;
    cleanups.push(scratch.cleanup, run.cleanup);
  });
  afterEach(() => {
    cli(['daemon', 'stop']);
    // Whatever a test left that `daemon stop` cannot reach (stopped, refused by its permissions, another
    // folder's): every daemon started in this runtime folder logged its pid there.
    for (const pid of loggedDaemons(path.join(runtime, 'parallel-tasks'))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Stopped already, as it should be.
      }
    }
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return {
    project: (files = sources(12), slowMs = 0) => {
      writeFiles(dir, { 'eslint.config.cjs': CONFIG, 'plugin.js': pluginSource('v1', slowMs), ...files });
      return dir;
    },
    cli,
    start: (args, extra) => startCli(args, dir, (command, argv) => spawn(command, argv, { cwd: dir, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] })),
    status,
    runtime: () => path.join(runtime, 'parallel-tasks'),
  };
}

/** Polls until `check` holds (the daemon's state changes between CLI runs, not at once). */
export async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}


/** The socket files in a runtime folder: none, when no daemon was started. */
export function sockets(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.sock')) : [];
}

/** The daemons the logs of a runtime folder name that still run as daemons (a pid reused since is left alone). */
function loggedDaemons(dir: string): number[] {
  const logs = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.log')) : [];
  const pids = logs.flatMap((log) => [...readFileSync(path.join(dir, log), 'utf8').matchAll(/serving .* \(pid (\d+),/g)].map((match) => Number(match[1])));
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('daemon\0serve');
    } catch {
      return false;
    }
  });
}
