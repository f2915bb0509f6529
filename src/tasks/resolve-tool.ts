import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ResolvedTool {
  readonly entry: string;
  /** `workspace` when the project installs the tool itself; its version and plugins then win, as with its own CLI. */
  readonly source: 'workspace' | 'bundled';
}

/**
 * The tools we ship are bundled one file per package into dist/tools (scripts/bundled-tools.mjs), beside the
 * bundle that runs this code (dist/worker.js, dist/engine.js, dist/cli.js): the .vsix holds no node_modules.
 */
const TOOLS_DIR = path.join(__dirname, 'tools');
const entries = new Map<string, string>();

/** `@typescript-eslint/typescript-estree` → `@typescript-eslint+typescript-estree.js`, as scripts/bundled-tools.mjs names it. */
export const toolFileName = (name: string): string => `${name.replaceAll('/', '+')}.js`;

/** The copy of `name` we ship: its bundle in dist/tools, else (tests run from sources, in out/test) the package in our node_modules. */
export function bundledToolEntry(name: string): string {
  let entry = entries.get(name);
  if (!entry) {
    const bundled = path.join(TOOLS_DIR, toolFileName(name));
    entry = existsSync(bundled) ? bundled : createRequire(__filename).resolve(name);
    entries.set(name, entry);
  }
  return entry;
}

/** Whether `entry` is one of the bundles of dist/tools (which carry no package.json: the build lists their versions in versions.json there). */
export function isBundledTool(entry: string): boolean {
  return path.dirname(entry) === TOOLS_DIR;
}

/** Loads the copy of a CommonJS tool we ship, synchronously. */
export function requireBundledTool<T>(name: string): T {
  return createRequire(__filename)(bundledToolEntry(name)) as T;
}

/** Finds a tool the way its CLI would be found from `root` (node_modules upwards), else the copy we ship. */
export function resolveTool(name: string, root: string): ResolvedTool {
  try {
    return { entry: createRequire(path.join(root, '__resolve__.js')).resolve(name), source: 'workspace' };
  } catch {
    return { entry: bundledToolEntry(name), source: 'bundled' };
  }
}

/** Loads a CommonJS or ESM module by absolute path and returns its exports. */
export async function importModule<T>(entry: string): Promise<T> {
  // Ours are CommonJS: `import()` would first scan a whole bundle for its export names (Node's CommonJS
  // lexer), which took longer than compiling it (Prettier's 5 MB: 4.2 s against 1.5 s on a busy machine).
  if (isBundledTool(entry)) return createRequire(__filename)(entry) as T;
  const namespace = (await import(pathToFileURL(entry).href)) as { default?: T } & T;
  // A CommonJS module arrives as `default`; an ESM one as the namespace itself.
  return (namespace.default ?? namespace) as T;
}
