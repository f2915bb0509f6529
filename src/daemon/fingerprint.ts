import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256 } from '../core/hash';
import { nearestLockFile } from '../tasks/cache-key';
import { hashFile } from '../tasks/cache/file-hashes';
import { localModuleGraphHash } from '../tasks/cache/local-imports';
import { toolVersion } from '../tasks/cache/tool-version';

/** The tools our workers load from the workspace: a new version of one must not be answered by workers holding the old. */
const TOOLS = ['eslint', 'prettier', 'jscodeshift', 'typescript'];

/** Option values naming files (a lint config, a codemod) are hashed with the local modules they import. */
async function optionFiles(options: unknown, root: string): Promise<string[]> {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(options);
  const parts: string[] = [];
  for (const value of strings) {
    const file = path.resolve(root, value);
    if (value.length < 4096 && (await stat(file).then((s) => s.isFile(), () => false))) parts.push(`${file}:${await localModuleGraphHash(file)}`);
  }
  return parts;
}

/**
 * What a warm pool must have been started under to answer this run (besides
 * the config files next to the files, see ConfigStamps): the task and its
 * options, the lock file and npm's record of what is installed (plugins and
 * shared configs are packages), the tools' versions, and the files options
 * name. Everything here is cheap to read: it is computed on every run, and
 * it must never load a tool (that is the cost the daemon saves).
 */
export async function poolFingerprint(kind: string, options: unknown, root: string): Promise<string> {
  const installed = await stat(path.join(root, 'node_modules', '.package-lock.json')).then(
    (s) => `${s.size}:${s.mtimeMs}`,
    () => 'none',
  );
  const parts = await Promise.all([nearestLockFile(root), ...TOOLS.map((tool) => toolVersion(tool, root)), optionFiles(options, root).then((p) => p.join('\n'))]);
  return sha256([kind, JSON.stringify(options), installed, ...parts].join('\n'));
}

/**
 * Files that decide a tool's configuration in their folder: CONFIG_FILES_GLOB without the lock files (see
 * poolFingerprint), with the ignore files Prettier honours and the TypeScript projects a typed lint config loads.
 */
const CONFIG_NAME = /^(eslint\.config\..*|\.prettierrc(\..*)?|prettier\.config\..*|\.prettierignore|\.gitignore|\.editorconfig|package\.json|package\.yaml|[tj]sconfig(\..*)?\.json)$/;
/** Loaded as code: a change to a module it imports counts too. */
const CODE = /\.(js|mjs|cjs|ts|mts|cts)$/;

/**
 * The config files in each folder from a batch's files up to the filesystem root, by
 * folder: `{ folder: stamp }`. The daemon remembers the stamp each warm pool
 * has seen for a folder; a different one means its workers may hold the old
 * config (ESLint keeps a config once loaded, Node keeps the modules it
 * imported), and the pool is replaced. ESLint looks configs up from each
 * file's folder, so a config anywhere on the way counts, not only the root's.
 * One instance per run: a folder is read once.
 */
export class ConfigStamps {
  private readonly folders = new Map<string, Promise<string>>();

  async forFiles(files: readonly string[]): Promise<Record<string, string>> {
    const wanted = new Set<string>();
    for (const file of files) {
      // Up to the filesystem's root, not the run's: ESLint finds a config above the folder a run starts in.
      let dir = path.dirname(file);
      while (!wanted.has(dir)) {
        wanted.add(dir);
        const parent = path.dirname(dir);
        if (parent === dir) break;
        dir = parent;
      }
    }
    const entries = await Promise.all([...wanted].map(async (dir) => [dir, await this.folder(dir)] as const));
    return Object.fromEntries(entries);
  }

  private folder(dir: string): Promise<string> {
    let stamp = this.folders.get(dir);
    if (!stamp) {
      stamp = stampFolder(dir);
      this.folders.set(dir, stamp);
    }
    return stamp;
  }
}

async function stampFolder(dir: string): Promise<string> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => CONFIG_NAME.test(name)).sort();
  const parts = await Promise.all(names.map(async (name) => `${name}:${CODE.test(name) ? await localModuleGraphHash(path.join(dir, name)) : ((await hashFile(path.join(dir, name))) ?? 'unreadable')}`));
  return parts.length === 0 ? 'none' : sha256(parts.join('\n'));
}
