import { readFile } from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import writeFileAtomic from 'write-file-atomic';
import { hashContent } from '../../worker/source-file';

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
    return { ok: false, reason: `cannot be read any more (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (hashContent(bytes) !== expectedHash) return { ok: false, reason: 'changed on disk since it was read; not written' };
  return { ok: true, before: bytes.toString('utf8') };
}

/**
 * Writes the new content atomically (temporary file, then rename; the mode is
 * kept), but only if the file is unchanged since the transform read it.
 */
export async function writeIfUnchanged(file: string, expectedHash: string, output: string): Promise<ApplyResult> {
  const check = await checkUnchanged(file, expectedHash);
  if (!check.ok) return check;
  await writeFileAtomic(file, output, { encoding: 'utf8' });
  return check;
}

export function unifiedDiff(displayPath: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${displayPath}`, `b/${displayPath}`, before, after, undefined, undefined, { context: 3 });
}
