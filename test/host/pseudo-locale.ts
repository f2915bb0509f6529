import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { repoRoot } from './code-server';

/**
 * The pseudo language (qps-ploc) for the host tests: every message of the
 * extension rewritten by @vscode/l10n-dev's pseudo-localiser ("Lint" →
 * "Ŀīƞŧ"), so that any English word left on screen is a string that did not
 * go through the translation machinery.
 */
export const PSEUDO_LOCALE = 'qps-ploc';

type Messages = Record<string, string | { message: string; comment?: string[] }>;

function readMessages(file: string): Messages {
  return JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as Messages;
}

function flatten(messages: Messages): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).map(([key, value]) => [key, typeof value === 'string' ? value : value.message]));
}

/**
 * Writes the pseudo-localised bundles into an installed copy of the extension, where VS Code looks for a
 * language's files: `l10n/bundle.l10n.qps-ploc.json` (the code's messages) and `package.nls.qps-ploc.json`
 * (the manifest's).
 */
export function writePseudoBundles(extensionDir: string): void {
  mkdirSync(path.join(extensionDir, 'l10n'), { recursive: true });
  const bundle = getL10nPseudoLocalized(flatten(readMessages('l10n/bundle.l10n.json')));
  writeFileSync(path.join(extensionDir, 'l10n', `bundle.l10n.${PSEUDO_LOCALE}.json`), JSON.stringify(bundle));
  const manifest = getL10nPseudoLocalized(flatten(readMessages('package.nls.json')));
  writeFileSync(path.join(extensionDir, `package.nls.${PSEUDO_LOCALE}.json`), JSON.stringify(manifest));
}

/**
 * Makes VS Code's server run in the pseudo language: what installing the "Pseudo Language" language pack leaves
 * in the user data folder (languagepacks.json, naming the pack's translation of VS Code itself). The server
 * reads it at start to pick the language it gives the extension host (`vscode.env.language`), and falls back to
 * English for a locale with no pack. The pack's own translation of the workbench is left empty: VS Code's own
 * words stay English, so only ours are checked.
 */
export function installPseudoLanguage(userDataDir: string): void {
  mkdirSync(userDataDir, { recursive: true });
  const coreTranslations = path.join(userDataDir, 'pseudo-core.i18n.json');
  writeFileSync(coreTranslations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const pack = {
    hash: 'pseudo-test-pack',
    label: 'Pseudo Language',
    extensions: [{ extensionIdentifier: { id: 'parallel-tasks.pseudo-language' }, version: '1.0.0' }],
    translations: { vscode: coreTranslations },
  };
  writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [PSEUDO_LOCALE]: pack }));
}

/** An English message as the pseudo language shows it (placeholders kept). */
export function pseudo(message: string): string {
  return getL10nPseudoLocalized({ message }).message as string;
}

/**
 * The English words in `text`: runs of two or more plain ASCII letters, which the pseudo language never
 * produces, once the `allowed` values (file names, numbers a message quotes) are taken out.
 */
export function englishWords(text: string, allowed: readonly (string | RegExp)[] = []): string[] {
  let rest = text;
  for (const value of allowed) rest = typeof value === 'string' ? rest.split(value).join(' ') : rest.replace(value, ' ');
  return [...new Set(rest.match(/[A-Za-z]{2,}/g) ?? [])];
}
