// A TypeScript project for the type-aware lint benchmark: this repository's
// own src/ (real TypeScript, ~130 files importing zod, eslint, workerpool…)
// copied `copies` times into .cache/type-aware/<copies>/copy-N/, with a
// tsconfig.json over all of it and an ESLint config with typescript-eslint's
// recommendedTypeChecked and `projectService`: every worker that lints a file
// builds the TypeScript program of the whole project. Nothing is committed.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'preserve',
    moduleResolution: 'bundler',
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    noEmit: true,
  },
  include: ['copy-*/**/*.ts'],
};

const CONFIG = `// Written by bench/type-aware-fixture.mjs: the same config for every contender.
import tseslint from 'typescript-eslint';

export default tseslint.config({ ignores: ['eslint.config.mjs'] }, ...tseslint.configs.recommendedTypeChecked, {
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
});
`;

/** The fixture folder with `copies` copies of src/ (built on first use); returns its path and file count. */
export function ensureTypeAwareFixture(copies) {
  const dir = path.join(root, '.cache', 'type-aware', String(copies));
  const done = path.join(dir, '.complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < copies; i++) cpSync(path.join(root, 'src'), path.join(dir, `copy-${i}`), { recursive: true });
    writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    writeFileSync(path.join(dir, 'eslint.config.mjs'), CONFIG);
    writeFileSync(done, '');
  }
  const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.ts')).length;
  return { dir, files };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureTypeAwareFixture(Number(process.argv[2] ?? 3)));
