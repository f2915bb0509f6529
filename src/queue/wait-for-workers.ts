import * as l10n from '@vscode/l10n';
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
    if (options.signal?.aborted) throw new QueueTimeoutError(l10n.t('cancelled while waiting for workers on {0}', options.connection.display));
    const now = Date.now();
    if (now - started >= options.queueTimeoutMs) {
      throw new QueueTimeoutError(noWorkerMessage(options));
    }
    if (now - noticed >= WAITING_NOTICE_MS) {
      noticed = now;
      options.log(`parallel-tasks: waiting for workers on ${options.connection.display}…`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** No worker came: the command that starts one (a command line, not words), and where its password goes. */
function noWorkerMessage(options: QueueExecutorOptions): string {
  const { display, password } = options.connection;
  const seconds = Math.round(options.queueTimeoutMs / 1000);
  const command = `parallel-tasks worker --queue ${display}${options.prefix === DEFAULT_PREFIX ? '' : ` --queue-prefix ${options.prefix}`}`;
  return password
    ? l10n.t('no worker served the queue at {0} within {1} s (start one with: {2}, its password in $PARALLEL_TASKS_QUEUE)', display, seconds, command)
    : l10n.t('no worker served the queue at {0} within {1} s (start one with: {2})', display, seconds, command);
}
