import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { repoRoot } from '../helpers/files';

/** The parts of esbuild's metafile this test reads; scripts/build.mjs writes it for every bundle. */
interface Metafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, { readonly bytesInOutput: number }>; readonly imports?: readonly { readonly path: string; readonly external?: boolean }[] }>;
}

const metafile = JSON.parse(readFileSync(path.join(repoRoot, 'out', 'bundles.meta.json'), 'utf8')) as Metafile;

/** The source files and packages bundled into dist/NAME; the stubs that read a module from shared.js are not copies. */
function modulesOf(name: string): string[] {
  const output = metafile.outputs[`dist/${name}`];
  assert.ok(output, `dist/${name} is not in the metafile`);
  return Object.keys(output.inputs).filter((input) => !input.startsWith('shared-module:'));
}

describe('bundles', () => {
  it('loads each module once into the extension host: extension.js, engine.js and shared.js share none', () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const bundle of ['extension.js', 'engine.js', 'shared.js']) {
      for (const module of modulesOf(bundle)) {
        const first = owner.get(module);
        if (first) twice.push(`${module} (${first} and ${bundle})`);
        else owner.set(module, bundle);
      }
    }
    assert.deepEqual(twice, [], 'add these to scripts/shared-modules.mjs, or import them with `import type`');
  });

  it('loads no package from node_modules: only Node, VS Code, dist/shared.js and the tools bundled in dist/tools (the .vsix ships no node_modules)', () => {
    const builtins = new Set(builtinModules);
    for (const bundle of ['extension.js', 'engine.js', 'shared.js', 'worker.js']) {
      const external = (metafile.outputs[`dist/${bundle}`]?.imports ?? []).filter((i) => i.external).map((i) => i.path);
      assert.ok(external.some((p) => p.startsWith('node:') || builtins.has(p)), `${bundle}: its imports were read`);
      assert.deepEqual(
        external.filter((p) => !(p === 'vscode' || p.startsWith('node:') || builtins.has(p) || p === './shared.js' || /^\.\/tools\/[^/]+\.js$/.test(p))),
        [],
        `${bundle} requires these at run time`,
      );
    }
  });

  it('keeps zod out of what activation loads and out of the webview', () => {
    for (const bundle of ['extension.js', 'shared.js', 'webview/panel.js']) {
      assert.deepEqual(
        modulesOf(bundle).filter((module) => module.includes('node_modules/zod/')),
        [],
        `${bundle} bundles zod`,
      );
    }
    assert.ok(modulesOf('engine.js').some((module) => module.includes('node_modules/zod/')), 'the engine validates with zod');
  });
});
