import type { JobResult } from '../core/engine';
import type { FileRecord } from '../core/run-state';
import { SLOWEST, TimingTally } from '../core/timing-tally';
import { taskKind } from '../tasks/registry';
import { relative } from './summary';

/** The files of a run with what each took, and the rule times of those its kind reports them for. */
export function tallyRecords<R>(kindName: string, records: readonly FileRecord<R>[]): TimingTally {
  const results = taskKind(kindName).results;
  const ruleTimes = results.view === 'problems' ? results.ruleTimes : undefined;
  const tally = new TimingTally();
  for (const record of records) {
    // Answers from the cache have no time of their own (0 ms): they were not processed in this run.
    if (record.durationMs === undefined || record.durationMs <= 0) continue;
    const value = record.outcome?.status === 'ok' ? record.outcome.value : undefined;
    tally.add(record.path, record.durationMs, value === undefined || !ruleTimes ? undefined : ruleTimes(value));
  }
  return tally;
}

function ms(value: number): string {
  return `${value.toFixed(1).padStart(9)} ms`;
}

/**
 * `--timing`: the slowest files and, for a kind whose tool times its rules
 * (lint: ESLint's `stats`, what its TIMING variable prints), the slowest rules
 * summed over the run. For stderr: stdout keeps the chosen format.
 */
export function describeTiming<R>(kindName: string, result: JobResult<R>): string[] {
  const tally = tallyRecords(kindName, result.state.results());
  const cached = result.state.snapshot().cached;
  const lines: string[] = [];
  const fromCache = cached > 0 ? `; ${cached} answered from the cache ${cached === 1 ? 'was' : 'were'} not timed (--no-cache times every file)` : '';
  if (tally.timed === 0) return [`Timing: no file was processed in this run${fromCache}.`];
  lines.push(`Slowest files (${Math.min(SLOWEST, tally.timed)} of ${tally.timed} timed${fromCache}):`);
  for (const file of tally.slowestFiles()) lines.push(`${ms(file.ms)}  ${relative(file.path)}`);
  const results = taskKind(kindName).results;
  if (results.view !== 'problems' || !results.ruleTimes) return lines;
  const rules = tally.slowestRules();
  if (rules.length === 0) {
    lines.push('Slowest rules: none reported (rule times need ESLint 9 or later).');
    return lines;
  }
  const total = tally.totalRuleMs();
  lines.push(`Slowest rules (ESLint's own times, summed over ${tally.withRules} file${tally.withRules === 1 ? '' : 's'}):`);
  for (const rule of rules) lines.push(`${ms(rule.ms)}  ${(total > 0 ? (rule.ms / total) * 100 : 0).toFixed(1).padStart(5)}%  ${rule.rule}`);
  return lines;
}
