import type { Linter } from 'eslint';
import * as l10n from '@vscode/l10n';
import type { Problem, TaskKind } from '../../core/task-api';
import { eslintKeyInputs } from '../cache-key';
import { JS_TS_FILES } from '../file-types';
import { problemsLine } from '../summary-lines';
import { mapToolPaths } from '../tool-info';
import { cachedLintValue } from './cached-value';
import { lintWorkerMemory } from './worker-memory';
import { eslintRuleTimes } from './rule-times';
import { lintOptionsSchema, type LintOptions, type LintValue, type RuleDocs } from './types';

/** ESLint over the workspace: its results go to Problems, the CLI prints them as eslint does. */
export const lintKind: TaskKind<LintOptions, LintValue> = {
  name: 'lint',
  get title() {
    return l10n.t({ message: 'Lint', comment: ['the name of a task kind, in titles'] });
  },
  pastTense: 'Linted',
  options: lintOptionsSchema,
  defaultInclude: () => [JS_TS_FILES],
  // ESLint configs are modules, and plugins are code: both run when a file is linted.
  loadsWorkspaceCode: () => true,
  executedFiles: (options) => (options.configFile ? [options.configFile] : []),
  mapOptionPaths: (options, map) => (options.configFile ? { ...options, configFile: map(options.configFile) } : options),
  mapValuePaths: (value, map) => ({ ...value, result: { ...value.result, filePath: map(value.result.filePath) }, tool: mapToolPaths(value.tool, map) }),
  isolation: () => ({ setting: 'lint', fallback: 'auto' }),
  fragile: () => false,
  symlinks: 'follow',
  unsavedText: true,
  cache: { value: cachedLintValue, keyInputs: (options, root) => eslintKeyInputs(root, options.configFile) },
  // Type-aware configs build a TypeScript program in every worker: no more workers than the memory holds.
  workerMemory: (options, root) => lintWorkerMemory(root, options.configFile),
  handler: async () => (await import('./handler')).lintFile,
  results: {
    view: 'problems',
    problems: (value) => value.result.messages.map((message) => toProblem(message, value.rules)),
    diagnostics: () => ({ source: 'eslint', failure: l10n.t('Parallel Tasks could not lint this file') }),
    ruleTimes: (value) => eslintRuleTimes(value.result),
  },
  summaryLine: problemsLine,
};

function toProblem(message: Linter.LintMessage, rules: Readonly<Record<string, RuleDocs>>): Problem {
  const url = message.ruleId ? rules[message.ruleId]?.url : undefined;
  return {
    line: message.line ?? 0,
    column: message.column ?? 0,
    ...(message.endLine !== undefined ? { endLine: message.endLine } : {}),
    ...(message.endColumn !== undefined ? { endColumn: message.endColumn } : {}),
    severity: message.severity === 2 ? 'error' : 'warning',
    message: message.message,
    ...(message.ruleId ? { code: message.ruleId } : {}),
    ...(url ? { codeUrl: url } : {}),
  };
}
