import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as l10n from '@vscode/l10n';
import { UsageError } from './errors';
import type { Isolation } from './pool-executor';

/** Where a kind's workers run: `auto` lets the size of each run decide (see `isolationForRun`). */
export type IsolationChoice = Isolation | 'auto';

/**
 * From this much expected serial work (the batcher's estimate) a run goes to
 * worker processes rather than threads. A process costs ~65 ms more to start
 * (BENCHMARKS.md, "Process isolation") and then runs faster: each has its own
 * heap, its own GC and the V8 flags below, which threads, sharing one V8,
 * cannot have (BENCHMARKS.md, "Workers tuned per process"). Below a second of
 * work the start-up decides.
 */
export const PROCESS_RUN_MS = 1000;

/**
 * A pool that is already warm keeps a run up to this much expected work even
 * where a cold one of the other kind would be chosen (the editor): starting the
 * other pool (workers, tool, config) costs more than the kind saves on a short run.
 */
export const SWITCH_POOL_MS = 10_000;

/** Replaces the default V8/Node flags of worker processes (space-separated), e.g. to measure others. */
export const WORKER_FLAGS_ENV = 'PARALLEL_TASKS_WORKER_FLAGS';

export function isolationForRun(expectedMs: number): Isolation {
  return expectedMs >= PROCESS_RUN_MS ? 'process' : 'thread';
}

/** Flags that would make a worker process run something else, wait for a debugger, or not start as a worker. */
const NOT_TUNING = /^--(inspect|debug|eval|print|require|import|loader|experimental-loader|test|watch|run|check|interactive|env-file)/;

/**
 * The flags a worker process starts with, measured on 2 cores (BENCHMARKS.md, "Workers tuned per process"):
 * - `--single-threaded` once the workers fill the cores: V8's helper threads (concurrent GC and compiler) then
 *   only take time from another worker. With a core to spare they use it, so they stay.
 * - `--always-sparkplug` with it: without the concurrent compiler, cold code waits longer in the interpreter
 *   before it is optimised; Sparkplug's baseline code (compiled in one pass, on first call) runs it faster
 *   meanwhile. With 2 workers it took 4–5 % off lint's and Prettier's wall time and did not change analyze's.
 * - `--heap-growing-percent=100` with two workers or more: the heap may grow to twice what was live after a
 *   full GC instead of V8's up to 4×. A linter's live heap is small and its garbage large, and each worker's
 *   headroom adds up: with 2 workers this took a third off the peak memory for a few percent of time. One
 *   worker's heap is like the tool's own, and there the flag cost 5 % of the wall time and 10 % of the CPU.
 */
export function workerProcessFlags(workers: number, cores = os.availableParallelism(), env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const override = env[WORKER_FLAGS_ENV];
  if (override === undefined) return [...(workers >= cores ? ['--single-threaded', '--always-sparkplug'] : []), ...(workers >= 2 ? ['--heap-growing-percent=100'] : [])];
  const flags = override.split(/\s+/).filter((flag) => flag.length > 0);
  for (const flag of flags) {
    // Tuning only: anything else (a script name, code to run, a debugger) would start something that is not our worker.
    if (!/^--[a-z0-9][a-z0-9_-]*(=\S*)?$/i.test(flag) || NOT_TUNING.test(flag)) throw new UsageError(l10n.t('{0}: "{1}" is not a V8 or Node tuning flag (--name or --name=value)', WORKER_FLAGS_ENV, flag));
  }
  return flags;
}

/** What starting Node with a pool's flags said: `refused` is Node's own "bad option" (exit 9). */
export type FlagsProbe = 'accepted' | 'refused' | 'unknown';

const refusals = new Map<string, Promise<FlagsProbe>>();
const PROBE_TIMEOUT_MS = 10_000;
/** Node's exit code for an option it does not know. */
const BAD_OPTION_EXIT = 9;

export interface FlagsCheck {
  readonly result: Promise<FlagsProbe>;
  /** Kills the probe if it still runs: the pool was ended first. */
  cancel(): void;
}

/**
 * Whether Node starts with these flags. Node refuses a flag its V8 does not know (exit 9, "bad option"), V8
 * flags come and go between versions, and a worker that never starts would fail every batch. The probe is Node
 * running nothing (`-e ""`), ~40 ms; in an editor's extension host `process.execPath` is the editor's own
 * binary, which runs as Node with ELECTRON_RUN_AS_NODE, as its forked workers do. A refusal is remembered for
 * the life of this process; a probe that could not tell (a timeout on a busy machine, a signal) is not.
 */
export function checkWorkerFlags(flags: readonly string[]): FlagsCheck {
  if (flags.length === 0) return { result: Promise.resolve('accepted'), cancel: () => undefined };
  const key = JSON.stringify(flags);
  const known = refusals.get(key);
  if (known) return { result: known, cancel: () => undefined };
  const child = spawn(process.execPath, [...flags, '-e', ''], { stdio: 'ignore', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  // Not unref'd: a run awaiting the answer must keep the process alive. A pool that ends first kills it (cancel).
  const result = new Promise<FlagsProbe>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    timer.unref();
    const settle = (probe: FlagsProbe): void => {
      clearTimeout(timer);
      resolve(probe);
    };
    child.once('error', () => settle('unknown'));
    child.once('exit', (code) => settle(code === 0 ? 'accepted' : code === BAD_OPTION_EXIT ? 'refused' : 'unknown'));
  });
  void result.then((probe) => {
    if (probe === 'refused') refusals.set(key, result);
  });
  return { result, cancel: () => child.kill('SIGKILL') };
}
