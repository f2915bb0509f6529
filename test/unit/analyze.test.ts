import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { analyzeText } from '../../src/tasks/analyze/handler';
import type { FileAnalysis } from '../../src/tasks/analyze/types';
import { fixturesDir } from '../helpers/files';

const analyzeDir = path.join(fixturesDir, 'analyze');

function analysisOf(file: string, text = readFileSync(file, 'utf8')): FileAnalysis {
  const outcome = analyzeText(file, text);
  assert.equal(outcome.status, 'ok', outcome.status === 'error' ? outcome.message : '');
  return (outcome as { value: FileAnalysis }).value;
}

/** Runs one of ESLint's own rules on a fixture, with the limit at 0 so that everything is reported. */
function eslintReports(file: string, rules: Linter.RulesRecord): Linter.LintMessage[] {
  const ts = /\.tsx?$/.test(file);
  const config: Linter.Config = {
    files: ['**/*.js', '**/*.ts', '**/*.tsx'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      ...(ts ? { parser: tseslint.parser as Linter.Parser } : {}),
      parserOptions: { ecmaFeatures: { jsx: file.endsWith('x') } },
    },
    rules,
  };
  const messages = new Linter().verify(readFileSync(file, 'utf8'), [config], { filename: file });
  assert.ok(messages.every((m) => m.ruleId !== null), JSON.stringify(messages.filter((m) => m.ruleId === null)));
  return messages;
}

function eslintComplexities(file: string): string[] {
  return eslintReports(file, { complexity: ['error', { max: 0, variant: 'classic' }] })
    .map((m) => `${m.line}:${m.column} ${/complexity of (\d+)/.exec(m.message)?.[1]}`)
    .sort();
}

function eslintMaxDepth(file: string): number {
  const depths = eslintReports(file, { 'max-depth': ['error', 0] }).map((m) => Number(/\((\d+)\)/.exec(m.message)?.[1]));
  return Math.max(0, ...depths);
}

describe('analyze', () => {
  // How many functions each fixture holds: ESLint must report every one, or the comparison below proves little.
  const functionsIn = { 'complexity.js': 14, 'typed.ts': 4, 'view.tsx': 3 } as const;
  for (const name of ['complexity.js', 'typed.ts', 'view.tsx'] as const) {
    it(`computes the same per-function complexity as ESLint's complexity rule (${name})`, () => {
      const file = path.join(analyzeDir, name);
      const ours = analysisOf(file).functions.map((f) => `${f.line}:${f.column} ${f.complexity}`).sort();
      const theirs = eslintComplexities(file);
      assert.equal(theirs.length, functionsIn[name]);
      assert.deepEqual(ours, theirs);
    });

    it(`computes the same maximum nesting as ESLint's max-depth rule (${name})`, () => {
      const file = path.join(analyzeDir, name);
      assert.equal(analysisOf(file).maxNesting, eslintMaxDepth(file));
    });
  }

  it('names functions the way a reader would look for them', () => {
    const names = analysisOf(path.join(analyzeDir, 'complexity.js')).functions.map((f) => f.name);
    for (const expected of ['handle', 'arrow', 'handler', 'value', 'stream', 'method', 'inner', 'quoted key', '<static block>', '<class field initializer>']) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    }
  });

  it('counts lines, imports, TODOs and nesting', () => {
    const file = path.join(analyzeDir, 'complexity.js');
    const text = readFileSync(file, 'utf8');
    const analysis = analysisOf(file, text);
    const lines = text.split('\n');
    assert.equal(analysis.lines.total, lines.length - 1);
    assert.equal(analysis.lines.blank, lines.filter((l) => l.trim() === '').length - 1);
    assert.equal(analysis.lines.comment, 3, 'one line comment and a two-line block comment');
    assert.equal(analysis.lines.code, analysis.lines.total - analysis.lines.blank - 3);
    assert.deepEqual(analysis.imports, ['node:fs', './paths.js', './reexport.js', './lazy.js', 'legacy']);
    assert.equal(analysis.todos, 3);
    assert.equal(analysis.maxNesting, 4, 'if, for-of, while, if: the else-if does not nest deeper');
  });

  it('handles TypeScript-only syntax (import =, overloads, generics in .ts)', () => {
    const analysis = analysisOf(path.join(analyzeDir, 'typed.ts'));
    assert.deepEqual(analysis.imports, ['./options', 'fs']);
  });

  it('reports a file that cannot be parsed with its position, and an empty file as empty', () => {
    const outcome = analyzeText('/x/bad.js', 'const a = (;\n');
    assert.equal(outcome.status, 'error');
    assert.match(outcome.status === 'error' ? outcome.message : '', /^Parse error at 1:\d+: /);
    assert.deepEqual(analysisOf('/x/empty.js', '').lines, { total: 0, code: 0, comment: 0, blank: 0 });
  });
});
