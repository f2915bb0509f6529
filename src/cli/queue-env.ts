/** The environment variable every command reads the queue's URL from when `--queue` is not given. */
export const QUEUE_ENV = 'PARALLEL_TASKS_QUEUE';

/** What a run needs to reach a queue (the flags of every run command). */
export interface QueueFlags {
  readonly queue?: string;
  readonly queueTimeout?: string;
  readonly insecure?: boolean;
  readonly queuePrefix?: string;
}

/** The queue's URL from `--queue` or the environment, if the run goes through one. */
export function queueUrl(flags: QueueFlags): string | undefined {
  const url = flags.queue ?? (process.env[QUEUE_ENV] || undefined);
  // Taken out of the environment once read: the workers this process starts run plugins and codemods, which
  // must not find the queue's password there.
  delete process.env[QUEUE_ENV];
  return url;
}
