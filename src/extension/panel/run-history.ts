import { createHash } from 'node:crypto';
import type { HistoryEntry, LintFile, RunPhase } from '../../shared/protocol';

/**
 * The run history the panel shows, as it is kept across reloads and restarts
 * (a JSON file in the workspace's storage: history-file.ts). Pure data and
 * functions, no VS Code: the bounds, the comparison and the validation are
 * unit-tested as they are.
 */

/** Entries kept, newest first. */
export const HISTORY_LIMIT = 50;
/** The whole file's size at most (UTF-16 code units of its JSON, close to bytes for these ASCII-heavy entries). */
export const HISTORY_BYTES = 512 * 1024;
/** A run with more problems than this keeps no keys: it cannot be compared, but it cannot crowd out the history either. */
export const MAX_KEYS = 20_000;

const FILE_VERSION = 1;
const PHASES: readonly RunPhase[] = ['running', 'completed', 'cancelled', 'failed', 'refused'];
const VIEWS: readonly HistoryEntry['view'][] = ['problems', 'edits', 'report'];
/** A key is 12 base64url characters of a SHA-1: 72 bits, no collision in any realistic run. */
const KEY = /^[A-Za-z0-9_-]{12}$/;
const SCOPE = /^[A-Za-z0-9_-]{1,64}$/;

/** An entry as stored: what the panel shows, plus what makes runs comparable and the problems to compare. */
export interface StoredRun extends HistoryEntry {
  /** A hash of kind, label, folders, paths and options: runs with the same scope are compared. */
  readonly scope: string;
  /** One key per problem (file, rule, message, occurrence), on the newest run of each scope only. */
  readonly keys?: readonly string[];
}

/** The scope of a run: what must be equal for two runs to be compared. */
export function scopeOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

function key(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 12);
}

/**
 * One key per problem: its file (relative to the workspace), rule and
 * message, and how many the same came before it in that file. Lines are left
 * out on purpose: an edit above a problem moves it without fixing it. A
 * second identical problem in a file is a new one (occurrence 2).
 */
export function problemKeys(files: readonly LintFile[]): string[] | undefined {
  const seen = new Map<string, number>();
  const keys: string[] = [];
  for (const file of files) {
    for (const p of file.problems) {
      const base = `${file.rel}\u0000${p.ruleId ?? ''}\u0000${p.message}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      keys.push(key(`${base}\u0000${n}`));
      if (keys.length > MAX_KEYS) return undefined;
    }
  }
  return keys;
}

/**
 * Adds a finished run at the front: with keys, it is compared with the newest
 * earlier run of the same scope that has keys ("+3 new, −5 fixed"), which
 * then gives its keys up (only the newest of a scope is compared with later).
 * The result is bounded in entries and size.
 */
export function recordRun(history: readonly StoredRun[], run: Omit<StoredRun, 'id'>): StoredRun[] {
  const id = history.reduce((max, e) => Math.max(max, e.id), 0) + 1;
  const previous = run.keys ? history.find((e) => e.scope === run.scope && e.keys) : undefined;
  let entry: StoredRun = { ...run, id };
  if (previous?.keys && run.keys) {
    const before = new Set(previous.keys);
    const now = new Set(run.keys);
    entry = { ...entry, newProblems: run.keys.filter((k) => !before.has(k)).length, fixedProblems: previous.keys.filter((k) => !now.has(k)).length };
  }
  const older = history.map((e) => (run.keys && e.scope === run.scope && e.keys ? withoutKeys(e) : e));
  return bounded([entry, ...older]);
}

function withoutKeys(entry: StoredRun): StoredRun {
  const copy = { ...entry };
  delete copy.keys;
  return copy;
}

/** At most HISTORY_LIMIT entries and HISTORY_BYTES of JSON: the oldest keys go first, then the oldest entries. */
export function bounded(history: readonly StoredRun[]): StoredRun[] {
  const runs = history.slice(0, HISTORY_LIMIT);
  // Sizes per entry (plus its comma), so that each step does not serialize the whole history again.
  const sizeOf = (run: StoredRun): number => JSON.stringify(run).length + 1;
  const sizes = runs.map(sizeOf);
  let size = JSON.stringify(serialize([])).length + sizes.reduce((n, s) => n + s, 0);
  for (let i = runs.length - 1; i >= 0 && size > HISTORY_BYTES; i--) {
    const run = runs[i] as StoredRun;
    if (!run.keys) continue;
    runs[i] = withoutKeys(run);
    const smaller = sizeOf(runs[i] as StoredRun);
    size -= (sizes[i] as number) - smaller;
    sizes[i] = smaller;
  }
  while (runs.length > 1 && size > HISTORY_BYTES) {
    runs.pop();
    size -= sizes.pop() as number;
  }
  return runs;
}

/** What the panel is sent: no scope, no keys. */
export function forPanel(history: readonly StoredRun[]): HistoryEntry[] {
  return history.map((run) => {
    const entry: { -readonly [K in keyof StoredRun]?: StoredRun[K] } = { ...run };
    delete entry.scope;
    delete entry.keys;
    return entry as HistoryEntry;
  });
}

export function serialize(history: readonly StoredRun[]): { version: number; runs: readonly StoredRun[] } {
  return { version: FILE_VERSION, runs: history };
}

type Fields = Partial<Record<keyof StoredRun, unknown>>;

const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
// Control characters have no business in a label; the panel renders text only, but a log line or tooltip could be garbled.
const plain = (v: string): string => [...v].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('');

/** Optional counts: present and valid, or left out. */
function counts(e: Fields): Partial<StoredRun> {
  const out: Record<string, number> = {};
  for (const name of ['problems', 'newProblems', 'fixedProblems'] as const) if (count(e[name])) out[name] = e[name];
  if (typeof e.finishedAt === 'number' && Number.isFinite(e.finishedAt) && e.finishedAt > 0) out.finishedAt = e.finishedAt;
  return out;
}

/** One stored entry, checked field by field; anything off and it is dropped (never the whole history). */
function parseRun(raw: unknown): StoredRun | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const e = raw as Fields;
  if (!count(e.id) || !text(e.kind, 64) || !text(e.label, 200) || !count(e.files) || !count(e.durationMs) || !text(e.scope, 64) || !SCOPE.test(e.scope)) return undefined;
  if (!VIEWS.includes(e.view as HistoryEntry['view']) || !PHASES.includes(e.phase as RunPhase)) return undefined;
  const keys = Array.isArray(e.keys) && e.keys.length <= MAX_KEYS && e.keys.every((k) => typeof k === 'string' && KEY.test(k)) ? (e.keys as string[]) : undefined;
  return {
    id: e.id,
    kind: plain(e.kind),
    view: e.view as HistoryEntry['view'],
    label: plain(e.label),
    files: e.files,
    durationMs: e.durationMs,
    phase: e.phase as RunPhase,
    scope: e.scope,
    ...counts(e),
    ...(text(e.folders, 500) ? { folders: plain(e.folders) } : {}),
    ...(keys ? { keys } : {}),
  };
}

/**
 * The history read back from storage: a file from another version, a corrupt
 * one or one written by someone else gives what is valid in it, bounded, and
 * never throws.
 */
export function parseHistory(raw: unknown): StoredRun[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const file = raw as { version?: unknown; runs?: unknown };
  if (file.version !== FILE_VERSION || !Array.isArray(file.runs)) return [];
  const runs: StoredRun[] = [];
  const ids = new Set<number>();
  for (const item of file.runs.slice(0, HISTORY_LIMIT)) {
    const run = parseRun(item);
    if (!run || ids.has(run.id)) continue;
    ids.add(run.id);
    runs.push(run);
  }
  return bounded(runs);
}
