import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../core/errors';
import type { Executor } from '../core/executor';
import type { PlannedJob } from '../core/job-planner';
import type { SharedCache } from '../core/result-cache';
import { parseQueueUrl } from '../queue/connection';
import { QueueExecutor } from '../queue/queue-executor';
import { RemoteWorker } from '../queue/remote-worker';
import { DEFAULT_PREFIX } from '../queue/wire';
import { cacheKeyFor } from '../tasks/cache-key';
import { workerBuild, MAX_TIMER_MS } from './job';
import type { QueueFlags } from './queue-env';

/**
 * The executor of a run through the queue, and the workers this process adds
 * to it (`--workers N`). Closing ends both: the run's batches are withdrawn
 * first, then the local workers stop.
 */
export async function openQueueRun(
  url: string,
  flags: QueueFlags,
  plan: PlannedJob,
  localWorkers: number,
  fileTimeoutMs: number,
  /** The local cache's key function, when there is one: the same keys, so the tool's config is not loaded twice. */
  cacheKeys: ((file: string) => Promise<string>) | undefined,
): Promise<{ executor: Executor; shared: SharedCache | undefined; close(): Promise<void> }> {
  const queueTimeoutSeconds = Number(flags.queueTimeout ?? '60');
  if (!(queueTimeoutSeconds > 0) || queueTimeoutSeconds * 1000 > MAX_TIMER_MS) throw new UsageError(`--queue-timeout must be a positive number of seconds up to ${MAX_TIMER_MS / 1000}, got "${flags.queueTimeout}"`);
  const connection = parseQueueUrl(url, { insecure: flags.insecure === true });
  const prefix = flags.queuePrefix ?? DEFAULT_PREFIX;
  const root = plan.spec.root;
  const workerScript = path.join(__dirname, 'worker.js');
  const engineBuild = workerBuild();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const local =
    localWorkers > 0
      ? await RemoteWorker.start({ connection, prefix, root, concurrency: localWorkers, name: `${os.hostname()}-local`, workerScript, log: () => undefined })
      : undefined;
  try {
    // Always computed, cache or not: it is how a worker tells that its tools and config are the coordinator's.
    const keyFor = cacheKeys ?? (plan.kind.cache ? await cacheKeyFor(plan.kind, plan.options, root, engineBuild) : undefined);
    const executor = await QueueExecutor.open({
      connection,
      prefix,
      root,
      kind: plan.kind,
      engineBuild,
      ...(keyFor ? { keyFor } : {}),
      fileTimeoutMs,
      queueTimeoutMs: queueTimeoutSeconds * 1000,
      log,
    });
    return {
      executor,
      shared: executor.sharedCache(),
      close: async () => {
        await executor.terminate();
        await local?.close(true);
      },
    };
  } catch (error) {
    await local?.close(true);
    throw error;
  }
}
