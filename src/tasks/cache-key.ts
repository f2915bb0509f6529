import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { sha256 } from '../core/hash';
import { eslintFingerprint } from './cache/eslint-fingerprint';
import { hashFile } from './cache/file-hashes';
import { localModuleGraphHash } from './cache/local-imports';
import { prettierFingerprint } from './cache/prettier-fingerprint';
import { bundledVersion, toolVersion } from './cache/tool-version';
import type { AnyTaskKind, CacheKeyInputs } from '../core/task-api';

/** A lock file pins every plugin and shared config: when it changes, results may too. */
const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];

/** The nearest lock file from `dir` up to the filesystem root, with its hash. */
export async function nearestLockFile(root: string): Promise<string> {
  let dir = root;
  for (;;) {
    for (const name of LOCK_FILES) {
      const hash = await hashFile(path.join(dir, name));
      if (hash) return `${path.relative(root, path.join(dir, name))}:${hash}`;
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
 * content: the engine build, the task and its options, the lock file
 * (plugins, shared configs), and what the kind adds (its tool's version, and
 * per file what the tool itself resolves for it: Prettier's options, ESLint's
 * computed config, ignored or not, together with the config file and the
 * local files it imports). A change to any of them gives a different key, so
 * cached results for the affected files stop matching. One call is one run:
 * configs are read afresh.
 */
export async function cacheKeyFor(kind: AnyTaskKind, options: unknown, root: string, engineBuild: string): Promise<(file: string) => Promise<string>> {
  const inputs = (await kind.cache?.keyInputs(options, root)) ?? { parts: [] };
  // Paths inside the workspace count from its root, so that the same project checked out elsewhere (another
  // machine of a queue, a CI runner) gets the same keys: its results may be shared, and a worker whose
  // tools or config differ is told apart from one whose checkout merely lives in another folder.
  const portable = (text: string): string => text.split(root).join('<root>');
  const baseKey = sha256(portable([engineBuild, kind.name, JSON.stringify(options), await nearestLockFile(root), ...inputs.parts].join('\n')));
  const fingerprint = inputs.perFile;
  if (!fingerprint) return async () => baseKey;
  return async (file) => {
    try {
      return sha256(`${baseKey}\n${portable(await fingerprint(file))}`);
    } catch {
      // The tool could not say what applies to the file (a broken config): process it,
      // and let the worker report the error. This key matches no entry, now or later.
      return uncacheable();
    }
  };
}

/** ESLint's part of a key: its version, and per file the config ESLint computes for it. */
export async function eslintKeyInputs(root: string, configFile: string | undefined): Promise<CacheKeyInputs> {
  let bundled: Promise<string> | undefined;
  return {
    parts: [await toolVersion('eslint', root)],
    perFile: await fingerprintOrUncacheable(() => eslintFingerprint(root, configFile, () => (bundled ??= defaultLintConfigVersions()))),
  };
}

/** Prettier's part of a key: its version, and per file the options Prettier resolves for it. */
export async function prettierKeyInputs(root: string): Promise<CacheKeyInputs> {
  return { parts: [await toolVersion('prettier', root)], perFile: await fingerprintOrUncacheable(() => prettierFingerprint(root)) };
}

/** A codemod's part of a key: jscodeshift's version and the codemod with the local modules it imports. */
export async function codemodKeyInputs(root: string, codemod: string): Promise<CacheKeyInputs> {
  return { parts: [await toolVersion('jscodeshift', root), await localModuleGraphHash(codemod)] };
}

const UNCACHEABLE = 'uncacheable ';

function uncacheable(): string {
  return `${UNCACHEABLE}${randomUUID()}`;
}

/** A key that matches nothing, not even itself on another machine: never compared, never shared. */
export function isUncacheableKey(key: string): boolean {
  return key.startsWith(UNCACHEABLE);
}

/** A tool that cannot even be loaded makes every file uncacheable; the workers will say why. */
async function fingerprintOrUncacheable(create: () => Promise<(file: string) => Promise<string>>): Promise<(file: string) => Promise<string>> {
  try {
    return await create();
  } catch {
    return async () => uncacheable();
  }
}
