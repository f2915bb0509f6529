import { cacheKeyFor } from '../tasks/cache-key';
import { taskKind } from '../tasks/registry';

/** What a queue worker asks for: the cache keys this checkout gives the files of a batch. */
export interface CacheKeysRequest {
  /** The run the batch belongs to: a run's key function (its tool's config, loaded once) is kept for its other batches. */
  readonly run: string;
  readonly kind: string;
  readonly options: unknown;
  readonly root: string;
  readonly engineBuild: string;
  readonly files: readonly string[];
}

/** Runs whose key functions are kept. */
const KEPT = 8;
const keyFunctions = new Map<string, Promise<(file: string) => Promise<string>>>();

/**
 * The cache keys of files, computed in a worker thread: loading an ESLint
 * config and asking it about each file is CPU work that, on a queue worker's
 * main thread, would starve the renewal of its batches' locks.
 */
export async function cacheKeys(request: CacheKeysRequest): Promise<string[]> {
  // By run and what the key depends on: two batches that share a run id but not their options share nothing.
  const id = JSON.stringify([request.run, request.kind, request.options, request.root]);
  let keyFor = keyFunctions.get(id);
  if (!keyFor) {
    keyFor = cacheKeyFor(taskKind(request.kind), request.options, request.root, request.engineBuild);
    keyFunctions.set(id, keyFor);
    if (keyFunctions.size > KEPT) keyFunctions.delete(keyFunctions.keys().next().value as string);
  }
  const made = await keyFor;
  return Promise.all(request.files.map((file) => made(file)));
}
