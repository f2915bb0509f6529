// The tools the workers run when a project has none of its own (ESLint with the default config, Prettier,
// jscodeshift, the parsers of analyze) and the queue's client, each bundled by esbuild into one file of
// dist/tools/. The .vsix then ships no node_modules at all (a few dozen files instead of 5,000), and the
// extension and the CLI run the very same files.
//
// One file per package, loaded only by the run that needs it: a lint run never reads Prettier, and the
// extension's activation reads none of them. A package used by another (TypeScript by typescript-eslint and
// typescript-estree, ESLint by typescript-eslint, ioredis by BullMQ) is not copied into it: the import is
// rewritten to a `require` of the sibling file, so that there is one copy and one instance of its classes.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The packages bundled into dist/tools, each as `toolFileName(name)`. */
export const bundledTools = [
  'eslint',
  // Subpath used by typescript-eslint's rules that extend ESLint's own.
  'eslint/use-at-your-own-risk',
  '@eslint/js',
  'typescript-eslint',
  'globals',
  'typescript',
  '@typescript-eslint/typescript-estree',
  'prettier',
  'jscodeshift',
  'jiti',
  'oxc-parser',
  'bullmq',
  'ioredis',
];

/** `@typescript-eslint/typescript-estree` → `@typescript-eslint+typescript-estree.js` (src/tasks/resolve-tool.ts agrees). */
export const toolFileName = (name) => `${name.replaceAll('/', '+')}.js`;

/**
 * Turns an import of a bundled tool into a `require` of its file in dist/tools, relative to the bundle being
 * built (`fromDir`, inside dist/): the main bundles reach `./tools/x.js`, the tools each other as `./x.js`.
 */
export function useBundledTools(fromDir, except) {
  const names = new Set(bundledTools.filter((name) => name !== except));
  const escaped = [...names].map((name) => name.replace(/[/.+]/g, '\\$&')).join('|');
  return {
    name: 'bundled-tools',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${escaped})$`) }, (args) => {
        const target = path.posix.relative(fromDir, `dist/tools/${toolFileName(args.path)}`);
        return { path: target.startsWith('.') ? target : `./${target}`, external: true };
      });
      // typescript-estree's project service asks for this name, which TypeScript defines as its main module again.
      if (names.has('typescript')) {
        b.onResolve({ filter: /^typescript\/lib\/tsserverlibrary(\.js)?$/ }, () => ({
          path: path.posix.relative(fromDir, 'dist/tools/typescript.js').replace(/^(?!\.)/, './'),
          external: true,
        }));
      }
    },
  };
}

/** Several of these packages are ES modules that find their own files through `import.meta.url`; in a CommonJS bundle that is the bundle's own URL. */
const importMetaUrl = {
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/**
 * ESLint loads a built-in formatter (`stylish`, `json`, ...) by path, from `lib/cli-engine/formatters` beside
 * its own code: bundled, that folder is gone. The formatters are bundled into dist/tools/eslint-formatters and
 * ESLint's bundle is pointed there (a build error if ESLint's code no longer has that path).
 */
const FORMATTERS_PATH = /"\.\.\/",\s*"cli-engine",\s*"formatters",/;
const eslintFormatters = {
  name: 'eslint-formatters',
  setup(b) {
    b.onLoad({ filter: /[\\/]eslint[\\/]lib[\\/]eslint[\\/]eslint\.js$/ }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      if (!FORMATTERS_PATH.test(code)) throw new Error(`${args.path} no longer names its formatters' folder as expected`);
      return { contents: code.replace(FORMATTERS_PATH, '"eslint-formatters",'), loader: 'js' };
    });
  },
};

async function buildEslintFormatters(root, common) {
  const dir = path.join(root, 'node_modules', 'eslint', 'lib', 'cli-engine', 'formatters');
  const entryPoints = (await readdir(dir)).filter((file) => file.endsWith('.js')).map((file) => path.join(dir, file));
  await build({ ...common, sourcemap: false, minifyWhitespace: true, external: [], entryPoints, outdir: path.join(root, 'dist', 'tools', 'eslint-formatters') });
}

/** The native parser of oxc for the platform that builds: copied beside its bundle, where its loader looks first. */
async function copyOxcBinding(root, outDir) {
  const scope = path.join(root, 'node_modules', '@oxc-parser');
  const bindings = await readdir(scope).catch(() => []);
  for (const dir of bindings) {
    for (const file of await readdir(path.join(scope, dir))) {
      if (file.endsWith('.node')) await copyFile(path.join(scope, dir, file), path.join(outDir, file));
    }
  }
}

/** The versions of what dist/tools holds, for the result cache's keys (src/tasks/cache/tool-version.ts): the bundles carry no package.json. */
async function writeVersions(root, outDir) {
  const require = createRequire(path.join(root, 'package.json'));
  const versions = {};
  for (const name of bundledTools) {
    const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
    versions[name] = JSON.parse(await readFile(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    require.resolve(name);
  }
  await writeFile(path.join(outDir, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
}

/**
 * A bundle's code: the package's CommonJS exports, and a line (never run) that lists their names the way Node's
 * `import()` of a CommonJS file finds them. Without it ESLint's `const { createJiti } = await import("jiti")`
 * (for an eslint.config.ts) gets nothing: Node sees names only in such literal forms.
 */
function entryOf(root, name) {
  const exports = Object.keys(createRequire(path.join(root, 'package.json'))(name)).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
  // A condition esbuild cannot fold away (it drops `0 && ...`), and that is never true.
  return `module.exports = require(${JSON.stringify(name)});\nif (module.neverTrue) { ${exports.map((key) => `exports.${key} = 0;`).join(' ')} }\n`;
}

export async function buildBundledTools(root, common) {
  const outDir = path.join(root, 'dist', 'tools');
  await mkdir(outDir, { recursive: true });
  await Promise.all(
    bundledTools.map((name) =>
      build({
        ...common,
        ...importMetaUrl,
        // Sourcemaps of these would double the package for stack traces into third-party code.
        sourcemap: false,
        minifyWhitespace: true,
        external: [],
        plugins: [useBundledTools('dist/tools', name), ...(name === 'eslint' ? [eslintFormatters] : [])],
        stdin: { contents: entryOf(root, name), resolveDir: root, loader: 'js' },
        outfile: path.join(outDir, toolFileName(name)),
        // Optional peers that these packages look for in a try/catch (and that we do not ship).
        logOverride: { 'require-resolve-not-external': 'silent', 'empty-import-meta': 'silent' },
      }),
    ),
  );
  await buildEslintFormatters(root, common);
  await copyOxcBinding(root, outDir);
  await writeVersions(root, outDir);
}
