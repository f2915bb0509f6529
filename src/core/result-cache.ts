import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod/mini';
import type { DiscoveredFile } from './types';
import { sha256 } from './hash';

/** Bumped whenever the layout of a cache file or of a cached value changes. */
/** 2: lint and transform values carry the tool that made them (ToolInfo). */
const FORMAT = 2;

/**
 * How an unchanged file is recognised. `content` (the default) hashes every
 * file: a few milliseconds per megabyte, and right even when a tool or a
 * checkout kept a changed file's size and modification time. `metadata` trusts
 * an unchanged size and modification time without reading the file: faster on
 * huge trees, wrong for such a file (as ESLint's `--cache-strategy metadata`).
 */
export type CacheStrategy = 'content' | 'metadata';
export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['content', 'metadata'];

/** What a cached value must look like to be trusted: given by the task kind, since core knows no kinds. */
export type CachedValueSchema = z.ZodMiniType;

const entrySchema = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  /** SHA-256 of the content the result was computed from. */
  hash: z.string(),
  /** Fingerprint of everything besides the content that the result depends on (tool, version, config, options). */
  key: z.string(),
  value: z.unknown(),
  costMs: z.number(),
});

type Entry = z.infer<typeof entrySchema>;

const cacheFileSchema = z.object({
  format: z.literal(FORMAT),
  // Entries are checked one by one, so that one bad entry costs only itself.
  entries: z.record(z.string(), z.unknown()),
});


/**
 * Per-file results keyed by content hash and a configuration fingerprint, so
 * an unchanged file is not processed again. The file is read whole and checked
 * before it is trusted: a corrupt, partial or foreign cache file is ignored and
 * rebuilt, and an entry of the wrong shape (or whose value is not what its task
 * produces) is dropped and its file processed again. Writes are atomic, so a
 * crash mid-write leaves the old cache.
 */
export class ResultCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
    private readonly strategy: CacheStrategy,
    /** Why (part of) an existing cache file was not used, if so. */
    readonly discarded?: string,
  ) {}

  static async open(file: string, valueSchema: CachedValueSchema, strategy: CacheStrategy = 'content'): Promise<ResultCache> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return new ResultCache(file, new Map(), strategy);
    }
    let parsed: z.infer<typeof cacheFileSchema>;
    try {
      const json: unknown = JSON.parse(text);
      // A cache written by an earlier version is expected after an upgrade: replaced without a note.
      const format = typeof json === 'object' && json !== null ? (json as { format?: unknown }).format : undefined;
      if (typeof format === 'number' && format < FORMAT) return new ResultCache(file, new Map(), strategy);
      const checked = cacheFileSchema.safeParse(json);
      if (!checked.success) throw new Error('unknown format');
      parsed = checked.data;
    } catch (error) {
      return new ResultCache(file, new Map(), strategy, `ignored an unreadable cache file (${(error as Error).message}); it will be rebuilt`);
    }
    const entries = new Map<string, Entry>();
    let dropped = 0;
    for (const [name, raw] of Object.entries(parsed.entries)) {
      const entry = entrySchema.safeParse(raw);
      if (entry.success && 'value' in (raw as object) && valueSchema.safeParse(entry.data.value).success) entries.set(name, entry.data);
      else dropped++;
    }
    const cache = new ResultCache(file, entries, strategy, dropped ? droppedMessage(dropped) : undefined);
    // Rewrite the file without them at the end of the run, even if nothing else changes.
    if (dropped) cache.dirty = true;
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value for `file` if its content and fingerprint are unchanged.
   * Returns the content hash on a miss, for `store`. With the `metadata`
   * strategy an unchanged size and modification time stand for unchanged
   * content, and the file is not read.
   */
  async lookup(file: DiscoveredFile, key: string): Promise<{ hit: true; value: unknown; costMs: number } | { hit: false; hash: string | undefined }> {
    const stored = this.entries.get(file.path);
    const entry = stored?.key === key ? stored : undefined;
    if (entry && this.strategy === 'metadata' && entry.size === file.size && entry.mtimeMs === file.mtimeMs) return { hit: true, value: entry.value, costMs: entry.costMs };
    let hash: string | undefined;
    try {
      hash = sha256(await readFile(file.path));
    } catch {
      return { hit: false, hash: undefined };
    }
    if (entry?.hash === hash) return { hit: true, value: entry.value, costMs: entry.costMs };
    return { hit: false, hash };
  }

  store(file: DiscoveredFile, hash: string, key: string, value: unknown, costMs: number): void {
    this.entries.set(file.path, { size: file.size, mtimeMs: file.mtimeMs ?? 0, hash, key, value, costMs });
    this.dirty = true;
  }

  /** How long the file took when it was last processed, whether or not it changed since: orders the next run. */
  previousCostMs(filePath: string): number | undefined {
    return this.entries.get(filePath)?.costMs;
  }

  /**
   * Writes the cache. A cache that cannot be written (a read-only folder, a
   * full disk) must not throw away the run it belongs to: the reason is
   * returned for the caller to mention, and the next run simply computes again.
   */
  async save(): Promise<string | undefined> {
    if (!this.dirty) return undefined;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      const data = { format: FORMAT, entries: Object.fromEntries(this.entries) };
      await writeFileAtomic(this.file, JSON.stringify(data));
      this.dirty = false;
      return undefined;
    } catch (error) {
      return `the result cache could not be saved to ${this.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the results are complete, the next run computes them again`;
    }
  }
}

function droppedMessage(count: number): string {
  return `dropped ${count} malformed cache ${count === 1 ? 'entry' : 'entries'}; ${count === 1 ? 'its file is' : 'their files are'} processed again`;
}

/**
 * A cache other machines fill too (the queue's, in Redis): asked about the
 * files this machine's own cache missed, and given the new results after a
 * run. Entries are keyed like ResultCache's, by content hash and key.
 */
export interface SharedCache {
  /** Where it lives, for the summary ("12 from the shared cache at redis://…"). */
  readonly location: string;
  /** The values found, in the order asked; undefined where none (or one that is not what the kind produces). */
  lookup(entries: readonly { readonly hash: string; readonly key: string }[]): Promise<readonly unknown[]>;
  store(entries: readonly { readonly hash: string; readonly key: string; readonly value: unknown }[]): Promise<void>;
}
