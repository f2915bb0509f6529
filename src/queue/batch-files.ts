import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256 } from '../core/hash';
import { isInside } from '../core/paths';
import { unreadableMessage } from '../core/source-file';
import type { FileOutcome } from '../core/types';
import { isUncacheableKey } from '../tasks/cache-key';
import { NO_KEY, type BatchFile } from './wire';

/** Files up to this size travel with their text, so a worker whose checkout differs uses the coordinator's content. */
export const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The path a batch names a file by: relative to the root, `/`-separated. */
export function toWirePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** A wire path in this checkout, or undefined when it would lead outside `root`. */
export function fromWirePath(root: string, wire: string): string | undefined {
  const file = path.resolve(root, ...wire.split('/'));
  return isInside(file, root) && file !== root ? file : undefined;
}

/** A path inside a value or options as it travels: relative to the root when inside it, else as it is (a bundled tool's config). */
export function portablePath(root: string, file: string): string {
  return path.isAbsolute(file) && isInside(file, root) ? toWirePath(root, file) : file;
}

/** The inverse of `portablePath`, in this checkout. */
export function localPath(root: string, portable: string): string {
  return path.isAbsolute(portable) ? portable : path.resolve(root, ...portable.split('/'));
}

export interface PreparedFiles {
  readonly files: BatchFile[];
  /** Files that could not be read here: reported at once, never sent. */
  readonly unreadable: { readonly file: string; readonly outcome: FileOutcome<never> }[];
}

/**
 * What a batch carries for each file: its hash, its cache key (the worker
 * compares its own), and its text when it is small UTF-8 text. The text is
 * sent as the same string a local read would give (a BOM kept), so that
 * its SHA-256 equals the hash of the bytes.
 */
export async function prepareFiles(
  root: string,
  files: readonly string[],
  options: { readonly maxTextBytes: number; readonly keyFor?: (file: string) => Promise<string>; readonly explicit: ReadonlySet<string>; readonly sources?: Readonly<Record<string, string>> },
): Promise<PreparedFiles> {
  const prepared: BatchFile[] = [];
  const unreadable: PreparedFiles['unreadable'] = [];
  for (const file of files) {
    const unsaved = options.sources?.[file];
    let bytes: Buffer;
    try {
      bytes = unsaved === undefined ? await readFile(file) : Buffer.from(unsaved, 'utf8');
    } catch (error) {
      unreadable.push({ file, outcome: { status: 'error', message: unreadableMessage(error) } });
      continue;
    }
    const text = bytes.length <= options.maxTextBytes ? decode(bytes) : undefined;
    // A file whose tool could not say what applies to it here: the worker's tool must fail on it too (see NO_KEY).
    const key = options.keyFor ? await options.keyFor(file).then((k) => (isUncacheableKey(k) ? NO_KEY : k)) : undefined;
    prepared.push({
      path: toWirePath(root, file),
      hash: sha256(bytes),
      ...(key !== undefined ? { key } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(options.explicit.has(file) ? { explicit: true } : {}),
    });
  }
  return { files: prepared, unreadable };
}

function decode(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Not UTF-8: sending it as text would change its bytes. The worker must have the same copy.
    return undefined;
  }
}
