import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { sha256 } from '../core/result-cache';
import { resolveTool } from './resolve-tool';
import type { TransformOptions } from './transform/types';
import type { LintOptions } from './lint/types';

/** Files whose content decides a result besides the file itself, looked up from the file's folder upwards. */
const ESLINT_CONFIGS = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];
const PRETTIER_CONFIGS = ['.prettierrc', '.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml', '.prettierrc.json5', '.prettierrc.js', '.prettierrc.mjs', '.prettierrc.cjs', '.prettierrc.toml', 'prettier.config.js', 'prettier.config.mjs', 'prettier.config.cjs', 'package.json'];
/** A lock file pins every plugin and shared config: when it changes, results may too. */
const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock'];

async function hashFile(file: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(file));
  } catch {
    return undefined;
  }
}

/** The hash of the nearest of `names` from `dir` up to the filesystem root, remembered per folder. */
function nearest(names: readonly string[]): (dir: string) => Promise<string> {
  const memo = new Map<string, Promise<string>>();
  const find = (dir: string): Promise<string> => {
    let found = memo.get(dir);
    if (!found) {
      found = (async () => {
        for (const name of names) {
          const hash = await hashFile(path.join(dir, name));
          if (hash) return `${name}:${hash}`;
        }
        const parent = path.dirname(dir);
        return parent === dir ? 'none' : find(parent);
      })();
      memo.set(dir, found);
    }
    return found;
  };
  return find;
}

async function toolVersion(name: string, root: string): Promise<string> {
  try {
    const entry = resolveTool(name, root).entry;
    // The package.json nearest to the entry point is the tool's own.
    let dir = path.dirname(entry);
    for (;;) {
      const text = await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => undefined);
      if (text) {
        const manifest = JSON.parse(text) as { name?: string; version?: string };
        if (manifest.name === name) return `${name}@${manifest.version}`;
      }
      const parent = path.dirname(dir);
      if (parent === dir) return `${name}@unknown`;
      dir = parent;
    }
  } catch {
    return `${name}@missing`;
  }
}

/**
 * The fingerprint of everything a file's result depends on besides its own
 * content: the engine build, the task and its options, the tool's version, the
 * lock file (plugins, shared configs) and the config files that apply to the
 * file. A change to any of them gives a different key, so cached results for
 * the affected files stop matching. Configs that import other local files are
 * covered only through those imports' own lock-file pins.
 */
export async function cacheKeyFor(kind: string, options: unknown, root: string, engineBuild: string): Promise<(file: string) => Promise<string>> {
  const base = [engineBuild, kind, JSON.stringify(options), await nearest(LOCK_FILES)(root)];
  const perDirectory: ((dir: string) => Promise<string>)[] = [];
  const transform = kind === 'transform' ? (options as TransformOptions) : undefined;
  if (kind === 'lint' || transform?.mode === 'eslint-fix') {
    base.push(await toolVersion('eslint', root));
    const configFile = (options as LintOptions).configFile;
    if (configFile) base.push((await hashFile(configFile)) ?? 'missing-config');
    else perDirectory.push(nearest(ESLINT_CONFIGS));
  } else if (transform?.mode === 'prettier') {
    base.push(await toolVersion('prettier', root), (await hashFile(path.join(root, '.prettierignore'))) ?? '', (await hashFile(path.join(root, '.gitignore'))) ?? '');
    perDirectory.push(nearest(PRETTIER_CONFIGS), nearest(['.editorconfig']));
  } else if (transform?.mode === 'codemod') {
    base.push(await toolVersion('jscodeshift', root), (await hashFile(transform.codemod)) ?? 'missing-codemod');
  }
  const baseKey = sha256(base.join('\n'));
  if (perDirectory.length === 0) return async () => baseKey;
  return async (file) => sha256([baseKey, ...(await Promise.all(perDirectory.map((find) => find(path.dirname(file)))))].join('\n'));
}
