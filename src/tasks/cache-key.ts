import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { sha256 } from '../core/result-cache';
import { eslintFingerprint } from './cache/eslint-fingerprint';
import { hashFile } from './cache/file-hashes';
import { localModuleGraphHash } from './cache/local-imports';
import { prettierFingerprint } from './cache/prettier-fingerprint';
import { bundledVersion, toolVersion } from './cache/tool-version';
import type { TransformOptions } from './transform/types';
import type { LintOptions } from './lint/types';

/** A lock file pins every plugin and shared config: when it changes, results may too. */
const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];

/** The nearest lock file from `dir` up to the filesystem root, with its hash. */
async function nearestLockFile(dir: string): Promise<string> {
  for (;;) {
    for (const name of LOCK_FILES) {
      const hash = await hashFile(path.join(dir, name));
      if (hash) return `${path.join(dir, name)}:${hash}`;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'no lock file';
    dir = parent;
  }
}

/** What our default lint config (used where a project has none) is made of. */
async function defaultLintConfigVersions(): Promise<string> {
  return (await Promise.all(['eslint', '@eslint/js', 'typescript-eslint', 'globals'].map(bundledVersion))).join(' ');
}

/**
 * The fingerprint of everything a file's result depends on besides its own
 * content: the engine build, the task and its options, the tool's version, the
 * lock file (plugins, shared configs), and, per file, what the tool itself
 * resolves for it (Prettier's options, ESLint's computed config, ignored or
 * not) together with the config file and the local files it imports. A change
 * to any of them gives a different key, so cached results for the affected
 * files stop matching. One call is one run: configs are read afresh.
 */
export async function cacheKeyFor(kind: string, options: unknown, root: string, engineBuild: string): Promise<(file: string) => Promise<string>> {
  const base = [engineBuild, kind, JSON.stringify(options), await nearestLockFile(root)];
  let perFile: ((file: string) => Promise<string>) | undefined;
  const transform = kind === 'transform' ? (options as TransformOptions) : undefined;
  if (kind === 'lint' || transform?.mode === 'eslint-fix') {
    base.push(await toolVersion('eslint', root));
    const configFile = (options as LintOptions).configFile;
    let bundled: Promise<string> | undefined;
    perFile = await fingerprintOrUncacheable(() => eslintFingerprint(root, configFile, () => (bundled ??= defaultLintConfigVersions())));
  } else if (transform?.mode === 'prettier') {
    base.push(await toolVersion('prettier', root));
    perFile = await fingerprintOrUncacheable(() => prettierFingerprint(root));
  } else if (transform?.mode === 'codemod') {
    base.push(await toolVersion('jscodeshift', root), await localModuleGraphHash(transform.codemod));
  }
  const baseKey = sha256(base.join('\n'));
  if (!perFile) return async () => baseKey;
  const fingerprint = perFile;
  return async (file) => {
    try {
      return sha256(`${baseKey}\n${await fingerprint(file)}`);
    } catch {
      // The tool could not say what applies to the file (a broken config): process it,
      // and let the worker report the error. This key matches no entry, now or later.
      return uncacheable();
    }
  };
}

function uncacheable(): string {
  return `uncacheable ${randomUUID()}`;
}

/** A tool that cannot even be loaded makes every file uncacheable; the workers will say why. */
async function fingerprintOrUncacheable(create: () => Promise<(file: string) => Promise<string>>): Promise<(file: string) => Promise<string>> {
  try {
    return await create();
  } catch {
    return async () => uncacheable();
  }
}
