import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256 } from '../core/hash';
import { localModuleGraphHash } from './cache/local-imports';

/**
 * Config files that the tools load as code. A warm worker keeps what it
 * loaded (ESLint instances, Prettier's config cache, and Node's module cache,
 * which nothing can clear), so a change to such a file, or to a local module
 * it imports, needs fresh workers.
 */
const CODE_CONFIGS = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts',
  'prettier.config.js',
  'prettier.config.mjs',
  'prettier.config.cjs',
  'prettier.config.ts',
  '.prettierrc.js',
  '.prettierrc.mjs',
  '.prettierrc.cjs',
  '.prettierrc.ts',
];

/**
 * A stamp of the code configs at the root of each folder and of every local
 * module they import: when it changes between two runs, warm workers may
 * hold the old config. (Config files anywhere else are watched by name.)
 */
export async function configStamp(folders: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const folder of folders) {
    for (const name of CODE_CONFIGS) {
      const file = path.join(folder, name);
      if (await stat(file).then((s) => s.isFile(), () => false)) parts.push(`${file}:${await localModuleGraphHash(file)}`);
    }
  }
  return sha256(parts.join('\n'));
}
