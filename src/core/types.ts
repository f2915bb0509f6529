/**
 * Plain, serialisable data shared by the engine, the worker and the front ends.
 * Nothing here may hold functions or class instances: batches and their results
 * cross thread (and later process or machine) boundaries.
 */

/** A file found by discovery, with its size in bytes (used for batching and ordering). */
export interface DiscoveredFile {
  readonly path: string;
  readonly size: number;
  /** Modification time from discovery: lets the result cache skip re-hashing files that did not change. */
  readonly mtimeMs?: number;
  /**
   * Named on purpose (a path argument, an explorer selection) rather than found
   * in a folder: a tool that ignores such a file says so, as ESLint warns
   * "File ignored because …" for a file it was asked about.
   */
  readonly explicit?: boolean;
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

/** A group of files dispatched to one worker as one task. */
export interface Batch {
  readonly id: number;
  readonly files: readonly DiscoveredFile[];
  readonly bytes: number;
}

/** What a worker receives for one batch. `kind` selects the handler registered in the worker. */
export interface BatchRequest<O = unknown> {
  readonly kind: string;
  /** The folder the run is rooted at: tools are resolved and configs looked up from here. */
  readonly root: string;
  readonly options: O;
  readonly files: readonly string[];
  /**
   * Text to use instead of the file on disk, for files of this batch that are
   * open in an editor with unsaved changes.
   */
  readonly sources?: Readonly<Record<string, string>>;
  /** The files of this batch that were named on purpose (see `DiscoveredFile.explicit`). */
  readonly explicit?: readonly string[];
}

/** The outcome of processing one file. `error` means the tool failed on that file; the worker is fine. */
export type FileOutcome<R> =
  | { readonly status: 'ok'; readonly value: R }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'error'; readonly message: string; readonly fatal?: boolean };

/** Messages a worker emits while it works through a batch. */
export type WorkerMessage<R> =
  | { readonly type: 'file-start'; readonly file: string; readonly threadId: number }
  | {
      readonly type: 'file-done';
      readonly file: string;
      readonly threadId: number;
      readonly outcome: FileOutcome<R>;
      readonly durationMs: number;
    }
  | { readonly type: 'output'; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  /** A queued batch went back to its queue (its worker stopped answering, or handed it back): no file of it is running. */
  | { readonly type: 'requeued' };
