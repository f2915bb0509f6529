/**
 * Runs through a queue on Redis (parallelTasks.queue.url). Imported lazily by
 * engine-entry.ts (`loadQueue`), so that BullMQ and its Redis client are
 * evaluated only by a run that uses them: about 250 ms of a first run
 * otherwise.
 */
export { parseQueueUrl } from '../queue/connection';
export { QueueExecutor } from '../queue/queue-executor';
export { DEFAULT_PREFIX } from '../queue/wire';
