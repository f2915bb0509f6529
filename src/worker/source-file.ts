import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isBinaryFile } from 'isbinaryfile';
import type { FileOutcome } from '../core/types';

export interface SourceText {
  readonly text: string;
  /** SHA-256 of the bytes read, so a writer can tell whether the file changed since. */
  readonly hash: string;
}

export function hashContent(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Reads a file for a handler. Discovery already skipped binary files, but the
 * file may have changed since, so the check is repeated on the bytes actually read.
 */
export async function readSource(file: string, unsaved?: string): Promise<SourceText | FileOutcome<never>> {
  // An editor's unsaved text wins over the disk: that is what the user sees.
  if (unsaved !== undefined) return { text: unsaved, hash: hashContent(unsaved) };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { status: 'error', message: code === 'ENOENT' ? 'File no longer exists' : `Cannot read file (${code ?? 'error'})` };
  }
  if (bytes.length > 0 && (await isBinaryFile(bytes, bytes.length))) return { status: 'skipped', reason: 'binary file' };
  return { text: bytes.toString('utf8'), hash: hashContent(bytes) };
}

export function isSourceText(value: SourceText | FileOutcome<never>): value is SourceText {
  return 'text' in value;
}
