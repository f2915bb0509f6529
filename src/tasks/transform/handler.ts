import { errorMessage } from '../../core/errors';
import type { FileOutcome } from '../../core/types';
import type { FileHandler } from '../../worker/run-batch';
import { isSourceText, readSource } from '../../worker/source-file';
import { eslintForFile } from '../lint/eslint-loader';
import { runCodemod } from './codemod';
import { formatWithPrettier } from './prettier';
import type { TransformOptions, TransformValue } from './types';

export const transformFile: FileHandler = async (file, request): Promise<FileOutcome<TransformValue>> => {
  const options = request.options as TransformOptions;
  const source = await readSource(file, request.sources?.[file], { strictUtf8: true });
  if (!isSourceText(source)) return source;
  let output: string | undefined;
  try {
    const result = await transformText(options, file, source.text, request.root);
    if (typeof result !== 'string' && result !== undefined) return result;
    output = result;
  } catch (error) {
    if ((error as Error).name === 'ConfigError') throw error;
    return { status: 'error', message: errorMessage(error) };
  }
  const changed = output !== undefined && output !== source.text;
  return { status: 'ok', value: changed ? { changed, output, hash: source.hash } : { changed: false, hash: source.hash } };
};

/** New content, `undefined` for "unchanged", or an outcome when the file is skipped or fails. */
async function transformText(
  options: TransformOptions,
  file: string,
  text: string,
  root: string,
): Promise<string | undefined | FileOutcome<never>> {
  switch (options.mode) {
    case 'prettier': {
      const formatted = await formatWithPrettier(file, text, root);
      return formatted.status === 'ok' ? formatted.value : formatted;
    }
    case 'eslint-fix': {
      const { eslint } = await eslintForFile({ root, configFile: options.configFile, fix: true }, file);
      // Take the fixed text from the result; ESLint itself never writes (no outputFixes).
      const [result] = await eslint.lintText(text, { filePath: file, warnIgnored: false });
      if (!result) return { status: 'skipped', reason: 'ignored by the ESLint configuration' };
      const fatal = result.messages.find((m) => m.fatal);
      if (fatal) return { status: 'error', message: `Parsing error at ${fatal.line}:${fatal.column}: ${fatal.message}` };
      return result.output;
    }
    case 'codemod':
      return runCodemod(options.codemod, file, text, options.codemodOptions ?? {});
    case 'replace':
      return text.replace(new RegExp(options.pattern, options.flags.includes('g') ? options.flags : `${options.flags}g`), options.replacement);
  }
}
