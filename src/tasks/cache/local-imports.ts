import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256 } from '../../core/hash';

/**
 * Any quoted string that looks like a relative module path: `import … from './x'`,
 * `require('../y')`, `import('./z.js')`, in JS and TS alike. Deliberately
 * generous: a string that is not an import only costs hashing one more file,
 * while a missed import would let a cached result outlive a change to it. A
 * parser would be exact but costs far more to load (TypeScript: about 0.5 s)
 * than this whole scan.
 */
const RELATIVE_SPECIFIER = /(["'`])(\.{1,2}\/[^"'`\r\n]*)\1/g;

/** How Node, jiti and bundlers complete a specifier without an extension. */
const COMPLETIONS = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.json', '/index.js', '/index.mjs', '/index.cjs', '/index.ts', '/package.json'];

/** Enough for any real config; stops a pathological graph from costing a run. */
const MAX_FILES = 500;

async function resolveLocal(from: string, specifier: string): Promise<string | undefined> {
  const base = path.resolve(path.dirname(from), specifier.split(/[?#]/)[0] ?? specifier);
  for (const completion of COMPLETIONS) {
    const candidate = base + completion;
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

/**
 * A hash of `entry` and of every local file it imports, directly or through
 * other local files. Packages are not followed: the lock file pins them. This
 * is what lets a cached result notice a change to a rule, plugin or option
 * that a config (or codemod) keeps in a file of its own.
 */
export async function localModuleGraphHash(entry: string): Promise<string> {
  const hashes = new Map<string, string>();
  const queue = [path.resolve(entry)];
  while (queue.length > 0 && hashes.size < MAX_FILES) {
    const file = queue.shift() as string;
    if (hashes.has(file)) continue;
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      hashes.set(file, 'unreadable');
      continue;
    }
    hashes.set(file, sha256(content));
    // Only source files import; a JSON file or a package.json is hashed, not scanned.
    if (file.endsWith('.json')) continue;
    for (const match of content.toString('utf8').matchAll(RELATIVE_SPECIFIER)) {
      const resolved = await resolveLocal(file, match[2] as string);
      if (resolved && !hashes.has(resolved)) queue.push(resolved);
    }
  }
  // Named relative to the entry's folder: two checkouts of one project in different places give one hash
  // (the queue compares a worker's key with its coordinator's, and the shared cache is keyed by it).
  const base = path.dirname(path.resolve(entry));
  return sha256([...hashes].map(([file, hash]) => `${path.relative(base, file)}:${hash}`).join('\n'));
}
