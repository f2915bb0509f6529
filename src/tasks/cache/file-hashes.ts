import { readFile } from 'node:fs/promises';
import { sha256 } from '../../core/result-cache';

/** The SHA-256 of a file's content, or undefined when it cannot be read (missing, a folder). */
export async function hashFile(file: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(file));
  } catch {
    return undefined;
  }
}

/** `compute` once per key for the life of one key computation (one run): every file of a folder shares its config. */
export function memoize<T>(compute: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const memo = new Map<string, Promise<T>>();
  return (key) => {
    let found = memo.get(key);
    if (!found) {
      found = compute(key);
      memo.set(key, found);
    }
    return found;
  };
}
