import * as z from 'zod/mini';
import * as l10n from '@vscode/l10n';
import type { JobSpec } from './engine';
import { UsageError } from './errors';
import { sha256 } from './hash';
import { workerHeapLimitForMachine } from './memory';
import type { IsolationChoice } from './worker-tuning';
import type { AnyTaskKind, ExternalRun, WorkerMemoryEstimate } from './task-api';

/**
 * What a front end knows before a run, from CLI flags or the editor's
 * settings: everything else about the job (option defaults, globs, links,
 * isolation, heap cap, cache file, time limits of external commands) comes
 * from the task kind, here, once for both.
 */
export interface JobRequest {
  readonly kind: AnyTaskKind;
  /** As given: parsed by the kind's schema here, so nothing else sees options of the wrong shape. */
  readonly options: unknown;
  /** The folder the run is rooted at: paths, globs and configs are taken from here. */
  readonly root: string;
  /** Paths or globs named by the user; empty: the whole folder. */
  readonly paths: readonly string[];
  /** The user's include globs; empty: the kind's own. An external task's own globs always decide. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly gitignore: boolean;
  readonly maxFileSize: number;
  /** Settings and panel messages name these paths, not a person at a prompt: never leave the folder. */
  readonly confine?: boolean;
  /** Of the files found, only these absolute paths (the changed files, see changed-files.ts); absent: every file. */
  readonly only?: readonly string[];
  /** `paths` are files taken as a folder walk finds them (see DiscoveryOptions.asWalked). */
  readonly asWalked?: boolean;
  /** Whether a path that matches nothing ends the run before it starts (see JobSpec). */
  readonly failOnUnmatched?: boolean;
  readonly workers: number;
  /** The isolation asked for (a flag, a setting); absent: the kind's. */
  readonly isolation?: IsolationChoice;
  readonly fileTimeoutMs: number;
  /** A fixed batch size in bytes; absent or 0: adaptive. */
  readonly batchBytes?: number;
  /** An external program's run the front end prepared itself (the CLI applies its flags to the task first). */
  readonly external?: ExternalRun;
}

export interface PlannedJob {
  readonly kind: AnyTaskKind;
  /** The options as the kind's schema parsed them. */
  readonly options: unknown;
  /** Everything `runJob` needs but the cache (opened by the front end, which knows where caches live). */
  readonly spec: Omit<JobSpec, 'cache' | 'signal' | 'sources' | 'smallRunExecutor' | 'memoryFit'>;
  /** Where the work runs: our workers (threads or processes) or the kind's external executor. */
  readonly isolation: IsolationChoice;
  readonly workers: number;
  /** Each worker's heap cap: its share of the machine's memory, so a huge file fails alone instead of taking the machine. */
  readonly heapCapMb: number;
  /** Runs code that may take its thread down: never on the caller's thread. */
  readonly fragile: boolean;
  /** Whether an editor's unsaved text may stand in for the file on disk. */
  readonly unsavedText: boolean;
  /** Results may be cached (the kind says what they depend on). */
  readonly cacheable: boolean;
  readonly external?: ExternalRun;
  /**
   * What each worker needs when that is far more than usual (type-aware lint): the front end passes it to the
   * engine with a way to make a smaller pool, and the engine starts no more workers than the memory holds.
   */
  readonly workerMemory?: WorkerMemoryEstimate;
}

/** An external command enforces its own time limit (and kills its process group); the scheduler's watchdog is the backstop. */
const EXTERNAL_TIMEOUT_GRACE_MS = 10_000;
const CANCEL_GRACE_MS = 2000;

/** Parses a kind's options; a wrong shape is the caller's mistake, said in its terms. */
export function parseOptions(kind: AnyTaskKind, options: unknown): unknown {
  const parsed = kind.options.safeParse(options);
  if (!parsed.success) throw new UsageError(l10n.t('invalid options for {0}: {1}', kind.name, z.prettifyError(parsed.error).replace(/\n/g, '; ')));
  return parsed.data;
}

/** Turns what a front end knows into the job both front ends run. */
export function planJob(request: JobRequest): PlannedJob {
  const { kind, external } = request;
  const options = parseOptions(kind, request.options);
  const isolation = request.isolation ?? kind.isolation(options).fallback;
  const include = external ? external.include : request.include.length > 0 ? request.include : kind.defaultInclude(options);
  return {
    kind,
    options,
    isolation,
    workers: request.workers,
    heapCapMb: workerHeapLimitForMachine(request.workers),
    fragile: kind.fragile(options),
    unsavedText: kind.unsavedText && !external,
    cacheable: kind.cache !== undefined && !external,
    ...(external ? { external } : {}),
    ...(kind.workerMemory && !external ? { workerMemory: kind.workerMemory(options, request.root) } : {}),
    spec: {
      kind: kind.name,
      root: request.root,
      options,
      discovery: {
        cwd: request.root,
        paths: request.paths,
        include,
        // An external task's own excludes come first; the user's narrow them further.
        exclude: [...(external?.exclude ?? []), ...request.exclude],
        gitignore: request.gitignore,
        maxFileSize: request.maxFileSize,
        symlinks: kind.symlinks,
        ...(request.confine ? { confine: true } : {}),
        ...(request.only ? { only: request.only } : {}),
        ...(request.asWalked ? { asWalked: true } : {}),
      },
      ...(request.failOnUnmatched !== undefined ? { failOnUnmatched: request.failOnUnmatched } : {}),
      scheduler: { fileTimeoutMs: external ? external.timeoutMs + EXTERNAL_TIMEOUT_GRACE_MS : request.fileTimeoutMs, cancelGraceMs: CANCEL_GRACE_MS },
      // An external command takes its batches by file count (its own `batchSize`), whatever their size.
      ...(external ? { batchBytes: Number.MAX_SAFE_INTEGER, batchMaxFiles: external.batchFiles } : request.batchBytes ? { batchBytes: request.batchBytes } : {}),
    },
  };
}

/**
 * The name of a job's result cache file: one per folder, kind and options,
 * so that runs with other options (another config, another codemod) keep
 * their own results. `folder` identifies the folder (a path, a URI).
 */
export function cacheFileName(kind: string, folder: string, options: unknown): string {
  return `${kind}-${sha256(`${folder}\n${JSON.stringify(options)}`).slice(0, 16)}.json`;
}
