import * as path from 'node:path';
import { prettierFor, prettierIgnoreFiles } from '../transform/prettier';
import { memoize } from './memoize';
import { localModuleGraphHash } from './local-imports';
import { plainJson } from './plain-json';

/**
 * What Prettier itself makes of a file's settings, asked of the same Prettier
 * the workers format with: the options it resolves (every config format, the
 * `overrides` that match the file, `.editorconfig`), the config file with what
 * it imports, and whether the file is ignored. Keying on the resolved options
 * rather than on a list of config file names means no format can be missed, and
 * a JS config's effect is seen even when it comes from another file.
 */
export async function prettierFingerprint(root: string): Promise<(file: string) => Promise<string>> {
  const prettier = await prettierFor(root);
  // Prettier remembers configs it has found for the life of the module; this run must see them as they are now.
  await prettier.clearConfigCache();
  const ignoreFiles = prettierIgnoreFiles(root);
  // A JS config that imports a plugin or options from a local file: a change there must count too.
  const configFileHash = memoize(localModuleGraphHash);
  // Which config file applies depends on the folder only, and Prettier does not cache this search (about 3 ms a call).
  const configFileOf = memoize((dir) => prettier.resolveConfigFile(path.join(dir, 'file')));
  return async (file) => {
    const [configFile, options, info] = await Promise.all([
      configFileOf(path.dirname(file)),
      prettier.resolveConfig(file, { editorconfig: true }),
      prettier.getFileInfo(file, { ignorePath: ignoreFiles }),
    ]);
    return plainJson({
      configFile,
      configHash: configFile ? await configFileHash(configFile) : null,
      options,
      ignored: info.ignored,
      parser: info.inferredParser,
    });
  };
}
