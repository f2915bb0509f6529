/**
 * The files that keeping Problems current still has to check, coalesced: a
 * file saved three times while it waits is checked once, and a file saved
 * while its pass runs waits for that pass to end and is checked once more
 * after it (never two passes over the same file at once). Passes run one
 * after the other: `take` gives nothing while one runs.
 *
 * Keys are whatever identifies a unit of work (a task and a file); pure
 * logic, without VS Code, so that it is unit-tested on its own.
 */
export class PassQueue<K> {
  private readonly waiting = new Set<K>();
  private readonly running = new Set<K>();
  /** Keys dropped (their file deleted) while their pass ran: its results for them are stale. */
  private readonly dropped = new Set<K>();
  private passing = false;

  /** Asks for one more check of `key` (after the running pass, when it is in it). */
  add(key: K): void {
    this.waiting.add(key);
    this.dropped.delete(key);
  }

  /** Forgets `key` (its file is gone): no pass for it starts, and a running pass's result for it is discarded. */
  drop(key: K): void {
    this.waiting.delete(key);
    if (this.running.has(key)) this.dropped.add(key);
  }

  /** Drops every key `test` accepts (a deleted folder takes its files along). */
  dropWhere(test: (key: K) => boolean): void {
    for (const key of [...this.waiting, ...this.running]) if (test(key)) this.drop(key);
  }

  /** The keys of the next pass, now running; undefined while a pass runs or when nothing waits. */
  take(): K[] | undefined {
    if (this.passing || this.waiting.size === 0) return undefined;
    this.passing = true;
    const keys = [...this.waiting];
    this.waiting.clear();
    for (const key of keys) this.running.add(key);
    return keys;
  }

  /** Ends the running pass; returns the test of which of its results still stand (keys not dropped meanwhile). */
  finish(): (key: K) => boolean {
    const dropped = new Set(this.dropped);
    this.running.clear();
    this.dropped.clear();
    this.passing = false;
    return (key) => !dropped.has(key);
  }

  /** Whether a pass runs now. */
  get busy(): boolean {
    return this.passing;
  }

  /** Files waiting or in the running pass, each counted once: what the status bar shows as pending. */
  get pending(): number {
    let count = this.waiting.size;
    for (const key of this.running) if (!this.waiting.has(key) && !this.dropped.has(key)) count++;
    return count;
  }

  /** Forgets everything waiting (the feature was turned off); a running pass ends normally. */
  clear(): void {
    this.waiting.clear();
  }
}
