import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { API, FileInfo, Options, Transform } from 'jscodeshift';
import { ConfigError, errorMessage } from '../../core/errors';
import { bundledToolEntry, importModule, requireBundledTool } from '../resolve-tool';

interface CodemodModule {
  readonly transform: Transform;
  readonly parser?: string;
}

type JscodeshiftModule = typeof import('jscodeshift');

/** Warm state: each codemod is compiled and loaded once per worker. */
const codemods = new Map<string, Promise<CodemodModule>>();
let jscodeshift: Promise<JscodeshiftModule> | undefined;

async function loadCodemod(file: string): Promise<CodemodModule> {
  // jiti compiles TypeScript and ESM codemods on the fly, as jscodeshift's own runner does with Babel.
  // Required here: Prettier and search-and-replace runs, which load this module too, never read jiti.
  const { createJiti } = requireBundledTool<typeof import('jiti')>('jiti');
  const jiti = createJiti(__filename, { moduleCache: false });
  const mod = await jiti.import<Record<string, unknown>>(file);
  const candidate = typeof mod === 'function' ? mod : mod.default ?? mod.transform;
  if (typeof candidate !== 'function') {
    throw new Error(l10n.t('the module must export a transform function (default export or `transform`)'));
  }
  return { transform: candidate as Transform, parser: typeof mod.parser === 'string' ? mod.parser : undefined };
}

function codemodAt(file: string): Promise<CodemodModule> {
  let codemod = codemods.get(file);
  if (!codemod) {
    codemod = loadCodemod(file).catch((error: unknown) => {
      codemods.delete(file);
      throw new ConfigError(l10n.t('Codemod {0} could not be loaded: {1}', file, errorMessage(error)));
    });
    codemods.set(file, codemod);
  }
  return codemod;
}

function parserFor(file: string, declared: string | undefined): string {
  if (declared) return declared;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.tsx') return 'tsx';
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'ts';
  return 'babel';
}

/** Runs a jscodeshift transform on one file; `undefined` means "no change", as in jscodeshift. */
export async function runCodemod(
  codemodFile: string,
  file: string,
  source: string,
  options: Readonly<Record<string, unknown>>,
): Promise<string | undefined> {
  const codemod = await codemodAt(codemodFile);
  jscodeshift ??= importModule<JscodeshiftModule>(bundledToolEntry('jscodeshift'));
  const j = (await jscodeshift).withParser(parserFor(file, codemod.parser));
  const api: API = { j, jscodeshift: j, stats: () => undefined, report: () => undefined };
  const info: FileInfo = { path: file, source };
  const output = await codemod.transform(info, api, { ...options } as Options);
  // jscodeshift treats null, undefined and '' as "skip" and an identical string as "no change".
  if (typeof output !== 'string' || output === '' || output === source) return undefined;
  return output;
}
