/**
 * What travels through the queue: a batch for a worker on another machine and
 * what it sends back. Both sides validate with these schemas (a job in Redis
 * is input from the network), and the types are inferred from them.
 */
import * as z from 'zod/mini';

/** Bumped when a field changes meaning: a worker refuses a batch of another format instead of misreading it. */
export const WIRE_FORMAT = 1;

/** The queue the batches go through, and the one each run's parent job lives in (nobody processes it: it holds the run). */
export const BATCH_QUEUE = 'batches';
export const RUN_QUEUE = 'runs';
/** BullMQ's key prefix for our queues; tests use one of their own per test. */
export const DEFAULT_PREFIX = 'parallel-tasks';

/** A path relative to the workspace root, with `/` separators, that stays inside it. */
const relativePath = z.string().check(
  // A backslash is a character of a file name on Linux and macOS, a separator on Windows (where it could climb out).
  z.refine((p) => p.length > 0 && !p.startsWith('/') && !(process.platform === 'win32' && p.includes('\\')) && !p.includes('\0') && !p.split('/').includes('..'), 'a path relative to the workspace, inside it'),
);

const batchFileSchema = z.strictObject({
  path: relativePath,
  /** SHA-256 of the coordinator's bytes: a worker whose copy differs uses `text` instead of its own. */
  hash: z.string(),
  /** The coordinator's cache key for the file: a worker whose tools or config give another refuses the batch. */
  key: z.optional(z.string()),
  /** The content, for files up to the size limit that are UTF-8 text. */
  text: z.optional(z.string()),
  /** Named on purpose (see DiscoveredFile.explicit). */
  explicit: z.optional(z.boolean()),
});

export const batchJobSchema = z.strictObject({
  format: z.literal(WIRE_FORMAT),
  /** The run it belongs to: cancelling the run reaches its batches by this. */
  run: z.string(),
  /** Who asked: host and pid, for the worker's log. */
  coordinator: z.string(),
  kind: z.string(),
  /** The kind's options, with paths relative to the workspace root (TaskKind.mapOptionPaths). */
  options: z.unknown(),
  /** SHA-256 of the coordinator's worker bundle: both sides must run the same build of our handlers. */
  engineBuild: z.string(),
  // Node's timers hold at most 2^31 - 1 ms; a longer limit would fire at once.
  fileTimeoutMs: z.number().check(z.positive(), z.lte(2_147_483_647)),
  files: z.array(batchFileSchema).check(z.minLength(1)),
});
export type BatchJob = z.infer<typeof batchJobSchema>;
export type BatchFile = z.infer<typeof batchFileSchema>;

const outcomeSchema = z.union([
  z.strictObject({ status: z.literal('ok'), value: z.unknown() }),
  z.strictObject({ status: z.literal('skipped'), reason: z.string() }),
  z.strictObject({ status: z.literal('error'), message: z.string(), fatal: z.optional(z.boolean()) }),
]);

export const workerIdentitySchema = z.strictObject({ host: z.string(), name: z.string(), pid: z.number() });
export type WorkerIdentity = z.infer<typeof workerIdentitySchema>;

export const batchResultSchema = z.strictObject({
  worker: workerIdentitySchema,
  files: z.array(z.strictObject({ path: relativePath, outcome: outcomeSchema, durationMs: z.number() })),
  /** What the tools printed (a plugin's console.log), passed on as a local run passes it on. */
  output: z.array(z.strictObject({ stream: z.enum(['stdout', 'stderr']), text: z.string() })),
});
export type BatchResult = z.infer<typeof batchResultSchema>;

/**
 * Sent as the job's progress when a worker takes the batch (no file: the coordinator learns who holds it, for
 * the panel's mark when it stalls) and when a file starts (the coordinator's lanes and time limits follow it).
 */
export const batchProgressSchema = z.strictObject({
  worker: workerIdentitySchema,
  file: z.optional(relativePath),
  /** BullMQ's count of the job's starts when this holder took it: news from an earlier holder (resumed after a stall) is stale. */
  attempt: z.optional(z.number()),
});
export type BatchProgress = z.infer<typeof batchProgressSchema>;

/** What a worker keeps in Redis while it runs, so a coordinator can count workers and show them. */
export const workerPresenceSchema = z.strictObject({
  worker: workerIdentitySchema,
  concurrency: z.number(),
  startedAt: z.number(),
  /** Files it is working on, relative paths. */
  busy: z.array(z.string()),
  /** Share of the time since the last report spent on batches, 0–1. */
  utilisation: z.number(),
});
export type WorkerPresence = z.infer<typeof workerPresenceSchema>;

/**
 * Leads the failure of a batch a worker would not run (another build, another
 * config, a batch it cannot read): the coordinator stops the run with it
 * instead of retrying, since every retry would be refused the same way.
 */
export const REFUSED = 'refused by';

/**
 * Sent as a file's key when the coordinator's tool could not say what applies
 * to the file (its config does not load): a worker whose tool can is running
 * another config, and refuses; a local run would have failed on it.
 */
export const NO_KEY = 'no-key';

/**
 * Text from Redis (a worker's failure, a coordinator's name) made inert for a terminal or a log: control
 * characters (escape sequences, line breaks that would forge log lines) shown as \u escapes.
 */
export function inert(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The custom event a coordinator publishes on the batch queue to stop the active batches of a run. */
export const CANCEL_EVENT = 'pt-cancel-run';

/**
 * How many times a batch whose worker stopped renewing its lock (killed, hung, its machine gone) is put back
 * before BullMQ gives up on it: the workers' maxStalledCount, here so that the coordinator can say how many
 * times. On the stall after that BullMQ 6.7 marks the batch to fail, and fails it when a worker next takes it
 * (so with every worker gone it waits, and the run ends after --queue-timeout).
 */
export const MAX_STALLS = 2;

/**
 * BullMQ's own failedReason for such a batch (moveStalledJobsToWait, bullmq 6.7): the coordinator recognises
 * it to report the files in words instead of passing this on as if a worker had crashed with it.
 */
export const STALLED_TOO_OFTEN = 'job stalled more than allowable limit';

/** The reason a worker stops its own batches with when it stops (see RemoteWorker.close): they go back to the queue. */
export const HAND_BACK = 'the worker is stopping: its batches go back to the queue';
