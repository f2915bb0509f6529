// Bundles each entry point with esbuild. `--tests` also bundles the mocha
// suites and the fixture workers into out/test, mirroring test/; `--bench`
// bundles the pool-overhead benchmark into out/bench.
import { build } from 'esbuild';
import { globbySync } from 'globby';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildBundledTools, useBundledTools } from './bundled-tools.mjs';
import { sharedEntry, useSharedModules } from './shared-modules.mjs';

const root = path.resolve(import.meta.dirname, '..');
const withTests = process.argv.includes('--tests');
const withBench = process.argv.includes('--bench');

/**
 * For the test and bench bundles of the sources (out/): packages loaded from node_modules at run time. The
 * bundles of dist/ instead load these from dist/tools (see `dist` below), so that they run without node_modules.
 */
const external = [
  'vscode',
  'eslint',
  '@eslint/js',
  'typescript-eslint',
  'typescript',
  '@typescript-eslint/*',
  'prettier',
  'jscodeshift',
  'jiti',
  'globals',
  'mocha',
  'playwright-core',
  // The host tests' pseudo language (test/host/pseudo-locale.ts): it reads tree-sitter grammars beside its own files.
  '@vscode/l10n-dev',
  // Native (a binary per platform): loaded from node_modules, and analyze falls back to typescript-estree without it.
  'oxc-parser',
  // The queue (src/queue/): loaded from node_modules by the runs that use one, so that the others never
  // read or compile it (bundled, it made dist/engine.js five times larger and its first load 100 ms slower).
  'bullmq',
  'ioredis',
];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
  absWorkingDir: root,
  // jsonc-parser's default (UMD) build loads its parts with a dynamic require that a bundle cannot follow.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};
/**
 * The bundles of dist/: everything bundled but VS Code itself and the tools, which are each bundled once into
 * dist/tools (scripts/bundled-tools.mjs) and required from there by the code that runs them.
 */
const dist = { ...common, external: ['vscode'], plugins: [useBundledTools('dist')] };

await rm(path.join(root, 'dist'), { recursive: true, force: true });
// Old test bundles would otherwise run on: a test file deleted or moved must disappear from out/ too.
if (withTests) await rm(path.join(root, 'out'), { recursive: true, force: true });
/** Which module went into which bundle, written to out/bundles.meta.json for test/unit/bundles.test.ts (and esbuild's analyzer). */
const metafiles = [];
await buildBundledTools(root, common);
await build({
  ...dist,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
});
{
  // engine.js: what the extension loads on its first run (src/extension/load-engine.ts), kept out of the activation bundle.
  // shared.js: the modules both of them use, once (scripts/shared-modules.mjs). The worker runs in threads and
  // processes of its own, so it keeps its own copies.
  const host = await build({
    ...dist,
    entryPoints: { extension: 'src/extension/extension.ts', engine: 'src/extension/engine-entry.ts' },
    outdir: 'dist',
    plugins: [useSharedModules(root), ...dist.plugins],
    metafile: true,
  });
  const shared = await build({ ...dist, stdin: sharedEntry(root), outfile: 'dist/shared.js', metafile: true });
  const worker = await build({ ...dist, entryPoints: { worker: 'src/worker/index.ts' }, outdir: 'dist', metafile: true });
  metafiles.push(host.metafile, shared.metafile, worker.metafile);
}

// The panel's webview: a browser bundle, plus the styles and the codicon font it links to.
const webview = await build({
  ...common,
  metafile: true,
  platform: 'browser',
  format: 'esm',
  target: 'chrome120',
  external: [],
  entryPoints: { panel: 'media/src/main.ts' },
  outdir: 'dist/webview',
});
metafiles.push(webview.metafile);
await mkdir(path.join(root, 'out'), { recursive: true });
await writeFile(
  path.join(root, 'out', 'bundles.meta.json'),
  JSON.stringify({ inputs: Object.assign({}, ...metafiles.map((m) => m.inputs)), outputs: Object.assign({}, ...metafiles.map((m) => m.outputs)) }),
);
await mkdir(path.join(root, 'dist', 'webview'), { recursive: true });
for (const [from, to] of [
  ['media/panel.css', 'panel.css'],
  ['node_modules/@vscode/codicons/dist/codicon.css', 'codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'codicon.ttf'],
]) {
  await copyFile(path.join(root, from), path.join(root, 'dist', 'webview', to));
}

// The JSON schema of .vscode/parallel-tasks.json, generated from the schema the code validates with, so the two never disagree.
{
  const bundle = path.join(root, 'dist', 'schema-gen.cjs');
  await build({ ...common, sourcemap: false, entryPoints: ['src/tasks/custom/json-schema.ts'], outfile: bundle });
  const { tasksJsonSchema } = createRequire(import.meta.url)(bundle);
  await writeFile(path.join(root, 'dist', 'parallel-tasks.schema.json'), `${JSON.stringify(tasksJsonSchema(), null, 2)}\n`);
  await rm(bundle);
}

if (withTests) {
  const entries = globbySync(['test/unit/**/*.test.ts', 'test/system/**/*.test.ts', 'test/integration/**/*.ts', 'test/e2e/**/*.test.ts', 'test/host/demo.ts', 'test/fixtures/workers/*.ts'], { cwd: root });
  await build({ ...common, entryPoints: entries, outdir: 'out', outbase: '.' });
}

if (withBench) {
  await build({ ...common, entryPoints: { driver: 'bench/overhead/driver.ts', worker: 'bench/overhead/worker.ts' }, outdir: 'out/bench' });
}
