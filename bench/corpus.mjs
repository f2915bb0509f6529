// Fetches the benchmark corpus: the lib/ folder of a pinned webpack release
// from the npm registry (~790 real JS files), into .cache/corpus. Nothing of
// it is committed. An ESLint flat config is written beside it so that the
// eslint CLI and parallel-tasks lint the same files with the same config.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CORPUS_PACKAGE = 'webpack';
export const CORPUS_VERSION = '5.112.2';

const root = path.resolve(import.meta.dirname, '..');

export function corpusDir() {
  return path.join(root, '.cache', 'corpus', `${CORPUS_PACKAGE}-${CORPUS_VERSION}`);
}

const CONFIG = `// Written by bench/corpus.mjs: the same config for every contender.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { eqeqeq: 'error', 'prefer-const': 'error', complexity: ['warn', 10], 'no-unused-vars': 'warn' },
  },
];
`;

export function ensureCorpus() {
  const dir = corpusDir();
  if (existsSync(path.join(dir, 'lib'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', `${CORPUS_PACKAGE}@${CORPUS_VERSION}`, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', tarball, '--strip-components=1', 'package/lib'], { cwd: dir });
  rmSync(path.join(dir, tarball));
  writeFileSync(path.join(dir, 'eslint.config.mjs'), CONFIG);
  return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureCorpus());
