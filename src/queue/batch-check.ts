/**
 * A worker's checks of a batch from the queue before anything runs: the queue
 * is input from the network, and the worker's checkout is its own. It runs a
 * batch only when it can give the coordinator the answer the coordinator
 * would have got itself.
 */
import { readFile, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage } from '../core/errors';
import { sha256 } from '../core/hash';
import { isInside } from '../core/paths';
import type { AnyTaskKind } from '../core/task-api';
import type { BatchRequest, FileOutcome } from '../core/types';
import { taskKind } from '../tasks/registry';
import { fromWirePath, localPath } from './batch-files';
import { isUncacheableKey } from '../tasks/cache-key';
import { batchJobSchema, NO_KEY, REFUSED, WIRE_FORMAT, type BatchJob } from './wire';

/** A batch this worker will not run, with the reason (sent back as the job's failure, which the coordinator shows). */
export class BatchRefusal extends Error {
  override readonly name = 'BatchRefusal';
}

export interface CheckedBatch {
  readonly job: BatchJob;
  readonly kind: AnyTaskKind;
  /** The request for the local pool, with this checkout's paths. */
  readonly request: BatchRequest;
  /** Local path → the wire path the coordinator knows it by. */
  readonly wirePaths: ReadonlyMap<string, string>;
  /** Files answered without running (their copy here differs and no text came with them). */
  readonly answered: readonly { readonly path: string; readonly outcome: FileOutcome<never> }[];
}

/** Parses the job's data and maps it onto this checkout; throws BatchRefusal when it is not for this worker. */
export function readBatch(data: unknown, root: string, engineBuild: string, who: string): { job: BatchJob; kind: AnyTaskKind; options: unknown; optionFiles: string[] } {
  const refuse = (why: string): never => {
    throw new BatchRefusal(`${REFUSED} ${who}: ${why}`);
  };
  const format = typeof data === 'object' && data !== null ? (data as { format?: unknown }).format : undefined;
  if (format !== WIRE_FORMAT) refuse(`the batch is in format ${String(format)}, this worker reads format ${WIRE_FORMAT} (run the same version of parallel-tasks on both sides)`);
  const parsed = batchJobSchema.safeParse(data);
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  if (!parsed.success) return refuse(`the batch is malformed (${issue?.message ?? 'invalid'}${issue?.path.length ? ` at ${issue.path.join('.')}` : ''})`);
  const job = parsed.data;
  if (job.engineBuild !== engineBuild) refuse('this worker runs another build of parallel-tasks than the coordinator (install the same version on both)');
  let kind: AnyTaskKind;
  try {
    kind = taskKind(job.kind);
  } catch (error) {
    return refuse(errorMessage(error));
  }
  const checked = kind.options.safeParse(job.options);
  if (!checked.success) return refuse(`invalid options for ${job.kind}`);
  let outside: string | undefined;
  const optionFiles: string[] = [];
  const options = kind.mapOptionPaths(checked.data, (wire: string) => {
    // The coordinator sends paths inside its workspace relative to it; anything else is not in this checkout.
    const local = localPath(root, wire);
    if (path.isAbsolute(wire) || !isInside(local, root)) outside = wire;
    optionFiles.push(local);
    return local;
  });
  if (outside) refuse(`the batch names a file outside the workspace (${outside})`);
  return { job, kind, options, optionFiles };
}

/**
 * The files of a batch as the pool gets them. A file whose copy here has the
 * coordinator's hash is read from disk, as a local run reads it; one that
 * differs (or is missing) is given the coordinator's text; one that differs
 * and came without text is answered with an error, never with this
 * checkout's stale result.
 */
export async function localRequest(job: BatchJob, kind: AnyTaskKind, options: unknown, root: string, who: string): Promise<CheckedBatch> {
  const files: string[] = [];
  const sources: Record<string, string> = {};
  const explicit: string[] = [];
  const wirePaths = new Map<string, string>();
  const answered: { path: string; outcome: FileOutcome<never> }[] = [];
  for (const file of job.files) {
    const local = fromWirePath(root, file.path);
    if (!local) throw new BatchRefusal(`${REFUSED} ${who}: the batch names a file outside the workspace (${file.path})`);
    wirePaths.set(local, file.path);
    const own = await readFile(local).then(sha256, () => undefined);
    if (own !== file.hash) {
      // A tool that reads the disk itself (a custom task's program) cannot be handed other content; our handlers can.
      if (kind.external) {
        answered.push({ path: file.path, outcome: { status: 'error', message: `${who}'s copy of this file differs from the coordinator's, and the task's program reads its own copy` } });
        continue;
      }
      if (file.text === undefined) {
        answered.push({ path: file.path, outcome: { status: 'error', message: `${who}'s copy of this file differs from the coordinator's, and the file is too large or not UTF-8 text to send` } });
        continue;
      }
      sources[local] = file.text;
    }
    files.push(local);
    if (file.explicit) explicit.push(local);
  }
  const request: BatchRequest = {
    kind: kind.name,
    root,
    options,
    files,
    ...(Object.keys(sources).length > 0 ? { sources } : {}),
    ...(explicit.length > 0 ? { explicit } : {}),
  };
  return { job, kind, request, wirePaths, answered };
}

/**
 * Refuses a batch that names a path leading out of this checkout through a symbolic link (a config, a codemod,
 * a file): the coordinator's discovery never sends one (a local run skips links to outside the folder), so it
 * is forged, and following it would run or read code elsewhere on this machine. For a path that does not exist
 * here, its nearest existing folder is what counts. Checked before anything loads a config.
 */
export async function refuseLinksOut(root: string, job: BatchJob, optionFiles: readonly string[], who: string): Promise<void> {
  const home = await realpath(root);
  const locals = [...optionFiles, ...job.files.flatMap((f) => fromWirePath(root, f.path) ?? [])];
  for (const local of locals) {
    let existing = local;
    let real: string | undefined;
    while (real === undefined) {
      real = await realpath(existing).catch(() => undefined);
      if (real === undefined) {
        const up = path.dirname(existing);
        if (up === existing) break;
        existing = up;
      }
    }
    if (real === undefined || !isInside(real, home)) {
      throw new BatchRefusal(`${REFUSED} ${who}: the batch names ${path.relative(root, local)}, which leads out of this checkout through a symbolic link`);
    }
  }
}

/** The files whose cache key the coordinator sent, in this checkout. */
export function keyedFiles(job: BatchJob, root: string): { readonly local: string; readonly wire: string; readonly key: string }[] {
  return job.files.flatMap((file) => {
    const local = file.key === undefined ? undefined : fromWirePath(root, file.path);
    return local && file.key !== undefined ? [{ local, wire: file.path, key: file.key }] : [];
  });
}

/** Refuses the batch when this checkout's tools or config give a file another cache key than the coordinator's. */
export function checkKeys(keyed: readonly { readonly wire: string; readonly key: string }[], ours: readonly string[], who: string): void {
  for (const [i, file] of keyed.entries()) {
    const own = ours[i] ?? '';
    if (file.key === NO_KEY && !isUncacheableKey(own)) {
      throw new BatchRefusal(`${REFUSED} ${who}: the coordinator's tool could not load its config for ${file.wire}, and this worker's can: they run different configs (a local run on the coordinator would fail)`);
    }
    if (file.key !== NO_KEY && own !== file.key) {
      throw new BatchRefusal(`${REFUSED} ${who}: its tool versions or config differ from the coordinator's for ${file.wire} (compare the lock files and config files of the two checkouts)`);
    }
  }
}
