import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { LineCounts } from './types';

/**
 * Counts lines as cloc does: a line with any token is code, a line covered only
 * by comments is a comment line, and the rest are blank. A final newline does
 * not start another line.
 */
export function countLines(text: string, tokens: readonly TSESTree.Token[], comments: readonly TSESTree.Comment[]): LineCounts {
  if (text.length === 0) return { total: 0, code: 0, comment: 0, blank: 0 };
  const lineCount = text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0);
  const kind = new Uint8Array(lineCount + 1); // 0 blank, 1 comment, 2 code
  const mark = (node: { loc: TSESTree.SourceLocation }, value: number): void => {
    for (let line = node.loc.start.line; line <= Math.min(node.loc.end.line, lineCount); line++) {
      if ((kind[line] ?? 0) < value) kind[line] = value;
    }
  };
  for (const comment of comments) mark(comment, 1);
  for (const token of tokens) mark(token, 2);
  let code = 0;
  let comment = 0;
  for (let line = 1; line <= lineCount; line++) {
    if (kind[line] === 2) code++;
    else if (kind[line] === 1) comment++;
  }
  return { total: lineCount, code, comment, blank: lineCount - code - comment };
}
