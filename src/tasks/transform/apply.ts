import { readFile } from 'node:fs/promises';
import * as l10n from '@vscode/l10n';
import { createTwoFilesPatch } from 'diff';
import { sha256 } from '../../core/hash';
import { changedBeforeReason, safeWrite, type WriteResult } from './safe-write';

export type ApplyResult = { readonly ok: true; readonly before: string } | { readonly ok: false; readonly reason: string };

/**
 * Reads the file again and checks it still holds what the transform read.
 * Returns its current text, or why it must not be touched.
 */
export async function checkUnchanged(file: string, expectedHash: string): Promise<ApplyResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { ok: false, reason: l10n.t('cannot be read any more ({0})', (error as NodeJS.ErrnoException).code ?? 'error') };
  }
  if (sha256(bytes) !== expectedHash) return { ok: false, reason: changedBeforeReason() };
  return { ok: true, before: bytes.toString('utf8') };
}

/**
 * Writes the new content only if the file still holds what the transform read,
 * and never over a change that lands while it is written (see safe-write.ts).
 */
export async function writeIfUnchanged(file: string, expectedHash: string, output: string): Promise<WriteResult> {
  return safeWrite(file, expectedHash, Buffer.from(output, 'utf8'));
}

export function unifiedDiff(displayPath: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${displayPath}`, `b/${displayPath}`, before, after, undefined, undefined, { context: 3 });
}
