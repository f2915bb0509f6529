import type { AnyTaskKind } from '../../core/task-api';
import { TimingTally } from '../../core/timing-tally';
import type { FileOutcome } from '../../core/types';
import type { HistoryEntry, LintFile, RunTiming } from '../../shared/protocol';
import type { RunRequest } from '../run-types';
import { bounded, forPanel, problemKeys, recordRun, scopeOf, type StoredRun } from './run-history';

/** A run as the recorder needs to hear of it at its end. */
export type FinishedRun = Omit<HistoryEntry, 'id' | 'problems' | 'newProblems' | 'fixedProblems' | 'finishedAt' | 'folders'>;

/**
 * What the panel keeps of runs beyond the live one: the history (compared
 * with the previous run of the same scope, handed to `persist` on every
 * change) and where the last run spent its time. Knows no VS Code: paths are
 * made relative by the function it is given.
 */
export class RunRecorder {
  private runs: StoredRun[] = [];
  private scope = '';
  private folders = '';
  private tally = new TimingTally();
  private ruleTimes: ((value: unknown) => Readonly<Record<string, number>> | undefined) | undefined;
  private timing: RunTiming | undefined;
  /** Files of this run the tool failed on: they have no problems to compare, which is not the same as none. */
  private failed = 0;

  constructor(
    private readonly relative: (path: string) => string,
    private readonly persist: (runs: readonly StoredRun[]) => void,
  ) {}

  start(request: RunRequest, results: AnyTaskKind['results']): void {
    // Changed-files runs (`only`) are one scope per set of files: another set is not "fixed" because it left the set.
    // Not the label: it is words in the display language, and a run after a change of language is the same run.
    this.scope = scopeOf([request.kind, comparableOptions(request.options), request.targets.map((t) => [t.folder.uri.toString(), [...t.paths].sort(), ...(t.only ? [[...t.only].sort()] : [])])]);
    this.folders = request.targets.map((t) => t.folder.name).join(', ');
    this.tally = new TimingTally();
    this.ruleTimes = results.view === 'problems' ? results.ruleTimes : undefined;
    this.timing = undefined;
    this.failed = 0;
  }

  /** A file processed in this run (not one answered from the cache): its time, and its rules' when the tool gave them. */
  fileDone(file: string, durationMs: number, outcome: FileOutcome<unknown>): void {
    if (outcome.status === 'error') this.failed++;
    this.tally.add(file, durationMs, outcome.status === 'ok' ? this.ruleTimes?.(outcome.value) : undefined);
  }

  /** Records the finished run; `lint` is its problems when its results are problems. */
  finish(run: FinishedRun, lint: readonly LintFile[] | undefined): HistoryEntry {
    // A file the tool failed on has no problems listed: its earlier ones are not "fixed". Such a run is not
    // compared, and the previous run of its scope stays the baseline for the next.
    const keys = lint && run.phase === 'completed' && this.failed === 0 ? problemKeys(lint) : undefined;
    const problems = lint && run.phase === 'completed' ? lint.reduce((n, f) => n + f.problems.length, 0) : undefined;
    this.runs = recordRun(this.runs, {
      ...run,
      durationMs: Math.round(run.durationMs),
      scope: this.scope,
      finishedAt: Date.now(),
      ...(this.folders ? { folders: this.folders } : {}),
      ...(problems !== undefined ? { problems } : {}),
      ...(keys ? { keys } : {}),
    });
    const rules = this.tally.withRules > 0 ? this.tally.slowestRules() : undefined;
    this.timing = {
      timed: this.tally.timed,
      files: this.tally.slowestFiles().map((f) => ({ path: f.path, rel: this.relative(f.path), ms: Math.round(f.ms) })),
      ...(rules ? { rules: rules.map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10 })) } : {}),
    };
    this.persist(this.runs);
    return forPanel(this.runs.slice(0, 1))[0] as HistoryEntry;
  }

  /**
   * The history read back at start-up, behind any run that finished while it
   * was being read. Later runs compare with it: a restart does not forget the baseline.
   */
  restore(stored: readonly StoredRun[]): void {
    // Ids stay unique and newest-highest: this window's runs go on from the stored ones.
    const base = stored.reduce((max, r) => Math.max(max, r.id), 0);
    this.runs = bounded([...this.runs.map((r, i) => ({ ...r, id: base + this.runs.length - i })), ...stored]);
  }

  entries(): HistoryEntry[] {
    return forPanel(this.runs);
  }

  lastTiming(): RunTiming | undefined {
    return this.timing;
  }
}

/**
 * Options as far as they change what a run checks: asking lint for rule
 * timings (`stats`) measures a run without changing its results, so a timed
 * run is compared with an untimed one.
 */
function comparableOptions(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || !('stats' in options)) return options;
  const rest: Record<string, unknown> = { ...options };
  delete rest.stats;
  return rest;
}
