import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { OffsetComment } from './parsers';
import type { LineCounts } from './types';

/**
 * Where lines start, as the parser numbers them (its `loc`): after \n, \r\n, \r, U+2028 and U+2029. Offsets of
 * line starts, line 1 first.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
  }
  return starts;
}

/** The parser's position (1-based line, 0-based column) of an offset. */
export function positionAt(starts: readonly number[], offset: number): TSESTree.Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] as number) };
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || (c > 0x7f && /\s/.test(String.fromCharCode(c)));

/**
 * Counts lines as cloc does: a line with any token is code, a line covered only by comments is a comment line,
 * and the rest are blank. A final newline does not start another line. Without the parser's tokens (making them
 * is most of its time): a token is any character outside comments that is not white space, and the tokens that
 * span lines — template chunks, strings continued with a backslash, JSX text — are the `multiline` nodes, whose
 * every line is code, blank or not.
 */
export function countLines(text: string, comments: readonly OffsetComment[], multiline: readonly { range: readonly [number, number] }[], starts = lineStarts(text)): LineCounts {
  if (text.length === 0) return { total: 0, code: 0, comment: 0, blank: 0 };
  const lineCount = text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0);
  const kind = new Uint8Array(starts.length + 1); // 0 blank, 1 comment, 2 code, by the parser's line numbers
  const mark = (start: number, end: number, value: number): void => {
    const last = positionAt(starts, end).line;
    for (let line = positionAt(starts, start).line; line <= last; line++) if ((kind[line] ?? 0) < value) kind[line] = value;
  };
  for (const comment of comments) mark(comment.start, comment.end, 1);
  for (const node of multiline) mark(node.range[0], node.range[1], 2);
  // A `#!` line is neither a token nor a comment to the parser.
  const from = text.startsWith('#!') ? text.search(/[\n\r\u2028\u2029]|$/) : 0;
  let line = positionAt(starts, from).line;
  let next = 0;
  while ((comments[next]?.start ?? Infinity) < from) next++;
  for (let i = from; i < text.length; i++) {
    const comment = comments[next];
    if (comment && i === comment.start) {
      i = comment.end - 1;
      line = positionAt(starts, comment.end).line;
      next++;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) line++;
    else if (!isBlank(c)) kind[line] = 2;
  }
  let code = 0;
  let comment = 0;
  for (let l = 1; l <= lineCount; l++) {
    if (kind[l] === 2) code++;
    else if (kind[l] === 1) comment++;
  }
  return { total: lineCount, code, comment, blank: lineCount - code - comment };
}
