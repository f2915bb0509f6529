import * as l10n from '@vscode/l10n';
import type { FileOutcome } from '../../core/types';
import type { FileHandler } from '../../core/task-api';
import { isSourceText, readSource } from '../../core/source-file';
import { countLines, lineStarts, positionAt } from './lines';
import { measureAst } from './metrics';
import { parseForAnalysis, type ParserName } from './parsers';
import type { FileAnalysis } from './types';

const TODO = /\b(?:TODO|FIXME)\b/g;

export const analyzeFile: FileHandler<unknown, FileAnalysis> = async (file, request): Promise<FileOutcome<FileAnalysis>> => {
  const source = await readSource(file, request.sources?.[file]);
  if (!isSourceText(source)) return source;
  return analyzeText(file, source.text);
};

/** The figures of one file; `parser` only for tests, which hold both parsers to the same answers. */
export function analyzeText(file: string, text: string, parser?: ParserName): FileOutcome<FileAnalysis> {
  const parsed = parseForAnalysis(file, text, parser);
  const starts = lineStarts(text);
  if ('error' in parsed) {
    const where = parsed.offset === undefined ? undefined : positionAt(starts, parsed.offset);
    return { status: 'error', message: where ? l10n.t('Parse error at {0}:{1}: {2}', where.line, where.column + 1, parsed.error) : l10n.t('Parse error: {0}', parsed.error) };
  }
  const { program, comments } = parsed;
  const metrics = measureAst(program, { text, comments, starts });
  let todos = 0;
  for (const comment of comments) todos += comment.value.match(TODO)?.length ?? 0;
  return {
    status: 'ok',
    value: {
      lines: countLines(text, comments, metrics.multiline, starts),
      functions: metrics.functions,
      maxNesting: metrics.maxNesting,
      imports: metrics.imports,
      todos,
    },
  };
}
