// Lints this project's own sources. Test fixtures are data, not our code.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const vscodeImport = { name: 'vscode', message: 'The engine and worker never import vscode.' };
const workerImport = { group: ['**/worker/*'], message: 'Depend on core/task-api.ts (or core/) instead: worker/ is the worker thread\'s own code.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'test/fixtures/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs', 'test/host/runner-extension/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Small files and functions (ARCHITECTURE.md): a newcomer reads one thing at a time.
    files: ['src/**/*.ts', 'media/src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The engine and the worker must run outside VS Code (CLI, CI).
    files: ['src/worker/**', 'src/cli/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeImport] }] },
  },
  {
    // Kinds and the engine meet the worker only through core/task-api.ts.
    files: ['src/core/**', 'src/tasks/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeImport], patterns: [workerImport] }] },
  },
  {
    // The extension reaches the engine and the kinds, never the worker's own code.
    files: ['src/extension/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [workerImport] }] },
  },
);
