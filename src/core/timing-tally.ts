/** How many of the slowest files and rules a run lists (the CLI's `--timing`, the panel). */
export const SLOWEST = 10;

export interface FileTime {
  readonly path: string;
  readonly ms: number;
}

export interface RuleTime {
  readonly rule: string;
  /** Summed over the files of the run. */
  readonly ms: number;
  /** Files the rule ran on. */
  readonly files: number;
}

/**
 * Where a run spent its time: the slowest files (each file's processing time
 * in its worker) and, for a tool that reports them, its rules summed over
 * every file. Fed file by file (the panel follows a run live, the CLI reads
 * the finished records); only files processed in this run count, never
 * answers from the cache. It keeps few files, however many the run has.
 */
export class TimingTally {
  private files: FileTime[] = [];
  private readonly rules = new Map<string, { ms: number; files: number }>();
  /** Files processed (and so timed) in this run. */
  timed = 0;
  /** Files whose result carried rule times. */
  withRules = 0;

  constructor(private readonly keep = SLOWEST) {}

  add(path: string, ms: number, ruleTimes?: Readonly<Record<string, number>>): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.timed++;
    this.files.push({ path, ms });
    // Trimmed now and then rather than on every file: a sort per file would cost more than it saves.
    if (this.files.length > this.keep * 8) this.files = this.sortedFiles().slice(0, this.keep);
    if (!ruleTimes) return;
    this.withRules++;
    for (const [rule, time] of Object.entries(ruleTimes)) {
      if (!Number.isFinite(time) || time < 0) continue;
      const sum = this.rules.get(rule) ?? { ms: 0, files: 0 };
      sum.ms += time;
      sum.files++;
      this.rules.set(rule, sum);
    }
  }

  slowestFiles(): FileTime[] {
    return this.sortedFiles().slice(0, this.keep);
  }

  slowestRules(): RuleTime[] {
    return [...this.rules]
      .map(([rule, sum]) => ({ rule, ms: sum.ms, files: sum.files }))
      .sort((a, b) => b.ms - a.ms || (a.rule < b.rule ? -1 : 1))
      .slice(0, this.keep);
  }

  /** Every rule's time together: what the relative figures are shares of. */
  totalRuleMs(): number {
    let total = 0;
    for (const sum of this.rules.values()) total += sum.ms;
    return total;
  }

  private sortedFiles(): FileTime[] {
    return [...this.files].sort((a, b) => b.ms - a.ms || (a.path < b.path ? -1 : 1));
  }
}
