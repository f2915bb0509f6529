import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FileOutcome } from '../../src/core/types';
import type { HandlerRegistry } from '../../src/worker/run-batch';

/** Task kinds for the pool-overhead scenario, shared by the worker and the in-process baseline. */
export const taskKinds: HandlerRegistry = {
  /** Returns at once: the cost measured is dispatch, messages and bookkeeping. */
  noop: async (): Promise<FileOutcome<number>> => ({ status: 'ok', value: 0 }),
  /** A small real task: read the file and hash it (what the cache does per file). */
  small: async (file): Promise<FileOutcome<string>> => ({ status: 'ok', value: createHash('sha256').update(await readFile(file)).digest('hex').slice(0, 8) }),
};
