import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { globbySync } from 'globby';
import { getL10nJson, getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { PoolExecutor } from '../../src/core/pool-executor';
import { repoRoot, tempDir, workerScript, writeFiles } from '../helpers/files';
import { runKind } from '../helpers/pool';

/**
 * Localisation's bookkeeping: the messages translators get (l10n/bundle.l10n.json) are exactly the ones the code
 * asks for, the manifest's words all come from package.nls.json, and the pseudo language keeps every
 * placeholder. What users see in the pseudo language is checked in the real host (test/e2e/pseudo-locale.test.ts).
 */
const SOURCES = ['src/**/*.ts', 'media/src/**/*.ts'];

type Messages = Record<string, string | { message: string; comment?: string[] }>;

const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as T;
const sourceFiles = (): string[] => globbySync(SOURCES, { cwd: repoRoot });

/** Manifest fields a user reads (VS Code's own list of localisable contribution strings, for what we contribute). */
function manifestTexts(manifest: Record<string, unknown>): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  const wanted = /^(displayName|description|markdownDescription|enumDescriptions|markdownEnumDescriptions|deprecationMessage|markdownDeprecationMessage|title|name|category|shortTitle|label|altText|contents)$/;
  const visit = (value: unknown, where: string, field: string): void => {
    if (typeof value === 'string') {
      if (wanted.test(field)) found.push({ where, text: value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${where}[${i}]`, field));
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) visit(child, `${where}.${key}`, key);
    }
  };
  visit(manifest.displayName, 'displayName', 'displayName');
  visit(manifest.description, 'description', 'description');
  visit(manifest.capabilities, 'capabilities', 'capabilities');
  visit(manifest.contributes, 'contributes', 'contributes');
  return found;
}

describe('localisation', function () {
  this.timeout(120_000);

  it('l10n/bundle.l10n.json holds exactly the messages the code asks for (npm run l10n writes it)', async () => {
    const files = sourceFiles().map((file) => ({ extension: path.extname(file), contents: readFileSync(path.join(repoRoot, file), 'utf8') }));
    const exported = await getL10nJson(files);
    assert.ok(Object.keys(exported).length > 100, `only ${Object.keys(exported).length} messages found`);
    assert.deepEqual(readJson<Messages>('l10n/bundle.l10n.json'), exported, 'l10n/bundle.l10n.json is out of date: run npm run l10n');
  });

  it('every message is a literal the exporter can see (a variable or template would ship untranslated)', () => {
    const hidden: string[] = [];
    for (const file of sourceFiles()) {
      const lines = readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        // The first argument of l10n.t / vscode.l10n.t: a quoted string, or an object with a message.
        for (const call of line.matchAll(/\bl10n\.t\(\s*(.?)/g)) if (call[1] !== "'" && call[1] !== '"' && call[1] !== '{' && call[1] !== '') hidden.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(hidden, []);
  });

  it("the manifest's words all come from package.nls.json, and every entry there is used", () => {
    const manifest = readJson<Record<string, unknown>>('package.json');
    const nls = readJson<Record<string, string>>('package.nls.json');
    const texts = manifestTexts(manifest);
    const literal = texts.filter(({ text }) => !/^%[\w.-]+%$/.test(text));
    assert.deepEqual(literal, [], 'words in package.json itself, which no translation can reach');
    const used = new Set(texts.map(({ text }) => text.slice(1, -1)));
    assert.deepEqual([...used].filter((key) => !(key in nls)), [], 'keys missing from package.nls.json');
    assert.deepEqual(Object.keys(nls).filter((key) => !used.has(key)), [], 'entries of package.nls.json no field uses');
  });

  it('the pseudo language rewrites every message and keeps its placeholders', () => {
    const bundle = readJson<Messages>('l10n/bundle.l10n.json');
    const english = Object.fromEntries(Object.entries(bundle).map(([key, value]) => [key, typeof value === 'string' ? value : value.message]));
    const pseudo = getL10nPseudoLocalized(english) as Record<string, string>;
    const placeholders = (text: string): string[] => (text.match(/\{\d+\}/g) ?? []).sort();
    for (const [key, text] of Object.entries(english)) {
      assert.deepEqual(placeholders(pseudo[key] ?? ''), placeholders(text), key);
      if (/[A-Za-z]{2,}/.test(text.replace(/\{\d+\}/g, ''))) assert.notEqual(pseudo[key], text, key);
    }
  });

  for (const isolation of ['thread', 'process'] as const) {
    it(`a worker ${isolation} speaks the language of the bundle the editor gives its pool; without one, English`, async () => {
      const scratch = tempDir('pt-l10n-');
      const english = readJson<Messages>('l10n/bundle.l10n.json');
      const bundle = path.join(scratch.dir, 'bundle.l10n.qps-ploc.json');
      writeFileSync(bundle, JSON.stringify(getL10nPseudoLocalized(Object.fromEntries(Object.entries(english).map(([key, value]) => [key, typeof value === 'string' ? value : value.message])))));
      writeFiles(scratch.dir, { 'broken.js': 'export function (\n' });
      const run = async (messagesFile?: string): Promise<string> => {
        const executor = new PoolExecutor({ script: workerScript, workers: 1, isolation, ...(messagesFile ? { messagesFile } : {}) });
        try {
          const result = await runKind(executor, 'analyze', scratch.dir, {}, ['**/*.js']);
          const outcome = result.state.results()[0]?.outcome;
          assert.equal(outcome?.status, 'error');
          return outcome.status === 'error' ? outcome.message : '';
        } finally {
          await executor.terminate();
        }
      };
      try {
        // The analyze worker's own words for a file it cannot parse, before the parser's.
        assert.match(await run(bundle), /^Ƥȧȧřşḗḗ ḗḗřřǿǿř ȧȧŧ 1:\d+: /);
        assert.match(await run(), /^Parse error at 1:\d+: /);
      } finally {
        scratch.cleanup();
      }
    });
  }
});
