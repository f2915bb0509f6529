import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ResolvedTool {
  readonly entry: string;
  /** `workspace` when the project installs the tool itself; its version and plugins then win, as with its own CLI. */
  readonly source: 'workspace' | 'bundled';
}

/** Finds a tool the way its CLI would be found from `root` (node_modules upwards), else the copy we ship. */
export function resolveTool(name: string, root: string): ResolvedTool {
  try {
    return { entry: createRequire(path.join(root, '__resolve__.js')).resolve(name), source: 'workspace' };
  } catch {
    return { entry: createRequire(__filename).resolve(name), source: 'bundled' };
  }
}

export function bundledToolEntry(name: string): string {
  return createRequire(__filename).resolve(name);
}

/** Loads a CommonJS or ESM module by absolute path and returns its exports. */
export async function importModule<T>(entry: string): Promise<T> {
  const namespace = (await import(pathToFileURL(entry).href)) as { default?: T } & T;
  // A CommonJS module arrives as `default`; an ESM one as the namespace itself.
  return (namespace.default ?? namespace) as T;
}
