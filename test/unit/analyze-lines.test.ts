import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { analyzeText } from '../../src/tasks/analyze/handler';
import { defaultParser, type ParserName } from '../../src/tasks/analyze/parsers';
import type { FileAnalysis, LineCounts } from '../../src/tasks/analyze/types';
import { repoRoot } from '../helpers/files';

/**
 * Analyze parses without tokens (they are most of the parser's time). These tests hold it to what the tokens
 * gave: line counts equal to counting the lines each token and comment covers, and functions at the positions
 * ESLint's own complexity rule reports them (an arrow at its `=>`), on files made to be awkward and on real ones.
 */
const awkward: Record<string, string> = {
  'shebang.js': '#!/usr/bin/env node\n// a comment\n\nconst a = 1;\n',
  'templates.js': 'const t = `first\n\n   \nlast ${1 +\n\n 2} tail\n\n`;\nconst s = "one \\\n\\\n two";\n',
  'crlf.js': 'const a = 1;\r\n\r\n/* c\r\n\r\n */\r\nconst b = () =>\r\n  /* => not this */ (\r\n    b);\r\n',
  'separators.js': 'const u = "\u2028";\nconst v = 1;\u2028const w = 2;\n/* \u2029 */ x();\n',
  'arrows.js': 'const f = (a) /* => */ => // => here\n  a;\nconst g = async x => { return x; };\nconst h = (y = () => 1) => /* a */ (/* b */ y);\n',
  'view.jsx': 'export const V = () => (\n  <div title="one\n\ntwo">\n\n    text\n\n    {/* c */}\n    <span>{`a\n\n`}</span>\n  </div>\n);\n',
  'typed.tsx': 'type T = {\n  a: string;\n\n};\nexport const C = <P,>(p: P): JSX.Element => <p>\n  {String(p)}\n</p>;\n',
  'bom.ts': '\ufeff\n\nexport function f(): void {}\n\u00a0\n',
  'empty-lines-only.js': '\n\n\n',
};

/** What the tokens said: a line with a token is code, one with only comment is a comment line. */
function linesFromTokens(file: string, text: string): LineCounts {
  const ast = parse(text, { comment: true, tokens: true, loc: true, range: true, jsx: !/\.(m|c)?ts$/.test(file) });
  if (text.length === 0) return { total: 0, code: 0, comment: 0, blank: 0 };
  const lineCount = text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0);
  const kind = new Uint8Array(lineCount + 1);
  const mark = (node: { loc: TSESTree.SourceLocation }, value: number): void => {
    for (let line = node.loc.start.line; line <= Math.min(node.loc.end.line, lineCount); line++) if ((kind[line] ?? 0) < value) kind[line] = value;
  };
  for (const comment of ast.comments ?? []) mark(comment, 1);
  for (const token of ast.tokens ?? []) mark(token, 2);
  const code = kind.filter((k) => k === 2).length;
  const comment = kind.filter((k) => k === 1).length;
  return { total: lineCount, code, comment, blank: lineCount - code - comment };
}

function eslintFunctionHeads(file: string, text: string): string[] {
  const ts = /\.tsx?$/.test(file);
  const config: Linter.Config = {
    files: ['**/*.js', '**/*.jsx', '**/*.ts', '**/*.tsx'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', ...(ts ? { parser: tseslint.parser as Linter.Parser } : {}), parserOptions: { ecmaFeatures: { jsx: /x$/.test(file) } } },
    rules: { complexity: ['error', { max: 0, variant: 'classic' }] },
    // Real files carry their own eslint-disable comments, for rules and plugins not here: ESLint's notes on them are left out below.
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
  };
  return new Linter()
    // Under the working folder and outside node_modules, where a flat config applies to it.
    .verify(text, [config], { filename: path.join(process.cwd(), 'probe', path.basename(file)) })
    .filter((m) => m.ruleId === 'complexity' || !/has no effect because you have 'noInlineConfig'/.test(m.message))
    .map((m) => `${m.line}:${m.column} ${m.ruleId === 'complexity' ? /complexity of (\d+)/.exec(m.message)?.[1] : m.message}`)
    .sort();
}

function analysis(file: string, text: string, parser: ParserName): FileAnalysis {
  const outcome = analyzeText(file, text, parser);
  assert.equal(outcome.status, 'ok', `${file}: ${outcome.status === 'error' ? outcome.message : ''}`);
  return (outcome as { value: FileAnalysis }).value;
}

/** Real sources: ESLint's own lib/ and typescript-estree's dist/ (every JS construct in use), jscodeshift's TSX fixtures. */
function realFiles(): { file: string; text: string }[] {
  const from = (dir: string, pattern: RegExp, limit: number): string[] =>
    (readdirSync(path.join(repoRoot, dir), { recursive: true }) as string[]).filter((f) => pattern.test(f)).sort().slice(0, limit).map((f) => path.join(repoRoot, dir, f));
  return [...from('node_modules/eslint/lib', /\.js$/, 250), ...from('node_modules/@typescript-eslint/typescript-estree/dist', /\.js$/, 60), ...from('node_modules/jscodeshift/src/__testfixtures__', /\.tsx$/, 10)].map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

describe('analyze without the parser\'s tokens, with either parser', () => {
  it('uses oxc\'s parser where its binary is installed (Linux x64 here), typescript-estree elsewhere', () => {
    assert.equal(defaultParser(), 'oxc');
  });

  for (const parser of ['oxc', 'typescript-estree'] as const) {
    for (const [file, text] of Object.entries(awkward)) {
      it(`${parser}: counts the lines the tokens covered, and finds functions where ESLint does (${file})`, () => {
        const ours = analysis(file, text, parser);
        assert.deepEqual(ours.lines, linesFromTokens(file, text));
        assert.deepEqual(ours.functions.map((f) => `${f.line}:${f.column} ${f.complexity}`).sort(), eslintFunctionHeads(file, text));
      });
    }

    it(`${parser}: counts the same lines as the tokens did, and the same figures as the other parser, on 320 real files`, () => {
      const files = realFiles();
      assert.ok(files.length > 300, `${files.length} files`);
      const differ = files.filter(({ file, text }) => JSON.stringify(analysis(file, text, parser).lines) !== JSON.stringify(linesFromTokens(file, text)));
      assert.deepEqual(differ.map((f) => path.relative(repoRoot, f.file)), []);
      const other = parser === 'oxc' ? 'typescript-estree' : 'oxc';
      const unlike = files.filter(({ file, text }) => JSON.stringify(analysis(file, text, parser)) !== JSON.stringify(analysis(file, text, other)));
      assert.deepEqual(unlike.map((f) => path.relative(repoRoot, f.file)), [], 'functions, nesting, imports and TODOs too');
    });

    it(`${parser}: finds every function where ESLint's complexity rule reports it, on 40 real files`, () => {
      const files = realFiles().filter((_, i) => i % 8 === 0).slice(0, 40);
      let functions = 0;
      for (const { file, text } of files) {
        const heads = eslintFunctionHeads(file, text);
        functions += heads.length;
        assert.deepEqual(analysis(file, text, parser).functions.map((f) => `${f.line}:${f.column} ${f.complexity}`).sort(), heads, file);
      }
      assert.ok(functions > 300, `${functions} functions compared`);
    });
  }
});
