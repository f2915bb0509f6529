import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { DiscoveredFile } from './types';

/** Bumped whenever the layout of a cache file or of a cached value changes. */
const FORMAT = 1;

interface Entry {
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 of the content the result was computed from. */
  readonly hash: string;
  /** Fingerprint of everything besides the content that the result depends on (tool, version, config, options). */
  readonly key: string;
  readonly value: unknown;
  readonly costMs: number;
}

interface CacheFile {
  readonly format: number;
  readonly entries: Record<string, Entry>;
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Per-file results keyed by content hash and a configuration fingerprint, so
 * an unchanged file is not processed again. The file is read whole and checked
 * before it is trusted: a corrupt, partial or foreign cache file is ignored and
 * rebuilt. Writes are atomic, so a crash mid-write leaves the old cache.
 */
export class ResultCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
    /** Why an existing cache file was not used, if one was there. */
    readonly discarded?: string,
  ) {}

  static async open(file: string): Promise<ResultCache> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return new ResultCache(file, new Map());
    }
    try {
      const parsed = JSON.parse(text) as Partial<CacheFile>;
      if (parsed.format !== FORMAT || typeof parsed.entries !== 'object' || parsed.entries === null) throw new Error('unknown format');
      const entries = new Map<string, Entry>();
      for (const [name, entry] of Object.entries(parsed.entries)) if (isEntry(entry)) entries.set(name, entry);
      return new ResultCache(file, entries);
    } catch (error) {
      return new ResultCache(file, new Map(), `ignored an unreadable cache file (${(error as Error).message}); it will be rebuilt`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value for `file` if its content and fingerprint are unchanged.
   * Size and modification time decide whether the file must be read again to
   * compare hashes; a file that changed is always re-hashed. Returns the
   * content hash either way, for `store`.
   */
  async lookup(file: DiscoveredFile, key: string): Promise<{ hit: true; value: unknown; costMs: number } | { hit: false; hash: string | undefined }> {
    const entry = this.entries.get(file.path);
    if (entry && entry.key === key && entry.size === file.size && entry.mtimeMs === file.mtimeMs) return { hit: true, value: entry.value, costMs: entry.costMs };
    let hash: string | undefined;
    try {
      hash = sha256(await readFile(file.path));
    } catch {
      return { hit: false, hash: undefined };
    }
    if (entry && entry.key === key && entry.hash === hash) return { hit: true, value: entry.value, costMs: entry.costMs };
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

  forget(filePath: string): void {
    if (this.entries.delete(filePath)) this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const data: CacheFile = { format: FORMAT, entries: Object.fromEntries(this.entries) };
    await writeFileAtomic(this.file, JSON.stringify(data));
    this.dirty = false;
  }
}

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.size === 'number' && typeof e.mtimeMs === 'number' && typeof e.hash === 'string' && typeof e.key === 'string' && 'value' in e && typeof e.costMs === 'number';
}
