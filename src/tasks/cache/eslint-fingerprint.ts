import * as path from 'node:path';
import { createESLint } from '../lint/eslint-loader';
import { memoize } from './memoize';
import { localModuleGraphHash } from './local-imports';
import { plainJson } from './plain-json';

/**
 * Rule implementations and parsers are code, which no JSON shows: a config is
 * named by ESLint's own serialisation (as `--print-config`: plugins and
 * parsers by their meta name and version), the code behind it by the lock
 * file (packages) and by the config file's local import graph (rules and
 * plugins kept in the project).
 */
function serializeConfig(config: unknown): string {
  try {
    return JSON.stringify(config);
  } catch {
    // ESLint refuses a parser or processor without `meta`; name what we can.
    return plainJson(config);
  }
}

/**
 * What ESLint itself makes of a file's settings, asked of a fresh ESLint built
 * as the workers build theirs: which config file applies, the config it
 * computes for the file (every `files`/`ignores` block that matches,
 * whatever module the blocks come from), and whether the file is ignored.
 * Loads the workspace's config, as linting does (the editor lints only in a
 * trusted workspace).
 */
export async function eslintFingerprint(root: string, configFile: string | undefined, bundledDefault: () => Promise<string>): Promise<(file: string) => Promise<string>> {
  // A new instance per run: ESLint keeps what it loaded for the life of an instance.
  const { eslint } = await createESLint({ root, configFile, fix: false }, false);
  const explicit = configFile ? path.resolve(root, configFile) : undefined;
  const configHash = memoize(localModuleGraphHash);
  // Files under one config share its computed object: serialise it once.
  const serialized = new WeakMap<object, string>();
  const describe = (config: unknown): string => {
    if (typeof config !== 'object' || config === null) return String(config);
    let text = serialized.get(config);
    if (text === undefined) {
      text = serializeConfig(config);
      serialized.set(config, text);
    }
    return text;
  };
  return async (file) => {
    const found = explicit ?? (typeof eslint.findConfigFile === 'function' ? await eslint.findConfigFile(file) : undefined);
    // Without a config the workers lint with the bundled ESLint and our default config (see eslint-loader).
    if (!found && !explicit && typeof eslint.findConfigFile === 'function') return `default-config ${await bundledDefault()}`;
    const [config, ignored] = await Promise.all([eslint.calculateConfigForFile(file) as Promise<unknown>, eslint.isPathIgnored(file)]);
    return plainJson({ configFile: found ?? null, configHash: found ? await configHash(found) : null, ignored, config: describe(config) });
  };
}
