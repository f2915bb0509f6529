import * as path from 'node:path';
import type { JobResult } from '../core/engine';
import { ConfigError } from '../core/errors';
import { countReasons } from '../core/discovery';
import { meaningfulSpeedup } from '../core/speedup';
import type { FileRecord } from '../core/run-state';
import { describeTool, distinctTools, type ToolInfo } from '../tasks/tool-info';

/** Exit code for a run stopped by Ctrl+C, as shells report SIGINT. */
export const EXIT_CANCELLED = 130;

/** A one-line account of the run for stderr: what ran, how fast, and what did not. */
export function describeRun<R>(verb: string, result: JobResult<R>): string {
  const snapshot = result.state.snapshot();
  const { counts, timings } = snapshot;
  const workers =
    snapshot.executor === 'in-process'
      ? `no workers (${snapshot.executorReason ?? 'in-process'})`
      : snapshot.executor === 'command'
        ? `up to ${snapshot.workers.length} at once`
        : snapshot.executor === 'remote'
        ? `the queue's workers (up to ${snapshot.workers.length} batch${snapshot.workers.length === 1 ? '' : 'es'} in flight)`
        : snapshot.executor === 'process'
        ? `${snapshot.workers.length} worker process${snapshot.workers.length === 1 ? '' : 'es'}`
        : `${snapshot.workers.length} worker${snapshot.workers.length === 1 ? '' : 's'}`;
  const parts = [`${verb} ${counts.done + counts.failed} file${counts.done + counts.failed === 1 ? '' : 's'} with ${workers} in ${(timings.wallMs / 1000).toFixed(2)} s`];
  // A speedup only where it means something: several workers and enough work (see meaningfulSpeedup).
  const speedup = meaningfulSpeedup(snapshot);
  if (timings.serialEstimateMs > 0) parts.push(`${timings.filesPerSecond.toFixed(1)} files/s${speedup === undefined ? '' : `, speedup ${speedup.toFixed(2)}× over one worker`}`);
  const restarts = snapshot.workers.reduce((n, w) => n + w.restarts, 0);
  if (restarts) parts.push(`${restarts} worker restart${restarts === 1 ? '' : 's'}`);
  if (snapshot.cached) parts.push(`${snapshot.cached} from cache${snapshot.sharedCached ? ` (${snapshot.sharedCached} from the queue's shared cache)` : ''}`);
  if (counts.skipped) parts.push(`${counts.skipped} skipped (${skipReasons(result.state.results())})`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.cancelled) parts.push(`${counts.cancelled} cancelled`);
  return parts.join('; ');
}

/** Stops a run that failed as a whole (a broken config) with exit code 2. */
export function assertNotFailed<R>(result: JobResult<R>): void {
  if (result.outcome.phase === 'failed') throw new ConfigError(result.outcome.error ?? 'the run failed');
}

export function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** Lines for stderr naming the files that were skipped or failed, with the reason. */
export function describeProblems<R>(records: readonly FileRecord<R>[], includeSkipped: boolean): string[] {
  const lines: string[] = [];
  for (const record of records) {
    if (record.outcome?.status === 'error') lines.push(`error: ${relative(record.path)}: ${record.outcome.message}`);
    else if (includeSkipped && record.outcome?.status === 'skipped') lines.push(`skipped: ${relative(record.path)}: ${record.outcome.reason}`);
  }
  return lines;
}

/** Every file the run did not process, with the reason: the `skipped` list of JSON reports. */
export function skippedFiles<R>(records: readonly FileRecord<R>[]): { path: string; reason: string }[] {
  return records.flatMap((r) => (r.outcome?.status === 'skipped' ? [{ path: r.path, reason: r.outcome.reason }] : []));
}

/** "2 ignored by the ESLint configuration, 1 binary file": the skip reasons counted. */
function skipReasons<R>(records: readonly FileRecord<R>[]): string {
  return countReasons(skippedFiles(records).map((s) => s.reason));
}

/** The tools behind the results, for the summary: "ESLint 9.39.1 (the project's own) with eslint.config.mjs". */
export function describeTools(tools: readonly (ToolInfo | undefined)[]): string | undefined {
  const distinct = distinctTools(tools);
  return distinct.length === 0 ? undefined : `Used ${distinct.map((t) => describeTool(t, relative)).join('; ')}`;
}
