import * as path from 'node:path';
import type { ESLint } from 'eslint';
import * as l10n from '@vscode/l10n';
import { ConfigError, errorMessage } from '../../core/errors';
import { bundledToolEntry, importModule, resolveTool } from '../resolve-tool';
import type { ToolInfo } from '../tool-info';
import { defaultLintConfig } from './default-config';

interface ESLintModule {
  readonly ESLint: typeof ESLint;
  readonly loadESLint?: (options: { useFlatConfig: boolean }) => Promise<typeof ESLint>;
}

export interface LoadedESLint {
  readonly eslint: ESLint;
  readonly source: 'workspace' | 'bundled' | 'bundled-default-config';
  /** The ESLint class's version: the project's own, or ours. */
  readonly version: string;
}

/** The ESLint that linted a file, for reports (SARIF's driver, summaries). */
export interface ESLintForFile extends LoadedESLint {
  readonly tool: ToolInfo;
}

export interface ESLintRequest {
  readonly root: string;
  readonly configFile?: string;
  readonly fix: boolean;
  /** Per-rule times on each result (ESLint 9 and later): asked for by a timing run only, since they cost. */
  readonly stats?: boolean;
}

/**
 * Warm state: one ESLint instance per (root, config, fix, stats) for the life of the
 * worker. Building one loads the config and every plugin, which costs far more
 * than linting a typical file.
 */
const instances = new Map<string, Promise<LoadedESLint>>();

async function eslintClass(entry: string): Promise<typeof ESLint> {
  const mod = await importModule<ESLintModule>(entry);
  // ESLint 8.57 and 9 can do both config systems; ask for flat config explicitly.
  return mod.loadESLint ? mod.loadESLint({ useFlatConfig: true }) : mod.ESLint;
}

function supportsConcurrencyOption(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 9 || (major === 9 && minor >= 34);
}

function supportsStats(version: string): boolean {
  return Number(version.split('.')[0]) >= 9;
}

/** A new ESLint as the worker builds it; the result cache asks a fresh one which config applies to a file. */
export async function createESLint(request: ESLintRequest, useDefaultConfig: boolean): Promise<LoadedESLint> {
  const tool = useDefaultConfig ? { entry: bundledToolEntry('eslint'), source: 'bundled' as const } : resolveTool('eslint', request.root);
  const ESLintCtor = await eslintClass(tool.entry);
  const options: ESLint.Options = {
    cwd: request.root,
    fix: request.fix,
    cache: false,
    ...(useDefaultConfig
      ? { overrideConfigFile: true, overrideConfig: defaultLintConfig() }
      : request.configFile
        ? { overrideConfigFile: path.resolve(request.root, request.configFile) }
        : {}),
  };
  // We already run in a worker; ESLint's own threads would only compete with ours.
  if (supportsConcurrencyOption(ESLintCtor.version)) Object.assign(options, { concurrency: 'off' });
  // ESLint 8 refuses an option it does not know: there, a timing run lists no rules (the CLI says so).
  if (request.stats && supportsStats(ESLintCtor.version)) Object.assign(options, { stats: true });
  return { eslint: new ESLintCtor(options), source: useDefaultConfig ? 'bundled-default-config' : tool.source, version: ESLintCtor.version };
}

function cached(request: ESLintRequest, useDefaultConfig: boolean): Promise<LoadedESLint> {
  const key = JSON.stringify([request.root, request.configFile ?? null, request.fix, request.stats === true, useDefaultConfig]);
  let instance = instances.get(key);
  if (!instance) {
    instance = createESLint(request, useDefaultConfig);
    instances.set(key, instance);
    // A failed load is not cached, so a fixed config is picked up by the next run.
    instance.catch(() => instances.delete(key));
  }
  return instance;
}

/**
 * The ESLint that lints `file`: the project's own with its config, or, when
 * there is no config for the file, the bundled ESLint with the default config.
 * A config that fails to load is a `ConfigError`, which stops the run.
 */
export async function eslintForFile(request: ESLintRequest, file: string): Promise<ESLintForFile> {
  try {
    const loaded = await cached(request, false);
    let configFile = request.configFile ? path.resolve(request.root, request.configFile) : undefined;
    if (!request.configFile && typeof loaded.eslint.findConfigFile === 'function') {
      configFile = await loaded.eslint.findConfigFile(file);
      if (!configFile) {
        const fallback = await cached(request, true);
        return { ...fallback, tool: { name: 'ESLint', version: fallback.version, source: 'bundled' } };
      }
    }
    // Loads (and caches) the config now, so that a broken config is reported as such.
    await loaded.eslint.calculateConfigForFile(file);
    const tool: ToolInfo = { name: 'ESLint', version: loaded.version, source: loaded.source === 'workspace' ? 'workspace' : 'bundled', ...(configFile ? { config: configFile } : {}) };
    return { ...loaded, tool };
  } catch (error) {
    throw new ConfigError(l10n.t('ESLint configuration could not be loaded: {0}', errorMessage(error)));
  }
}
