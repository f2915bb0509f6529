import { readFile } from 'node:fs/promises';
import { sha256 } from '../../core/hash';

/** The SHA-256 of a file's content, or undefined when it cannot be read (missing, a folder). */
export async function hashFile(file: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(file));
  } catch {
    return undefined;
  }
}
