import type * as vscode from 'vscode';

export type { RunKind } from '../shared/protocol';
import type { RunKind } from '../shared/protocol';
import type { ResultView } from '../core/task-api';

/** One workspace folder of a run and the paths in it (empty: the whole folder). Multi-root runs go folder by folder. */
export interface RunTarget {
  readonly folder: vscode.WorkspaceFolder;
  readonly paths: readonly string[];
  /** Of the files found, only these absolute paths (the files git reports changed); absent: every file. */
  readonly only?: readonly string[];
}

export interface RunRequest {
  /** A registered task kind (src/tasks/registry.ts): it says what the options mean, which files, trust, isolation and results. */
  readonly kind: RunKind;
  /** What the user asked for, in a few words: "Lint", "Prettier", "Codemod rename.ts". */
  readonly label: string;
  readonly options: unknown;
  readonly targets: readonly RunTarget[];
}

/** The outcome of a run as commands return it (tests read it too). Plain data only. */
export interface RunSummary {
  readonly kind: RunKind;
  /** How its results are shown (the kind's `results.view`). */
  readonly view?: ResultView;
  readonly label: string;
  /** The kind's one-line outcome ("3 problems", "2 files changed"); absent when the run was refused before it started. */
  readonly line?: string;
  readonly phase: 'completed' | 'cancelled' | 'failed' | 'refused';
  readonly error?: string;
  readonly files: number;
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  readonly cancelled: number;
  /** Files answered from the result cache (also counted in `done`). */
  readonly cached: number;
  readonly wallMs: number;
  readonly workers: number;
  readonly restarts: number;
  /** Lint and custom tasks: problems by severity. */
  readonly errors?: number;
  readonly warnings?: number;
  /** Transform: files with new content, applied through the edit, and left alone because they changed meanwhile. */
  readonly changed?: number;
  readonly applied?: number;
  /** Held for review in the panel (`transform.review: panel`). */
  readonly held?: number;
  readonly leftAlone?: readonly string[];
}
