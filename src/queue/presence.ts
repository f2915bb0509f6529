/**
 * Who is there: each worker keeps a short-lived key saying what it is and what
 * it runs, and each run keeps one saying its coordinator is alive. Both expire
 * on their own, so a machine that dies (or a coordinator killed mid-run)
 * disappears without anyone cleaning up after it.
 */
import type { Redis } from 'ioredis';
import { workerPresenceSchema, type WorkerPresence } from './wire';

/** How often presence is refreshed, and how long it outlives the last refresh. */
export const PRESENCE_REFRESH_MS = 1000;
export const PRESENCE_TTL_MS = 5000;
/** A run's coordinator refreshes its key this often; a worker skips batches of a run whose key is gone. */
export const RUN_REFRESH_MS = 5000;
export const RUN_TTL_MS = 30_000;

const workerKey = (prefix: string, id: string): string => `${prefix}:pt:worker:${id}`;
/**
 * The ids of the workers that announced themselves. Finding them by SCAN would walk the whole keyspace (the shared
 * cache's entries too) every two seconds; the set holds only ids, and an id whose key expired is dropped when the
 * workers are listed — no clock is compared, so machines whose clocks differ do not drop each other.
 */
const workersIndex = (prefix: string): string => `${prefix}:pt:workers`;
const runKey = (prefix: string, run: string): string => `${prefix}:pt:run:${run}`;

export function presenceId(presence: WorkerPresence): string {
  return `${presence.worker.host}:${presence.worker.name}:${presence.worker.pid}`;
}

export async function publishPresence(client: Redis, prefix: string, presence: WorkerPresence): Promise<void> {
  const id = presenceId(presence);
  await client.multi().set(workerKey(prefix, id), JSON.stringify(presence), 'PX', PRESENCE_TTL_MS).sadd(workersIndex(prefix), id).exec();
}

export async function withdrawPresence(client: Redis, prefix: string, presence: WorkerPresence): Promise<void> {
  const id = presenceId(presence);
  await client.multi().del(workerKey(prefix, id)).srem(workersIndex(prefix), id).exec();
}

/** The workers serving the queue now. An entry that does not parse (another version, or forged) is left out. */
export async function listWorkers(client: Redis, prefix: string): Promise<WorkerPresence[]> {
  const ids = await client.smembers(workersIndex(prefix));
  if (ids.length === 0) return [];
  const values = await client.mget(...ids.map((id) => workerKey(prefix, id)));
  const gone = ids.filter((_, i) => values[i] === null);
  // A worker that died without withdrawing: its key expired, its id goes too. A worker that comes back adds it again.
  if (gone.length > 0) await client.srem(workersIndex(prefix), ...gone);
  const workers: WorkerPresence[] = [];
  for (const value of values) {
    if (value === null) continue;
    try {
      const parsed = workerPresenceSchema.safeParse(JSON.parse(value));
      if (parsed.success) workers.push(parsed.data);
    } catch {
      // Not JSON: not one of ours.
    }
  }
  return workers;
}

export async function markRunAlive(client: Redis, prefix: string, run: string): Promise<void> {
  await client.set(runKey(prefix, run), '1', 'PX', RUN_TTL_MS);
}

export async function markRunOver(client: Redis, prefix: string, run: string): Promise<void> {
  await client.del(runKey(prefix, run));
}

export async function isRunAlive(client: Redis, prefix: string, run: string): Promise<boolean> {
  return (await client.exists(runKey(prefix, run))) === 1;
}
