import type { ESLint } from 'eslint';
import * as l10n from '@vscode/l10n';
import { errorMessage } from '../../core/errors';
import type { FileOutcome } from '../../core/types';
import type { FileHandler } from '../../core/task-api';
import { isSourceText, readSource } from '../../core/source-file';
import { eslintForFile } from './eslint-loader';
import type { LintOptions, LintValue, RuleDocs } from './types';

export const lintFile: FileHandler<LintOptions, LintValue> = async (file, request): Promise<FileOutcome<LintValue>> => {
  const options = request.options;
  const source = await readSource(file, request.sources?.[file]);
  if (!isSourceText(source)) return source;
  const { eslint, source: origin, tool } = await eslintForFile({ root: request.root, configFile: options.configFile, fix: false, stats: options.stats === true }, file);
  let results: ESLint.LintResult[];
  try {
    // A file named on purpose that ESLint ignores gets ESLint's own warning result, as `eslint FILE` prints it.
    results = await eslint.lintText(source.text, { filePath: file, warnIgnored: request.explicit?.includes(file) ?? false });
  } catch (error) {
    // A parse error is a message in the result; a throw here is a rule or plugin crashing.
    return { status: 'error', message: l10n.t('ESLint failed on this file: {0}', errorMessage(error)) };
  }
  const result = results[0];
  if (!result) return { status: 'skipped', reason: l10n.t('ignored by the ESLint configuration') };
  return { status: 'ok', value: { result: toPlain(result), rules: ruleDocs(eslint, results), eslint: origin, tool } };
};

/**
 * ESLint defines some result fields as getters; the json formatter prints their values, and so must we. A JSON
 * round trip also drops what a structured clone would refuse (a plugin's suggestion may carry a function).
 */
function toPlain(result: ESLint.LintResult): ESLint.LintResult {
  return JSON.parse(JSON.stringify(result)) as ESLint.LintResult;
}

function ruleDocs(eslint: ESLint, results: ESLint.LintResult[]): Record<string, RuleDocs> {
  const docs: Record<string, RuleDocs> = {};
  try {
    for (const [id, meta] of Object.entries(eslint.getRulesMetaForResults(results))) {
      docs[id] = { description: meta.docs?.description, url: meta.docs?.url };
    }
  } catch {
    // Rule docs are a nicety (links in reports); never fail a file over them.
  }
  return docs;
}
