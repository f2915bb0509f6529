// Lints this project's own sources. Test fixtures are data, not our code.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const vscodeImport = { name: 'vscode', message: 'The engine and worker never import vscode.' };
const workerImport = { group: ['**/worker/*'], message: 'Depend on core/task-api.ts (or core/) instead: worker/ is the worker thread\'s own code.' };

/**
 * Words a user reads written where no translation can reach them (issue 15): a guard beside the pseudo-language
 * host test (test/e2e/pseudo-locale.test.ts), which sees only the screens it visits.
 */
const untranslated = 'Words a user reads go through vscode.l10n.t (the engine and the webview: @vscode/l10n\'s l10n.t), so that they can be translated.';
// Two letters that start a word, not a codicon's name (`$(symbol-color)`).
const words = '/(^|[^$(\\w-])[A-Za-z]{2}/';
const uiFields = '/^(label|description|detail|placeHolder|placeholder|prompt|title|tooltip)$/';
const untranslatedText = [
  `CallExpression[callee.property.name=/^show(Information|Warning|Error)Message$/] > Literal[value=${words}]`,
  `CallExpression[callee.property.name=/^show(Information|Warning|Error)Message$/] > TemplateLiteral:has(TemplateElement[value.raw=${words}])`,
  `Property[key.name=${uiFields}] > Literal.value[value=${words}]`,
  `Property[key.name=${uiFields}] > TemplateLiteral.value:has(TemplateElement[value.raw=${words}])`,
  `AssignmentExpression[left.property.name=/^(text|tooltip|title|description|placeholder|message)$/] > Literal.right[value=${words}]`,
  `AssignmentExpression[left.property.name=/^(text|tooltip|title|description|placeholder|message)$/] > TemplateLiteral.right:has(TemplateElement[value.raw=${words}])`,
  // The webview's Lit templates: text between tags, and the attributes that are read or spoken.
  `TaggedTemplateExpression[tag.name="html"] TemplateElement[value.raw=/>[^<>$]*[A-Za-z]{2}[^<>]*(<|$)/]`,
  `TaggedTemplateExpression[tag.name="html"] TemplateElement[value.raw=/(title|aria-label|placeholder)="[^"$]*[A-Za-z]{2}/]`,
].map((selector) => ({ selector, message: untranslated }));

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
    files: ['src/extension/**/*.ts', 'media/src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...untranslatedText] },
  },
  {
    // The extension reaches the engine and the kinds, never the worker's own code.
    files: ['src/extension/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [workerImport] }] },
  },
);
