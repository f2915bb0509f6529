// Modules that both dist/extension.js and dist/engine.js use. The two bundles
// are loaded into the same extension host (engine.js on the first run, by
// src/extension/load-engine.ts), so bundling these into each would load and
// compile them twice and give each bundle its own copy of their classes.
// Instead they are bundled once, as dist/shared.js, and each import of one of
// them in the other two bundles becomes a `require('./shared.js')`.
//
// Only what the extension needs at activation belongs here: dist/shared.js is
// loaded with extension.js. Code needed only by a run comes from engine.js
// through loadEngine (that is how the panel's zod validation is reached).
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Export name in dist/shared.js → the module it stands for: a file of ours, or a package. */
export const sharedModules = {
  runState: 'src/core/run-state.ts',
  errors: 'src/core/errors.ts',
  paths: 'src/core/paths.ts',
  // The transform edits check file hashes with the worker's own function, whose module imports isbinaryfile.
  sourceFile: 'src/core/source-file.ts',
  // The one sha256, which source-file uses too.
  hash: 'src/core/hash.ts',
  // UnknownKindError and unreachable: the editor and the engine both check kinds.
  taskApi: 'src/core/task-api.ts',
  // Discovery (in the engine) uses it too.
  isbinaryfile: 'isbinaryfile',
  // One instance for both bundles: the extension gives it the translated messages at activation, and the
  // engine's messages (skip reasons, errors) must come out of it in the same language.
  l10n: '@vscode/l10n',
};

const isOurFile = (module) => module.startsWith('src/');

const NAMESPACE = 'shared-module';
const SHARED_BUNDLE = './shared.js';

/** The entry point of dist/shared.js: each shared module as a namespace export. */
export function sharedEntry(root) {
  for (const module of Object.values(sharedModules)) {
    // A module that moved would otherwise just stop being shared, silently.
    if (isOurFile(module) && !existsSync(path.join(root, module))) throw new Error(`scripts/shared-modules.mjs names ${module}, which does not exist`);
  }
  return {
    contents: Object.entries(sharedModules)
      .map(([name, module]) => `export * as ${name} from '${isOurFile(module) ? `./${module}` : module}';`)
      .join('\n'),
    resolveDir: root,
    sourcefile: 'shared-modules.js',
    loader: 'js',
  };
}

/** An esbuild plugin that makes every import of a shared module read it from dist/shared.js. */
export function useSharedModules(root) {
  const modules = Object.entries(sharedModules);
  const byFile = new Map(modules.filter(([, module]) => isOurFile(module)).map(([name, file]) => [path.join(root, file), name]));
  const byPackage = new Map(modules.filter(([, module]) => !isOurFile(module)).map(([name, pkg]) => [pkg, name]));
  return {
    name: 'shared-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\/shared\.js$/, namespace: NAMESPACE }, () => ({ path: SHARED_BUNDLE, external: true }));
      // Our own modules are reached by relative imports.
      build.onResolve({ filter: /^\.\.?\//, namespace: 'file' }, (args) => {
        const base = path.resolve(args.resolveDir, args.path);
        for (const candidate of [base, `${base}.ts`]) {
          const name = byFile.get(candidate);
          if (name) return { path: name, namespace: NAMESPACE };
        }
        return undefined;
      });
      // Packages by their bare name; any other package is left to esbuild.
      build.onResolve({ filter: /^[^./]/, namespace: 'file' }, (args) => {
        const name = byPackage.get(args.path);
        return name ? { path: name, namespace: NAMESPACE } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(SHARED_BUNDLE)}).${args.path};`,
        loader: 'js',
      }));
    },
  };
}
