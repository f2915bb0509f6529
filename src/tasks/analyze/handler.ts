import * as path from 'node:path';
import { parse } from '@typescript-eslint/typescript-estree';
import type { FileOutcome } from '../../core/types';
import type { FileHandler } from '../../core/task-api';
import { isSourceText, readSource } from '../../core/source-file';
import { countLines, lineStarts } from './lines';
import { measureAst } from './metrics';
import type { FileAnalysis } from './types';

const TODO = /\b(?:TODO|FIXME)\b/g;
/** TypeScript files without an x cannot contain JSX (`<T>x` is a type assertion there). */
const NO_JSX = new Set(['.ts', '.mts', '.cts']);

export const analyzeFile: FileHandler<unknown, FileAnalysis> = async (file, request): Promise<FileOutcome<FileAnalysis>> => {
  const source = await readSource(file, request.sources?.[file]);
  if (!isSourceText(source)) return source;
  return analyzeText(file, source.text);
};

export function analyzeText(file: string, text: string): FileOutcome<FileAnalysis> {
  let ast: ReturnType<typeof parse<{ comment: true; tokens: false; loc: true; range: true; jsx: boolean }>>;
  try {
    ast = parse(text, {
      comment: true,
      // Tokens are most of the parser's time and memory here; lines and arrow positions come from text and comments.
      tokens: false,
      loc: true,
      range: true,
      jsx: !NO_JSX.has(path.extname(file).toLowerCase()),
    });
  } catch (error) {
    const where = error as { lineNumber?: number; column?: number; message?: string };
    const at = where.lineNumber ? ` at ${where.lineNumber}:${(where.column ?? 0) + 1}` : '';
    return { status: 'error', message: `Parse error${at}: ${where.message ?? String(error)}` };
  }
  const comments = ast.comments ?? [];
  const starts = lineStarts(text);
  const metrics = measureAst(ast, { text, comments, starts });
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
