import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cacheProject, type CacheProject } from './cache-project';

/**
 * A cached run must answer exactly what a run without the cache answers, after
 * any change to the configuration. Each case is a folder of one project with
 * a config of its own (tools look configs up from the file's folder), so that
 * one cached run, one change to every case and one more cached run test them
 * all: the cached run must agree with an uncached run for every case's files,
 * and the change must matter for each, or that case proves nothing.
 */
interface ConfigCase {
  readonly name: string;
  /** Files of the case, relative to its folder (`../` reaches the project root). */
  readonly files: Record<string, string>;
  /** Files rewritten by the change, likewise. */
  readonly change: Record<string, string>;
}

const folderOf = (name: string): string => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

function inCaseFolders(cases: readonly ConfigCase[], pick: (c: ConfigCase) => Record<string, string>): Record<string, string> {
  return Object.fromEntries(cases.flatMap((c) => Object.entries(pick(c)).map(([file, content]) => [path.join(folderOf(c.name), file), content])));
}

function checkCases<T>(kind: string, args: readonly string[], cases: readonly ConfigCase[], rows: (stdout: string) => { path: string; row: T }[]): void {
  describe(`the result cache after a change to ${kind}`, () => {
    let project: CacheProject | undefined;
    afterEach(() => project?.cleanup());

    it(`answers as a run without the cache for each of: ${cases.map((c) => c.name).join('; ')}`, () => {
      project = cacheProject(inCaseFolders(cases, (c) => c.files));
      const before = project.cached(args);
      assert.ok(before.status === 0 || before.status === 1, before.stderr);
      for (const [file, content] of Object.entries(inCaseFolders(cases, (c) => c.change))) writeFileSync(path.join(project.dir, file), content);
      const cached = project.cached(args);
      const expected = project.uncached(args);
      const dir = project.dir;
      const of = (stdout: string, c: ConfigCase): T[] => rows(stdout).filter((r) => r.path.startsWith(path.join(dir, folderOf(c.name)) + path.sep)).map((r) => r.row);
      for (const c of cases) {
        assert.notDeepEqual(of(before.stdout, c), of(expected.stdout, c), `${c.name}: the change matters`);
        assert.deepEqual(of(cached.stdout, c), of(expected.stdout, c), `${c.name}: the cached run answers as a run without the cache`);
      }
      assert.deepEqual([cached.status, cached.stdout], [expected.status, expected.stdout], cached.stderr);
    });
  });
}

/** Formatted for `semi: true`; `semi: false` would change it. */
const source = { 'src/a.js': 'const a = 1;\nexport { a };\n' };

const prettierCheck = ['transform', '--prettier', '--check', '--format', 'json'];
const prettierRows = (stdout: string): { path: string; row: unknown }[] => (JSON.parse(stdout) as { files: { path: string; changed: boolean }[] }).files.map((row) => ({ path: row.path, row }));

checkCases(
  'Prettier configs',
  prettierCheck,
  [
    { name: '.prettierrc in JSON', files: { ...source, '.prettierrc': '{ "semi": true }\n' }, change: { '.prettierrc': '{ "semi": false }\n' } },
    { name: '.prettierrc in YAML', files: { ...source, '.prettierrc': 'semi: true\n' }, change: { '.prettierrc': 'semi: false\n' } },
    { name: '.prettierrc.yaml', files: { ...source, '.prettierrc.yaml': 'semi: true\n' }, change: { '.prettierrc.yaml': 'semi: false\n' } },
    { name: '.prettierrc.toml', files: { ...source, '.prettierrc.toml': 'semi = true\n' }, change: { '.prettierrc.toml': 'semi = false\n' } },
    { name: '.prettierrc.json5', files: { ...source, '.prettierrc.json5': '{ semi: true }\n' }, change: { '.prettierrc.json5': '{ semi: false }\n' } },
    { name: '.prettierrc.js', files: { ...source, '.prettierrc.js': 'module.exports = { semi: true };\n' }, change: { '.prettierrc.js': 'module.exports = { semi: false };\n' } },
    { name: 'prettier.config.js', files: { ...source, 'prettier.config.js': 'module.exports = { semi: true };\n' }, change: { 'prettier.config.js': 'module.exports = { semi: false };\n' } },
    { name: 'prettier.config.mjs', files: { ...source, 'prettier.config.mjs': 'export default { semi: true };\n' }, change: { 'prettier.config.mjs': 'export default { semi: false };\n' } },
    { name: 'prettier.config.cjs', files: { ...source, 'prettier.config.cjs': 'module.exports = { semi: true };\n' }, change: { 'prettier.config.cjs': 'module.exports = { semi: false };\n' } },
    {
      name: 'a JS config whose options live in a file it imports',
      files: { ...source, 'prettier.config.mjs': 'import options from "./config/options.mjs";\nexport default options;\n', 'config/options.mjs': 'export default { semi: true };\n' },
      change: { 'config/options.mjs': 'export default { semi: false };\n' },
    },
    {
      name: 'package.json "prettier" key',
      files: { ...source, 'package.json': '{ "name": "p", "prettier": { "semi": true } }\n' },
      change: { 'package.json': '{ "name": "p", "prettier": { "semi": false } }\n' },
    },
    { name: 'package.yaml', files: { ...source, 'package.yaml': 'name: p\nprettier:\n  semi: true\n' }, change: { 'package.yaml': 'name: p\nprettier:\n  semi: false\n' } },
    {
      name: 'an overrides entry',
      files: { ...source, '.prettierrc': '{ "semi": true, "overrides": [{ "files": "src/**", "options": { "semi": true } }] }\n' },
      change: { '.prettierrc': '{ "semi": true, "overrides": [{ "files": "src/**", "options": { "semi": false } }] }\n' },
    },
    {
      name: '.editorconfig',
      files: { 'src/a.js': 'export function a() {\n  return 1;\n}\n', '.editorconfig': 'root = true\n\n[*]\nindent_style = space\nindent_size = 2\n' },
      change: { '.editorconfig': 'root = true\n\n[*]\nindent_style = space\nindent_size = 4\n' },
    },
  ],
  prettierRows,
);

// In a project of its own: a change at the root reaches every file, and would hide a case above that a key misses.
checkCases(
  "Prettier's ignore file",
  prettierCheck,
  [
    {
      name: '.prettierignore',
      files: { 'src/a.js': 'const a=1\nexport {a}\n', '../.prettierignore': 'build/\n' },
      // Prettier reads the ignore file of the folder it runs in: the project's.
      change: { '../.prettierignore': 'build/\nprettierignore/src/a.js\n' },
    },
  ],
  prettierRows,
);

const lintSource = { 'src/a.js': 'export const a = 1 == 2;\n' };

checkCases(
  'ESLint configs',
  ['lint', '--format', 'json'],
  [
    {
      name: 'eslint.config.js',
      files: { ...lintSource, 'eslint.config.js': 'module.exports = [{ rules: { eqeqeq: "warn" } }];\n' },
      change: { 'eslint.config.js': 'module.exports = [{ rules: { eqeqeq: "error" } }];\n' },
    },
    {
      name: 'eslint.config.mjs',
      files: { ...lintSource, 'eslint.config.mjs': 'export default [{ rules: { eqeqeq: "warn" } }];\n' },
      change: { 'eslint.config.mjs': 'export default [{ rules: { eqeqeq: "error" } }];\n' },
    },
    {
      name: 'eslint.config.cjs',
      files: { ...lintSource, 'eslint.config.cjs': 'module.exports = [{ rules: { eqeqeq: "warn" } }];\n' },
      change: { 'eslint.config.cjs': 'module.exports = [{ rules: { eqeqeq: "error" } }];\n' },
    },
    {
      name: 'a rule severity kept in a module the config imports',
      files: { ...lintSource, 'eslint.config.mjs': 'import rules from "./lint/rules.mjs";\nexport default [{ rules }];\n', 'lint/rules.mjs': 'export default { eqeqeq: "warn" };\n' },
      change: { 'lint/rules.mjs': 'export default { eqeqeq: "error" };\n' },
    },
    {
      name: 'a local plugin whose rule changes (the same config, other code)',
      files: {
        'src/a.js': 'export const foo = 1;\n',
        'eslint.config.mjs': 'import local from "./lint/plugin.mjs";\nexport default [{ plugins: { local }, rules: { "local/no-foo": "error" } }];\n',
        'lint/plugin.mjs': 'import rule from "./no-foo.mjs";\nexport default { rules: { "no-foo": rule } };\n',
        'lint/no-foo.mjs': 'export default { create: (context) => ({ Identifier(node) { if (node.name === "foo") context.report({ node, message: "no foo" }); } }) };\n',
      },
      change: { 'lint/no-foo.mjs': 'export default { create: (context) => ({ Identifier(node) { if (node.name === "foo") context.report({ node, message: "foo is not allowed" }); } }) };\n' },
    },
    {
      name: 'an ignore pattern added',
      files: { ...lintSource, 'eslint.config.mjs': 'export default [{ rules: { eqeqeq: "error" } }];\n' },
      change: { 'eslint.config.mjs': 'export default [{ ignores: ["src/a.js"] }, { rules: { eqeqeq: "error" } }];\n' },
    },
  ],
  (stdout) => (JSON.parse(stdout) as { filePath: string }[]).map((row) => ({ path: row.filePath, row })),
);

describe('the result cache with a config ESLint cannot print', () => {
  let project: CacheProject | undefined;
  afterEach(() => project?.cleanup());

  it('still answers unchanged files from the cache when a parser has no meta object', () => {
    // ESLint refuses to serialise such a parser (`--print-config` fails); the key must still be computed.
    const parser = 'const parser = { parse: (text) => ({ type: "Program", body: [], sourceType: "module", range: [0, text.length], loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } }, tokens: [], comments: [] }) };\n';
    project = cacheProject({ 'src/a.js': 'export const a = 1;\n', 'eslint.config.mjs': `${parser}export default [{ files: ["src/**"], languageOptions: { parser }, rules: { eqeqeq: "error" } }];\n` });
    const first = project.cached(['lint', '--format', 'json']);
    assert.equal(first.status, 0, first.stderr);
    const second = project.cached(['lint']);
    assert.match(second.stderr, /Linted 2 files .*; 2 from cache/);
  });
});

