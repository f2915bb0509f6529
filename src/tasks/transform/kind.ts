import * as l10n from '@vscode/l10n';
import type { TaskKind } from '../../core/task-api';
import { mapToolPaths } from '../tool-info';
import { codemodKeyInputs, eslintKeyInputs, prettierKeyInputs } from '../cache-key';
import { JS_TS_FILES, PRETTIER_FILES } from '../file-types';
import { changedLine } from '../summary-lines';
import { cachedTransformValue } from './cached-value';
import { transformOptionsSchema, type TransformOptions, type TransformValue } from './types';

/** Prettier, ESLint autofix, a codemod, or search and replace: new contents, reviewed before they are written. */
export const transformKind: TaskKind<TransformOptions, TransformValue> = {
  name: 'transform',
  get title() {
    return l10n.t({ message: 'Transform', comment: ['the name of a task kind, in titles'] });
  },
  pastTense: 'Transformed',
  options: transformOptionsSchema,
  defaultInclude: (options) => [options.mode === 'prettier' ? PRETTIER_FILES : JS_TS_FILES],
  // Prettier plugins, ESLint configs and codemods are code; a regular expression is not.
  loadsWorkspaceCode: (options) => options.mode !== 'replace',
  executedFiles: (options) => {
    if (options.mode === 'codemod') return [options.codemod];
    if (options.mode === 'eslint-fix' && options.configFile) return [options.configFile];
    return [];
  },
  mapOptionPaths: (options, map) => {
    if (options.mode === 'codemod') return { ...options, codemod: map(options.codemod) };
    if (options.mode === 'eslint-fix' && options.configFile) return { ...options, configFile: map(options.configFile) };
    return options;
  },
  mapValuePaths: (value, map) => (value.tool ? { ...value, tool: mapToolPaths(value.tool, map) } : value),
  // Codemods have their own setting: arbitrary code that can take its thread down runs in processes by default.
  isolation: (options) => (options.mode === 'codemod' ? { setting: 'codemod', fallback: 'process' } : { setting: 'transform', fallback: 'auto' }),
  fragile: (options) => options.mode === 'codemod',
  symlinks: 'skip',
  unsavedText: true,
  cache: {
    value: cachedTransformValue,
    keyInputs: async (options, root) => {
      switch (options.mode) {
        case 'eslint-fix':
          return eslintKeyInputs(root, options.configFile);
        case 'prettier':
          return prettierKeyInputs(root);
        case 'codemod':
          return codemodKeyInputs(root, options.codemod);
        case 'replace':
          return { parts: [] };
      }
    },
  },
  handler: async () => (await import('./handler')).transformFile,
  results: { view: 'edits', edit: (value) => value },
  summaryLine: changedLine,
};
