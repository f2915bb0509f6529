import type { Redis } from 'ioredis';
import { UsageError } from '../core/errors';
import { listWorkers } from './presence';
import { DEFAULT_PREFIX } from './wire';
import type { QueueExecutorOptions } from './queue-executor';

/** How often a wait for workers says so. */
export const WAITING_NOTICE_MS = 5000;

/** No worker served the queue within --queue-timeout: nothing was checked, so the run is not a success. */
export class QueueTimeoutError extends UsageError {}

/** The worker slots serving the queue, once there is at least one worker. */
export async function waitForWorkers(redis: Redis, options: QueueExecutorOptions): Promise<number> {
  const started = Date.now();
  let noticed = started;
  for (;;) {
    const workers = await listWorkers(redis, options.prefix);
    if (workers.length > 0) return workers.reduce((n, w) => n + w.concurrency, 0);
    if (options.signal?.aborted) throw new QueueTimeoutError(`cancelled while waiting for workers on ${options.connection.display}`);
    const now = Date.now();
    if (now - started >= options.queueTimeoutMs) {
      throw new QueueTimeoutError(`no worker served the queue at ${options.connection.display} within ${Math.round(options.queueTimeoutMs / 1000)} s (start one with: parallel-tasks worker --queue ${options.connection.display}${options.prefix === DEFAULT_PREFIX ? '' : ` --queue-prefix ${options.prefix}`}${options.connection.password ? ', its password in $PARALLEL_TASKS_QUEUE' : ''})`);
    }
    if (now - noticed >= WAITING_NOTICE_MS) {
      noticed = now;
      options.log(`parallel-tasks: waiting for workers on ${options.connection.display}…`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
