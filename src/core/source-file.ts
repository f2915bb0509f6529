import { readFile } from 'node:fs/promises';
import * as l10n from '@vscode/l10n';
import { isBinaryFile } from 'isbinaryfile';
import type { FileOutcome } from './types';
import { sha256 } from './hash';

export interface SourceText {
  readonly text: string;
  /** SHA-256 of the bytes read, so a writer can tell whether the file changed since. */
  readonly hash: string;
}

export interface ReadOptions {
  /**
   * Refuse bytes that are not valid UTF-8. Transforms set it: decoding would
   * replace such bytes with U+FFFD, and writing the result back would destroy
   * them. Reading tools (lint, analyze) decode leniently, as ESLint does.
   */
  readonly strictUtf8?: boolean;
}

// ignoreBOM keeps a byte-order mark in the text, as Buffer#toString does, so it is written back.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a file for a handler. Discovery already skipped binary files, but the
 * file may have changed since, so the check is repeated on the bytes actually read.
 */
export async function readSource(file: string, unsaved?: string, options: ReadOptions = {}): Promise<SourceText | FileOutcome<never>> {
  // An editor's unsaved text wins over the disk: that is what the user sees.
  if (unsaved !== undefined) return { text: unsaved, hash: sha256(unsaved) };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { status: 'error', message: unreadableMessage(error) };
  }
  if (bytes.length > 0 && (await isBinaryFile(bytes, bytes.length))) return { status: 'skipped', reason: binaryFileReason() };
  if (options.strictUtf8) {
    try {
      return { text: strictDecoder.decode(bytes), hash: sha256(bytes) };
    } catch {
      return { status: 'skipped', reason: l10n.t('not UTF-8 text: transforming it would corrupt the bytes that are not') };
    }
  }
  return { text: bytes.toString('utf8'), hash: sha256(bytes) };
}

export function isSourceText(value: SourceText | FileOutcome<never>): value is SourceText {
  return 'text' in value;
}

/** Why a file that could not be read has no result: the same words wherever it is read. */
export function unreadableMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? l10n.t('File no longer exists') : l10n.t('Cannot read file ({0})', code ?? 'error');
}

/** The skip reason of a file that is not text (discovery says it too). */
export function binaryFileReason(): string {
  return l10n.t('binary file');
}
