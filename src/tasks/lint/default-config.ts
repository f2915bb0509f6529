import type { Linter } from 'eslint';
import { requireBundledTool } from '../resolve-tool';

/**
 * The config used when a project has no ESLint config of its own: ESLint's and
 * typescript-eslint's recommended rules, with browser and Node globals so that
 * `console` or `window` are not reported as undefined.
 */
export function defaultLintConfig(): Linter.Config[] {
  // Loaded lazily: typescript-eslint pulls in TypeScript, which only this path needs.
  const js = requireBundledTool<typeof import('@eslint/js')>('@eslint/js');
  const tseslint = requireBundledTool<typeof import('typescript-eslint')>('typescript-eslint');
  const globals = requireBundledTool<typeof import('globals')>('globals');
  const languageOptions: Linter.LanguageOptions = {
    ecmaVersion: 'latest',
    sourceType: 'module',
    globals: { ...globals.browser, ...globals.node },
    parserOptions: { ecmaFeatures: { jsx: true } },
  };
  return [
    { files: ['**/*.{js,mjs,cjs,jsx}'], ...js.configs.recommended, languageOptions },
    ...tseslint.configs.recommended.map((config) => ({
      ...config,
      files: ['**/*.{ts,tsx,mts,cts}'],
    })) as Linter.Config[],
    { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { globals: languageOptions.globals } },
  ];
}
