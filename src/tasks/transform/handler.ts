import * as l10n from '@vscode/l10n';
import { errorMessage } from '../../core/errors';
import type { FileOutcome } from '../../core/types';
import type { FileHandler } from '../../core/task-api';
import { isSourceText, readSource } from '../../core/source-file';
import { eslintForFile } from '../lint/eslint-loader';
import { runCodemod } from './codemod';
import { formatWithPrettier } from './prettier';
import type { ToolInfo } from '../tool-info';
import type { TransformOptions, TransformValue } from './types';

export const transformFile: FileHandler<TransformOptions, TransformValue> = async (file, request): Promise<FileOutcome<TransformValue>> => {
  const options = request.options;
  const source = await readSource(file, request.sources?.[file], { strictUtf8: true });
  if (!isSourceText(source)) return source;
  let result: Transformed | FileOutcome<never>;
  try {
    result = await transformText(options, file, source.text, request.root);
  } catch (error) {
    if ((error as Error).name === 'ConfigError') throw error;
    return { status: 'error', message: errorMessage(error) };
  }
  if ('status' in result) return result;
  const { output, ...about } = result;
  const changed = output !== undefined && output !== source.text;
  return { status: 'ok', value: { changed, hash: source.hash, ...(changed ? { output } : {}), ...about } };
};

/** New content (`undefined` for "unchanged") and what produced it. */
interface Transformed {
  readonly output: string | undefined;
  readonly tool?: ToolInfo;
  readonly remainingErrors?: number;
}

/** The transform's result, or an outcome when the file is skipped or fails. */
async function transformText(options: TransformOptions, file: string, text: string, root: string): Promise<Transformed | FileOutcome<never>> {
  switch (options.mode) {
    case 'prettier': {
      const formatted = await formatWithPrettier(file, text, root);
      return formatted.status === 'ok' ? formatted.value : formatted;
    }
    case 'eslint-fix': {
      const { eslint, tool } = await eslintForFile({ root, configFile: options.configFile, fix: true }, file);
      // Take the fixed text from the result; ESLint itself never writes (no outputFixes).
      const [result] = await eslint.lintText(text, { filePath: file, warnIgnored: false });
      if (!result) return { status: 'skipped', reason: l10n.t('ignored by the ESLint configuration') };
      const fatal = result.messages.find((m) => m.fatal);
      if (fatal) return { status: 'error', message: l10n.t('Parsing error at {0}:{1}: {2}', fatal.line, fatal.column, fatal.message) };
      // What is left after fixing: `eslint --fix` exits 1 when errors remain, and so do we.
      return { output: result.output, tool, remainingErrors: result.errorCount };
    }
    case 'codemod':
      return { output: await runCodemod(options.codemod, file, text, options.codemodOptions ?? {}) };
    case 'replace':
      return { output: text.replace(new RegExp(options.pattern, options.flags.includes('g') ? options.flags : `${options.flags}g`), options.replacement) };
  }
}
