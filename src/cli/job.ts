import * as os from 'node:os';
import * as path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { runJob, type JobResult, type JobSpec } from '../core/engine';
import { sha256 } from '../core/hash';
import { cacheFileName, planJob, type PlannedJob } from '../core/job-planner';
import { ResultCache, type CacheStrategy } from '../core/result-cache';
import type { ExternalRun } from '../core/task-api';
import { cacheKeyFor } from '../tasks/cache-key';
import { taskKind } from '../tasks/registry';
import type { Executor } from '../core/executor';
import { InProcessExecutor } from '../core/in-process-executor';
import { RunState } from '../core/run-state';
import { TunedPool } from '../core/tuned-pool';
import type { IsolationChoice } from '../core/worker-tuning';
import { UsageError } from '../core/errors';
import { runBatch } from '../worker/run-batch';
import { taskHandlers } from '../worker/handlers';
import { exitNow } from './exit-guard';
import { daemonExecutor, type DaemonFlags } from './daemon-choice';
import { queueUrl, type QueueFlags } from './queue-env';
import { ProgressDisplay } from './progress';
import { recordPhases } from './phases';
import { changedSelection, reportNothingChecked, type ChangedFlag } from './changed';
import { exitOnTerminationSignals } from './signals';

/** Options every command shares. */
export interface CommonOptions extends QueueFlags, DaemonFlags {
  readonly workers?: string;
  readonly isolation?: string;
  readonly timeout: string;
  readonly include?: string[];
  readonly exclude?: string[];
  readonly gitignore: boolean;
  readonly maxFileSize: string;
  readonly progress: boolean;
  /** `--timing`: the slowest files (and lint's slowest rules) after the run. */
  readonly timing?: boolean;
  readonly cache: boolean;
  readonly cacheLocation?: string;
  readonly cacheStrategy: CacheStrategy;
  /** `--changed [REF]`: only the files git reports changed against REF (true: HEAD), plus untracked ones. */
  readonly changed?: ChangedFlag;
  /** With `--changed`: no changed file to check exits 0 instead of 2. */
  readonly passOnNoChanges?: boolean;
}

export interface CliJob {
  /** A registered kind's name (src/tasks/registry.ts). */
  readonly kind: string;
  readonly paths: readonly string[];
  readonly options: unknown;
  /** An external program's run, prepared by its command with the flags applied (custom tasks). */
  readonly external?: ExternalRun;
}

/** The longest delay a Node timer takes (setTimeout fires at once beyond it). */
export const MAX_TIMER_MS = 2_147_483_647;

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
function defaultCacheFile(cwd: string, plan: PlannedJob): string {
  const name = cacheFileName(plan.kind.name, cwd, plan.options);
  if (existsSync(path.join(cwd, 'node_modules'))) return path.join(cwd, 'node_modules', '.cache', 'parallel-tasks', name);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'parallel-tasks', name);
}

let build: string | undefined;

/** The worker bundle's own hash, read once per process: part of every cache key, and what a queue's workers must match. */
export function workerBuild(): string {
  build ??= sha256(readFileSync(path.join(__dirname, 'worker.js')));
  return build;
}

async function openCache(plan: PlannedJob, common: CommonOptions, cwd: string): Promise<JobSpec['cache']> {
  if (!common.cache || !plan.cacheable || !plan.kind.cache) return undefined;
  const store = await ResultCache.open(path.resolve(common.cacheLocation ?? defaultCacheFile(cwd, plan)), plan.kind.cache.value, common.cacheStrategy);
  if (store.discarded) process.stderr.write(`parallel-tasks: ${store.discarded}\n`);
  // The worker bundle's own hash: a new build of our handlers invalidates every entry.
  return { store, keyFor: await cacheKeyFor(plan.kind, plan.options, cwd, workerBuild()) };
}

/**
 * Past the per-file time limit, an in-process file stuck on a promise is abandoned by the scheduler;
 * one that never yields cannot be, and ends the process a little later (see StuckFileWatchdog).
 */
const STUCK_GRACE_MS = 5000;

function inProcessExecutor(fileTimeoutMs: number): Executor {
  return new InProcessExecutor((request, emit, shouldStop) => runBatch(taskHandlers, request, emit, { shouldStop }), fileTimeoutMs + STUCK_GRACE_MS);
}

function createExecutor(plan: PlannedJob, fileTimeoutMs: number): Executor {
  if (plan.external) return plan.external.executor;
  if (plan.workers === 0) return inProcessExecutor(fileTimeoutMs);
  return createPool(plan, plan.workers, plan.heapCapMb);
}

/** Workers start on demand, so a pool that ends up unused costs only the check of its processes' flags (~40 ms, beside discovery). */
function createPool(plan: PlannedJob, workers: number, heapMb: number): TunedPool {
  return new TunedPool({ script: path.join(__dirname, 'worker.js'), workers, isolation: plan.isolation, maxOldGenerationSizeMb: heapMb });
}

function parseIsolation(value: string | undefined): IsolationChoice | undefined {
  if (value === undefined || value === 'thread' || value === 'process' || value === 'auto') return value;
  throw new UsageError(`--isolation must be auto, thread or process, got "${value}"`);
}

/** The common flags as a planned job: the planner (shared with the editor) fills in what the kind decides. */
function planCliJob(job: CliJob, common: CommonOptions, cwd: string, only: readonly string[] | undefined): { plan: PlannedJob; automatic: boolean; fileTimeoutMs: number } {
  // Without --workers the CLI picks: one worker per core, or none for a run too small to pay for starting them.
  const automatic = common.workers === undefined;
  const workers = automatic ? os.availableParallelism() : parseCount(common.workers ?? '', '--workers');
  const timeoutSeconds = Number(common.timeout);
  // Node's timers hold at most 2^31 - 1 ms (about 24.8 days); past that a timer fires at once, failing every file.
  if (!(timeoutSeconds > 0) || timeoutSeconds * 1000 > MAX_TIMER_MS) throw new UsageError(`--timeout must be a positive number of seconds up to ${MAX_TIMER_MS / 1000}, got "${common.timeout}"`);
  const plan = planJob({
    kind: taskKind(job.kind),
    options: job.options,
    root: cwd,
    paths: job.paths,
    include: common.include ?? [],
    exclude: common.exclude ?? [],
    gitignore: common.gitignore,
    maxFileSize: parseCount(common.maxFileSize, '--max-file-size'),
    workers,
    isolation: parseIsolation(common.isolation),
    fileTimeoutMs: timeoutSeconds * 1000,
    external: job.external,
    ...(only ? { only } : {}),
  });
  return { plan, automatic, fileTimeoutMs: timeoutSeconds * 1000 };
}

/** Ctrl+C cancels gracefully (a second one exits at once); SIGTERM and SIGHUP stop the run and exit once the workers are gone. */
function handleInterrupts(executor: Executor, controller: AbortController): { termination: ReturnType<typeof exitOnTerminationSignals>; dispose(): void } {
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
  return { termination, dispose: () => process.off('SIGINT', onSigint) };
}

/**
 * Runs a job from the command line: picks the executor, shows progress on a
 * terminal, turns Ctrl+C into a graceful cancel (a second Ctrl+C exits at
 * once), and always terminates the pool.
 */
export async function runCliJob<R>(job: CliJob, common: CommonOptions): Promise<JobResult<R>> {
  const cwd = process.cwd();
  const changed = await changedSelection(common.changed, cwd);
  const { plan, automatic, fileTimeoutMs } = planCliJob(job, common, cwd, changed?.files);
  const cache = await openCache(plan, common, cwd);
  const url = queueUrl(common);
  // Through a queue, --workers counts the workers this process adds to it; none unless asked.
  // Loaded only by a run through a queue: BullMQ and its Redis client cost every other run ~100 ms to load.
  const queueRun = url ? await (await import('./queue-run')).openQueueRun(url, common, plan, automatic ? 0 : plan.workers, fileTimeoutMs, cache?.keyFor) : undefined;
  // Not through a queue, the run goes to the workspace's warm daemon pool when it may (see daemon-choice.ts).
  const daemon = queueRun ? undefined : await daemonExecutor(plan, common, cwd);
  const executor = queueRun?.executor ?? daemon?.executor ?? createExecutor(plan, fileTimeoutMs);
  const controller = new AbortController();
  const interrupts = handleInterrupts(executor, controller);
  const termination = interrupts.termination;

  const state = new RunState<R>();
  const phases = recordPhases(state);
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
        ...plan.spec,
        signal: controller.signal,
        // Through a queue, what this machine's cache misses is asked of the queue's shared one.
        cache: cache && queueRun?.shared ? { ...cache, shared: queueRun.shared } : cache,
        ...(automatic && !plan.fragile && !plan.external && !queueRun && !daemon?.warm ? { smallRunExecutor: () => inProcessExecutor(fileTimeoutMs) } : {}),
        // Workers that each need much memory (type-aware lint): no more than fit, in a pool made for the run.
        ...(plan.workerMemory && !queueRun ? { memoryFit: { estimate: plan.workerMemory, fewerWorkers: (workers: number, heapMb: number) => createPool(plan, workers, heapMb) } } : {}),
      },
      state,
    );
    // A termination signal stopped the run: the process exits once the workers are gone; nothing may
    // act on the partial result meanwhile (a transform would start writing files).
    if (termination.stopping) await new Promise<never>(() => undefined);
    reportNothingChecked(changed, result.state.snapshot().counts.total, common.passOnNoChanges === true);
    return result;
  } finally {
    progress?.stop();
    subscription.dispose();
    interrupts.dispose();
    try {
      await (queueRun ? queueRun.close() : executor.terminate());
    } finally {
      // Only now: a SIGTERM while the pool is being terminated must still wait for that, not exit at once.
      termination.dispose();
      phases.dispose();
    }
  }
}
