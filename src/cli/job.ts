import * as os from 'node:os';
import * as path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { runJob, type JobResult, type JobSpec } from '../core/engine';
import { ResultCache, sha256, type CacheStrategy } from '../core/result-cache';
import { cacheKeyFor } from '../tasks/cache-key';
import { cachedValueSchema } from '../tasks/cached-values';
import type { Executor } from '../core/executor';
import { InProcessExecutor } from '../core/in-process-executor';
import { RunState } from '../core/run-state';
import { PoolExecutor, type Isolation } from '../core/pool-executor';
import { workerHeapLimitForMachine } from '../core/memory';
import { UsageError } from '../core/errors';
import type { SymlinkPolicy } from '../core/discovery';
import { runBatch } from '../worker/run-batch';
import { taskHandlers } from '../worker/handlers';
import { exitNow } from './exit-guard';
import { ProgressDisplay } from './progress';
import { exitOnTerminationSignals } from './signals';

/** Options every command shares. */
export interface CommonOptions {
  readonly workers?: string;
  readonly isolation?: string;
  readonly timeout: string;
  readonly include?: string[];
  readonly exclude?: string[];
  readonly gitignore: boolean;
  readonly maxFileSize: string;
  readonly progress: boolean;
  readonly cache: boolean;
  readonly cacheLocation?: string;
  readonly cacheStrategy: CacheStrategy;
}

export interface CliJob {
  readonly kind: string;
  readonly paths: readonly string[];
  readonly options: unknown;
  readonly defaultInclude: readonly string[];
  /**
   * Runs code that may take its thread down (a codemod): never on the CLI's
   * own thread, however small the run, and in child processes unless
   * `--isolation thread` says otherwise.
   */
  readonly fragile?: boolean;
  /** Symbolic links: followed inside the folder (default), or skipped (transforms never write through a link). */
  readonly symlinks?: SymlinkPolicy;
  /**
   * External commands (custom tasks) bring their own executor, batch size
   * and time limit; their results are not cached, since the tool's inputs
   * are unknown to us.
   */
  readonly external?: { readonly executor: Executor; readonly batchFiles: number; readonly timeoutMs: number };
}


export function parseCount(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

/**
 * Where the CLI keeps its result cache: beside the project's other tool caches
 * in node_modules/.cache when there is one, else in the user's cache folder,
 * one file per project folder and task.
 */
function defaultCacheFile(cwd: string, kind: string, options: unknown): string {
  const name = `${kind}-${sha256(`${cwd}\n${JSON.stringify(options)}`).slice(0, 16)}.json`;
  if (existsSync(path.join(cwd, 'node_modules'))) return path.join(cwd, 'node_modules', '.cache', 'parallel-tasks', name);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'parallel-tasks', name);
}

async function openCache(job: CliJob, common: CommonOptions, cwd: string): Promise<JobSpec['cache']> {
  if (!common.cache) return undefined;
  const store = await ResultCache.open(path.resolve(common.cacheLocation ?? defaultCacheFile(cwd, job.kind, job.options)), cachedValueSchema(job.kind), common.cacheStrategy);
  if (store.discarded) process.stderr.write(`parallel-tasks: ${store.discarded}\n`);
  // The worker bundle's own hash: a new build of our handlers invalidates every entry.
  const engineBuild = sha256(readFileSync(path.join(__dirname, 'worker.js')));
  return { store, keyFor: await cacheKeyFor(job.kind, job.options, cwd, engineBuild) };
}

/**
 * Past the per-file time limit, an in-process file stuck on a promise is abandoned by the scheduler;
 * one that never yields cannot be, and ends the process a little later (see StuckFileWatchdog).
 */
const STUCK_GRACE_MS = 5000;

function inProcessExecutor(fileTimeoutMs: number): Executor {
  return new InProcessExecutor((request, emit, shouldStop) => runBatch(taskHandlers, request, emit, { shouldStop }), fileTimeoutMs + STUCK_GRACE_MS);
}

function createExecutor(workers: number, isolation: Isolation, fileTimeoutMs: number): Executor {
  if (workers === 0) return inProcessExecutor(fileTimeoutMs);
  // workerpool starts workers on demand, so a pool that ends up unused costs nothing.
  // Each worker's heap is capped at its share of the memory there is, so that a huge file fails alone instead of taking the machine.
  return new PoolExecutor({ script: path.join(__dirname, 'worker.js'), workers, isolation, maxOldGenerationSizeMb: workerHeapLimitForMachine(workers) });
}

function parseIsolation(value: string | undefined, fragile: boolean): Isolation {
  if (value === undefined) return fragile ? 'process' : 'thread';
  if (value === 'thread' || value === 'process') return value;
  throw new UsageError(`--isolation must be thread or process, got "${value}"`);
}

/**
 * Runs a job from the command line: picks the executor, shows progress on a
 * terminal, turns Ctrl+C into a graceful cancel (a second Ctrl+C exits at
 * once), and always terminates the pool.
 */
export async function runCliJob<R>(job: CliJob, common: CommonOptions): Promise<JobResult<R>> {
  const cwd = process.cwd();
  // Without --workers the CLI picks: one worker per core, or none for a run too small to pay for starting them.
  const automatic = common.workers === undefined;
  const workers = automatic ? os.availableParallelism() : parseCount(common.workers ?? '', '--workers');
  const timeoutSeconds = Number(common.timeout);
  if (!(timeoutSeconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got "${common.timeout}"`);
  const maxFileSize = parseCount(common.maxFileSize, '--max-file-size');

  const isolation = parseIsolation(common.isolation, job.fragile ?? false);
  const cache = job.external ? undefined : await openCache(job, common, cwd);
  const executor = job.external?.executor ?? createExecutor(workers, isolation, timeoutSeconds * 1000);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) {
      // At once, but not without what we started: worker processes and custom-task commands lead process
      // groups of their own, which the terminal's Ctrl+C does not reach. Custom-task commands are killed
      // here and now; worker processes see the CLI gone and end their groups (src/worker/parent-watch.ts).
      void executor.terminate();
      exitNow(130);
    }
    process.stderr.write('\nCancelling… (press Ctrl+C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  // Stop dispatching first, so that nothing is started on the pool while it is being terminated.
  const termination = exitOnTerminationSignals(async () => {
    controller.abort();
    await executor.terminate();
  });

  const state = new RunState<R>();
  let progress: ProgressDisplay<R> | undefined;
  const subscription = state.subscribe((event) => {
    // A run on this thread has nothing of ours to reap, and a handler could not run while a plugin
    // spins in it: Node's own SIGTERM (ending the process at once) is the right answer there.
    if (event.type === 'run-start' && event.executor === 'in-process') termination.dispose();
    if (event.type === 'run-start' && common.progress && process.stderr.isTTY) progress = new ProgressDisplay(state, cwd);
    if (event.type === 'output') process.stderr.write(event.text);
  });
  try {
    const result = await runJob<R>(
      executor,
      {
        kind: job.kind,
        root: cwd,
        options: job.options,
        discovery: {
          cwd,
          paths: job.paths,
          include: common.include?.length ? common.include : job.defaultInclude,
          exclude: common.exclude ?? [],
          gitignore: common.gitignore,
          maxFileSize,
          symlinks: job.symlinks ?? 'follow',
        },
        // An external command enforces its own time limit (and kills its process group); the watchdog is the backstop.
        scheduler: { fileTimeoutMs: job.external ? job.external.timeoutMs + 10_000 : timeoutSeconds * 1000, cancelGraceMs: 2000 },
        ...(job.external ? { batchBytes: Number.MAX_SAFE_INTEGER, batchMaxFiles: job.external.batchFiles } : {}),
        signal: controller.signal,
        cache,
        ...(automatic && !job.fragile && !job.external ? { smallRunExecutor: () => inProcessExecutor(timeoutSeconds * 1000) } : {}),
      },
      state,
    );
    // A termination signal stopped the run: the process exits once the workers are gone; nothing may
    // act on the partial result meanwhile (a transform would start writing files).
    if (termination.stopping) await new Promise<never>(() => undefined);
    return result;
  } finally {
    progress?.stop();
    subscription.dispose();
    process.off('SIGINT', onSigint);
    try {
      await executor.terminate();
    } finally {
      // Only now: a SIGTERM while the pool is being terminated must still wait for that, not exit at once.
      termination.dispose();
    }
  }
}
