/**
 * What a task kind is, for everything that runs one: the CLI, the editor, the
 * panel, the worker and every executor. A kind (lint, transform, analyze, a
 * custom command, the next one) implements `TaskKind` in its own folder under
 * src/tasks/ and is registered once (src/tasks/registry.ts); nothing else
 * switches on a kind's name. Core defines the shape and knows no kind.
 */
import type * as z from 'zod/mini';
import * as l10n from '@vscode/l10n';
import type { SymlinkPolicy } from './discovery';
import type { Executor } from './executor';
import type { IsolationChoice } from './worker-tuning';
import type { CachedValueSchema } from './result-cache';
import type { BatchRequest, DiscoveredFile, FileOutcome } from './types';

/**
 * Processes one file of a batch in a worker. Throwing `ConfigError` stops the
 * whole run; any other throw becomes an error outcome for that file only.
 */
export type FileHandler<O = unknown, R = unknown> = (file: string, request: BatchRequest<O>) => Promise<FileOutcome<R>>;

/** Finds the handler of a batch's kind, loading it on first use (a worker loads only the tools it runs). */
export type HandlerLookup = (kind: string) => Promise<FileHandler>;

/** One problem a tool reported, as the front ends show it (Problems, the panel, the CLI). Lines and columns count from 1. */
export interface Problem {
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** The rule or error code, with a link to its documentation when the tool gives one. */
  readonly code?: string;
  readonly codeUrl?: string;
}

/** A transform's answer for one file: the new text, and the hash of what it read (a writer refuses a file changed since). */
export interface FileEdit {
  readonly changed: boolean;
  readonly output?: string;
  readonly hash: string;
}

/** A function of a report, for the hotspot list. */
export interface ReportFunction {
  readonly name: string;
  /** 1-based, where the complexity is reported. */
  readonly line: number;
  readonly column: number;
  readonly complexity: number;
}

/** One file of a code-metrics report: the panel's table row, the report document's figures and the functions it ranks. */
export interface ReportRow {
  readonly lines: { readonly total: number; readonly code: number; readonly comment: number; readonly blank: number };
  readonly functions: readonly ReportFunction[];
  readonly maxNesting: number;
  readonly imports: readonly string[];
  readonly todos: number;
}

/**
 * How a kind's results reach the user: problems (Problems panel, the panel's
 * list), edits (a reviewed WorkspaceEdit, `--write`), or a report. Front ends
 * switch on `view`, exhaustively, never on a kind's name.
 */
export type ResultHandling<O, R> =
  | {
      readonly view: 'problems';
      problems(value: R): readonly Problem[];
      /** Where they go in Problems: a collection of their own or the main one, named by `source`, and what a failed file says. */
      diagnostics(options: O): ProblemsTarget;
      /**
       * Milliseconds the tool spent in each of its rules on this file, when the run asked for them
       * (ESLint's `stats`): the front ends add them up per rule over the run. Absent: no rule times.
       */
      ruleTimes?(value: R): Readonly<Record<string, number>> | undefined;
    }
  | { readonly view: 'edits'; edit(value: R): FileEdit }
  | { readonly view: 'report'; row(value: R): ReportRow };

/** See ResultHandling: custom tasks' problems live beside ESLint's for the same file instead of replacing them. */
export interface ProblemsTarget {
  /** Absent: the main collection. */
  readonly collection?: string;
  /** The diagnostics' source ("eslint", a custom task's name). */
  readonly source: string;
  /** Leads the one diagnostic of a file the tool failed on. */
  readonly failure: string;
}

export type ResultView = ResultHandling<unknown, unknown>['view'];

/** A kind whose work runs in another program brings its own executor, file globs and limits (custom tasks). */
export interface ExternalRun {
  readonly executor: Executor;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly timeoutMs: number;
  readonly batchFiles: number;
  /** The program's own words for the invocations that failed, for the log. */
  failures(): readonly string[];
}

/** How many files ended how, across the folders of a run: what a summary line is made of. */
export interface RunTotals {
  readonly done: number;
  readonly failed: number;
  readonly errors: number;
  readonly warnings: number;
  readonly changed: number;
}

export interface TaskKind<O = unknown, R = unknown> {
  /** Its name in batches, caches and the protocol. */
  readonly name: string;
  /** A few words for titles: "Lint", "Analyze". */
  readonly title: string;
  /** For summary lines: "Linted 12 files …". */
  readonly pastTense: string;
  /** Its options; the TypeScript type is inferred from it, and every front end's options are parsed by it. */
  readonly options: z.ZodMiniType<O>;
  /** The files it takes in a folder, unless the user says otherwise. */
  defaultInclude(options: O): readonly string[];
  /** Whether it loads code from the workspace (configs, plugins, codemods): such a kind does not run in an untrusted workspace. */
  loadsWorkspaceCode(options: O): boolean;
  /** Files its options name that it will load and execute: in the editor they must lie inside the workspace. */
  executedFiles(options: O): readonly string[];
  /**
   * Its options with every path they name passed through `map`: a queue sends
   * them relative to the workspace root, and a worker on another machine
   * resolves them in its own checkout.
   */
  mapOptionPaths(options: O, map: (file: string) => string): O;
  /** The same for a result: the paths it names (ESLint's `filePath`, a tool's config file), so results come back with the coordinator's paths. */
  mapValuePaths(value: R, map: (file: string) => string): R;
  /** The `isolation.*` setting that decides where it runs, and the isolation without one. */
  isolation(options: O): { readonly setting: string; readonly fallback: IsolationChoice };
  /** Runs code that may take its thread down (a codemod): never on the caller's thread, however small the run. */
  fragile(options: O): boolean;
  /** Symbolic links: followed inside the folder, or skipped (transforms never write through a link). */
  readonly symlinks: SymlinkPolicy;
  /** Whether an editor's unsaved text is used instead of the file (not for tools that read the disk themselves). */
  readonly unsavedText: boolean;
  /**
   * Results worth keeping between runs: the shape a cached value must have,
   * and the key of everything besides a file's content that its result
   * depends on (what the tool itself resolves; see src/tasks/cache-key.ts).
   * Absent: never cached.
   */
  readonly cache?: {
    readonly value: CachedValueSchema;
    keyInputs(options: O, root: string): Promise<CacheKeyInputs>;
  };
  /**
   * What each worker will need in memory for these files, when it is far more
   * than an ordinary worker (a type-aware lint builds a TypeScript program per
   * worker): the engine then starts no more workers than fit. Absent, or
   * undefined for a run: the worker count stands.
   */
  workerMemory?(options: O, root: string): WorkerMemoryEstimate;
  /** The worker side, loaded only where files are processed. Absent for a kind that brings its own executor. */
  handler?(): Promise<FileHandler<O, R>>;
  /** An external program's run in a folder (custom tasks), or why the folder has nothing to run. */
  external?(options: O, root: string): Promise<ExternalRun | { readonly skip: string }>;
  readonly results: ResultHandling<O, R>;
  /** How the outcome of a run reads in one line ("3 problems", "2 files changed"). */
  summaryLine(totals: RunTotals): string;
}

/**
 * See TaskKind.workerMemory. `perWorkerMb` is cheap (from the files' sizes);
 * `applies` may load the tool's config, so it is asked only when the memory
 * would not suffice for the workers asked for.
 */
export interface WorkerMemoryEstimate {
  /** What such a worker is called in the message: "type-aware lint worker". */
  readonly what: string;
  perWorkerMb(files: readonly DiscoveredFile[]): number;
  applies(files: readonly DiscoveredFile[]): Promise<boolean>;
}

/** What a file's cache key is made of besides its content: fixed parts, and an optional fingerprint per file. */
export interface CacheKeyInputs {
  readonly parts: readonly string[];
  readonly perFile?: (file: string) => Promise<string>;
}

/** Any registered kind, its option and result types erased: what the registry and the front ends hold. */
// The erasure is sound because options are parsed by the kind's own schema before they reach it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: function parameters are contravariant, so unknown would reject every kind
export type AnyTaskKind = TaskKind<any, any>;

export class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';
  constructor(kind: string, known: readonly string[]) {
    super(l10n.t('unknown task kind "{0}" (known: {1})', kind, known.join(', ')));
  }
}

/** Exhaustive switches over `ResultView` and the like end here: a new variant fails to compile until handled. */
export function unreachable(value: never): never {
  throw new Error(`unhandled case: ${String(value)}`);
}
