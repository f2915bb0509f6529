import * as path from 'node:path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { requireBundledTool } from '../resolve-tool';

/** A comment by its offsets (UTF-16, end exclusive), whichever parser found it. */
export interface OffsetComment {
  readonly type: 'Line' | 'Block';
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** What analyze needs of a parse: the ESTree program (every node with `range`) and the comments. */
export type Parsed = { readonly program: TSESTree.Program; readonly comments: readonly OffsetComment[] } | { readonly error: string; readonly offset?: number };

export type ParserName = 'oxc' | 'typescript-estree';

/** TypeScript files without an x cannot contain JSX (`<T>x` is a type assertion there). */
const NO_JSX = new Set(['.ts', '.mts', '.cts']);

interface OxcResult {
  readonly program: TSESTree.Program;
  readonly comments: readonly OffsetComment[];
  readonly errors: readonly { readonly message: string; readonly labels: readonly { readonly start: number }[] }[];
}
type OxcParse = (filename: string, text: string, options: Record<string, unknown>) => OxcResult;

let oxc: OxcParse | null | undefined;

/**
 * oxc's parser (native, about 5× typescript-estree's speed on our corpus) where its binary for this platform
 * is installed, else typescript-estree: the same ESTree, and the same figures (test/unit/analyze-lines.test.ts
 * holds both to ESLint's rules).
 */
export function defaultParser(): ParserName {
  if (oxc === undefined) {
    try {
      // Loaded at run time: its native binary is one platform's (the one that built dist/tools, or the one
      // npm installed for the CLI), and a platform without it falls back.
      oxc = requireBundledTool<{ parseSync: OxcParse }>('oxc-parser').parseSync;
    } catch {
      oxc = null;
    }
  }
  return oxc ? 'oxc' : 'typescript-estree';
}

export function parseForAnalysis(file: string, text: string, parser: ParserName = defaultParser()): Parsed {
  const ext = path.extname(file).toLowerCase();
  const jsx = !NO_JSX.has(ext);
  if (parser === 'oxc' && oxc) {
    const ts = ext === '.ts' || ext === '.mts' || ext === '.cts' || ext === '.tsx';
    const result = oxc(file, text, { lang: ts ? (jsx ? 'tsx' : 'ts') : 'jsx', sourceType: 'unambiguous', range: true, preserveParens: false });
    const first = result.errors[0];
    if (first) return { error: first.message, ...(first.labels[0] ? { offset: first.labels[0].start } : {}) };
    // oxc lists a `#!` line as a comment; to typescript-estree (and so to our counts) it is neither code nor comment.
    const comments = text.startsWith('#!') ? result.comments.filter((c) => c.start !== 0) : result.comments;
    return { program: result.program, comments };
  }
  return parseWithTypescriptEstree(text, jsx);
}

function parseWithTypescriptEstree(text: string, jsx: boolean): Parsed {
  // Required here, not imported: with oxc in use it is never loaded.
  const { parse } = requireBundledTool<typeof import('@typescript-eslint/typescript-estree')>('@typescript-eslint/typescript-estree');
  try {
    // Tokens are most of this parser's time and memory; lines and arrow positions come from text and comments.
    const ast = parse(text, { comment: true, tokens: false, loc: false, range: true, jsx });
    return { program: ast, comments: (ast.comments ?? []).map((c) => ({ type: c.type, value: c.value, start: c.range[0], end: c.range[1] })) };
  } catch (error) {
    const where = error as { index?: number; message?: string };
    return { error: where.message ?? String(error), ...(where.index === undefined ? {} : { offset: where.index }) };
  }
}
