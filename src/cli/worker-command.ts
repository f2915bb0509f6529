import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../core/errors';
import { parseQueueUrl } from '../queue/connection';
import { RemoteWorker } from '../queue/remote-worker';
import { DEFAULT_PREFIX } from '../queue/wire';
import { exitNow } from './exit-guard';
import { parseCount } from './job';
import { QUEUE_ENV } from './queue-env';

export interface WorkerCommandOptions {
  readonly queue?: string;
  readonly concurrency?: string;
  readonly name?: string;
  readonly insecure?: boolean;
  readonly queuePrefix?: string;
  readonly lockDuration?: string;
  readonly stalledInterval?: string;
}


/** Waiting this long for running batches after SIGTERM, then they are handed back to the queue (another worker runs them). */
const FINISH_LIMIT_MS = 30_000;

/**
 * `parallel-tasks worker`: serves the queue from this checkout until SIGTERM
 * or SIGINT. The first signal stops taking batches and lets the running ones
 * finish; a second (or the time limit) stops them too and puts them back in
 * the queue, where another worker takes them: the coordinator sees no failure.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const url = options.queue ?? process.env[QUEUE_ENV];
  // Out of the environment before any pool starts: the plugins and codemods the batches run must not find the password.
  delete process.env[QUEUE_ENV];
  if (!url) throw new UsageError(`worker needs --queue redis://HOST:PORT (or ${QUEUE_ENV})`);
  const connection = parseQueueUrl(url, { insecure: options.insecure === true });
  const concurrency = options.concurrency === undefined ? os.availableParallelism() : parseCount(options.concurrency, '--concurrency');
  if (concurrency < 1) throw new UsageError('--concurrency must be at least 1');
  const name = options.name ?? `${path.basename(process.cwd())}-${process.pid}`;
  // Coordinators print it and the panel shows it: printable text only, of a sensible length.
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (!/^[^\u0000-\u001f\u007f-\u009f]{1,100}$/.test(name)) throw new UsageError('--name must be 1 to 100 printable characters');
  const log = (line: string): void => void process.stderr.write(`parallel-tasks worker: ${line}\n`);
  const worker = await RemoteWorker.start({
    connection,
    prefix: options.queuePrefix ?? DEFAULT_PREFIX,
    root: process.cwd(),
    concurrency,
    name,
    workerScript: path.join(__dirname, 'worker.js'),
    ...(options.lockDuration ? { lockDurationMs: parseCount(options.lockDuration, '--lock-duration') } : {}),
    ...(options.stalledInterval ? { stalledIntervalMs: parseCount(options.stalledInterval, '--stalled-interval') } : {}),
    log,
  });
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        log(`${signal}: taking no more batches, finishing the running ones (again to stop them now)`);
        const limit = setTimeout(() => {
          log(`still running after ${FINISH_LIMIT_MS / 1000} s: stopping the running batches and handing them back to the queue`);
          void worker.close(true);
        }, FINISH_LIMIT_MS);
        void worker.close().finally(() => {
          clearTimeout(limit);
          resolve();
        });
      } else if (signals === 2) {
        log(`${signal}: stopping the running batches and handing them back to the queue`);
        void worker.close(true);
      } else exitNow(128 + os.constants.signals[signal]);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  log('stopped');
  return 0;
}
