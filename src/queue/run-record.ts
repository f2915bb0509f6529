import { FlowProducer, Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorMessage } from '../core/errors';
import { isRunAlive, RUN_TTL_MS } from './presence';
import { BATCH_QUEUE, RUN_QUEUE, type BatchJob } from './wire';

/** How many parent jobs of dead runs one sweep looks at: bounded, so a sweep never holds a run up. */
const SWEEP_LIMIT = 200;
/** BullMQ's error when a child is added to a parent job that is not in Redis. */
const MISSING_PARENT = /^Missing key for parent job/;

/**
 * A run's record in Redis: one parent job in the runs queue (nobody processes
 * it), created together with the run's first batch (one flow), that later
 * batches join as children. BullMQ keeps each child's return value in the
 * parent, so the record is removed at the end of the run with what is left of
 * its batches; the records of runs whose coordinator died are swept by the
 * next coordinator.
 */
export class RunRecord {
  private parent: Promise<unknown> | undefined;

  constructor(
    private readonly run: string,
    private readonly prefix: string,
    private readonly flow: FlowProducer,
    private readonly batches: Queue,
    private readonly runs: Queue,
    /** Called when Redis has lost the record (a restart): the run must be marked alive again before its batches go in. */
    private readonly onLost: () => Promise<void>,
  ) {}

  async add(jobId: string, data: BatchJob, info: Record<string, unknown>): Promise<void> {
    // Kept until the coordinator has read them (it removes them then): a result removed on completion could not be reconciled.
    const opts = { jobId, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } };
    if (!this.parent) {
      const created = this.flow.add({ name: 'run', queueName: RUN_QUEUE, data: info, opts: { jobId: this.run }, children: [{ name: 'batch', queueName: BATCH_QUEUE, data, opts }] });
      this.parent = created;
      try {
        await created;
      } catch (error) {
        // The next batch tries again, instead of every later batch failing on this one's error.
        this.parent = undefined;
        throw error;
      }
      return;
    }
    await this.parent;
    try {
      await this.batches.add('batch', data, { ...opts, parent: { id: this.run, queue: `${this.prefix}:${RUN_QUEUE}` } });
    } catch (error) {
      // Redis lost the record (restarted without persistence, or flushed): this batch starts it again.
      if (!MISSING_PARENT.test(errorMessage(error))) throw error;
      this.parent = undefined;
      await this.onLost();
      await this.add(jobId, data, info);
    }
  }

  /** The parent and the batches still attached to it (a batch a worker holds goes when that worker lets go of it). */
  async remove(): Promise<void> {
    const parent = await Job.fromId(this.runs, this.run);
    await parent?.remove({ removeChildren: true });
  }

  /** Removes the records of runs whose coordinator stopped saying it is alive; returns how many. */
  static async sweep(runs: Queue, redis: Redis, prefix: string): Promise<number> {
    const jobs = await runs.getJobs(['waiting-children', 'wait', 'prioritized', 'delayed', 'completed', 'failed'], 0, SWEEP_LIMIT);
    let swept = 0;
    for (const job of jobs) {
      if (!job.id || Date.now() - job.timestamp < RUN_TTL_MS || (await isRunAlive(redis, prefix, job.id))) continue;
      await job.remove({ removeChildren: true }).then(
        () => swept++,
        () => undefined,
      );
    }
    return swept;
  }
}
