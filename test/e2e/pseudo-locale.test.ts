import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../host/browser';
import { ensureCodeServer } from '../host/code-server';
import { englishWords, pseudo } from '../host/pseudo-locale';
import { artifacts, closeSessions, openSession, panelFrame, runFromPalette, type Session } from '../host/session';

/**
 * The extension in VS Code's pseudo language, where every message that went through vscode.l10n.t,
 * @vscode/l10n or package.nls.json reads "Ŀīƞŧ Ẇǿǿřķşƥȧȧƈḗḗ": an English word of ours on screen is a string
 * left out of the translation. Looked at where users read: the command palette, the panel (empty, after a
 * lint with its skipped files, its History, after an analyze with a file it cannot parse), the status bar and its tooltip,
 * notifications, the Transform… picker, the walkthrough and the settings' descriptions.
 */
const FILES: Record<string, string> = {
  'src/clean.js': 'export function add(a, b) {\n  return a + b;\n}\n',
  'src/other.js': 'export const twice = (x) => x * 2;\n',
  // Skipped by the engine, each with a reason of its own: bigger than parallelTasks.maxFileSizeBytes, and binary.
  'src/huge.js': `${'// padding\n'.repeat(600)}export const big = 1;\n`,
  'src/blob.js': '\0\0\0\u0001binary\0',
};
/**
 * Words that are not ours to translate: VS Code's own (its pseudo pack here translates none), and the values our
 * messages quote: file and folder names, the fixture's function names, times.
 */
const QUOTED = [/Focus on .* View/g, /Get Started with VS Code for the Web|Learn the Fundamentals/g, /[\w./-]+\.js\b/g, /\bsrc\b/g, /\bpt-ws-\w+/g, /\d+:\d+(:\d+)? ?[AP]M\b/g, /\b(add|twice)\b/g];

const category = pseudo('Parallel Tasks');
const command = (title: string): string => `${category}: ${pseudo(title)}`;

/** The text and the attributes users read (tooltips, labels for screen readers, placeholders) of a part of the page. */
async function readable(root: Locator): Promise<string> {
  return root.evaluate((element) => {
    const el = element as unknown as { innerText: string; querySelectorAll(selector: string): { getAttribute(name: string): string | null; open?: boolean }[] };
    // What a click shows too: the lists folded into a <details> (the skipped files and their reasons).
    for (const details of el.querySelectorAll('details')) details.open = true;
    const attributes = [...el.querySelectorAll('[title],[aria-label],[placeholder]')].flatMap((node) => ['title', 'aria-label', 'placeholder'].map((name) => node.getAttribute(name) ?? ''));
    return [el.innerText, ...attributes].join('\n');
  });
}

describe('in the pseudo language (code-server 4.100.3, headless Chromium)', function () {
  this.timeout(15 * 60_000);
  let browser: Browser;
  const sessions: Session[] = [];
  /** Each English word found, with where and in what. */
  const leftovers: string[] = [];

  const check = (where: string, text: string, allowed: readonly (string | RegExp)[] = []): void => {
    const words = englishWords(text, [...QUOTED, ...allowed]);
    if (words.length > 0) leftovers.push(`${where}: ${words.join(' ')}\n    in: ${text.replace(/\s+/g, ' ').slice(0, 400)}`);
  };

  before(async function () {
    this.timeout(20 * 60_000);
    ensureCodeServer();
    mkdirSync(artifacts, { recursive: true });
    browser = await launchBrowser();
  });
  afterEach(() => closeSessions(sessions));
  after(async () => {
    await browser?.close();
  });

  it('shows no English word of ours anywhere a user reads', async () => {
    const session = await openSession(browser, sessions, { trusted: true, runner: false, bare: true, files: FILES, pseudoLocale: true, settings: { 'parallelTasks.maxFileSizeBytes': 4000 } });
    const { page } = session;
    const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(artifacts, `pseudo-${name}.png`) });

    await checkPalette(page, check);
    await runFromPalette(page, command('Show Panel'));
    const webview = panelFrame(page);
    await webview.getByRole('button', { name: pseudo('Lint Workspace') }).first().waitFor({ timeout: 60_000 });
    await shot('panel-empty');
    check('the empty panel', await readable(webview.locator('body')));

    await webview.getByRole('button', { name: pseudo('Lint Workspace') }).first().click();
    await finished(webview, 'Lint');
    await shot('lint');
    check('the panel after a lint', await readable(webview.locator('body')));
    await checkStatusBar(page, check);
    for (const message of await page.locator('.notification-toast .notification-list-item-message, .notification-toast .monaco-button').allInnerTexts()) check('a notification', message);
    await webview.getByRole('tab', { name: pseudo('History') }).click();
    check('the panel’s history', await readable(webview.locator('body')));

    // A file the analyze worker cannot parse (test/system/l10n.test.ts checks the worker's own words for it).
    writeFileSync(path.join(session.workspace, 'src', 'broken.js'), 'export function (\n');
    await runFromPalette(page, command('Analyze Workspace'));
    await finished(webview, 'Analyze');
    await webview.getByRole('tab', { name: pseudo('Results') }).click().catch(() => undefined);
    await shot('analyze');
    check('the panel after an analyze', await readable(webview.locator('body')));
    for (const message of await page.locator('.notification-toast .notification-list-item-message, .notification-toast .monaco-button').allInnerTexts()) check('a notification', message);

    await runFromPalette(page, command('Transform…'));
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30_000 });
    check('the Transform… picker', (await page.locator('.quick-input-title, .quick-input-list .monaco-list-row').allInnerTexts()).join('\n'));
    check('the Transform… picker', (await page.locator('.quick-input-widget input').getAttribute('placeholder')) ?? '');
    await shot('transform-picker');
    await page.keyboard.press('Escape');

    await runFromPalette(page, command('Get Started'));
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText(pseudo('Get Started with Parallel Tasks')).first().waitFor({ timeout: 60_000 });
    await shot('walkthrough');
    for (const part of await walkthrough.locator('.category-title, .category-description, .step-title, .step-description-container').allInnerTexts()) check('the walkthrough', part);

    await runFromPalette(page, 'Preferences: Open Settings (UI)');
    const search = page.locator('.settings-editor .suggest-input-container .inputarea, .settings-editor textarea').first();
    await search.waitFor({ timeout: 30_000 });
    await search.fill('@ext:parallel-tasks.parallel-tasks');
    // Read all at once, once the search has replaced the list with ours (a list that re-renders rows as it settles).
    let descriptions: string[] = [];
    for (let tries = 0; tries < 60 && !descriptions.some((text) => text.includes(pseudo('workers'))); tries++) {
      await page.waitForTimeout(500);
      descriptions = await page.locator('.settings-editor .setting-item-description').allInnerTexts();
    }
    await shot('settings');
    assert.ok(descriptions.length > 0, 'the settings of the extension are listed');
    for (const description of descriptions) check('a setting', description, [/parallelTasks(\.\w+)+/g]);

    assert.deepEqual(leftovers, [], `English words of ours on screen:\n${leftovers.join('\n')}`);
  });
});

/** Every command of ours in the palette. */
async function checkPalette(page: Page, check: (where: string, text: string) => void): Promise<void> {
  for (let attempt = 0; attempt < 12; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(`>${category}`);
    const rows = page.locator('.quick-input-list .monaco-list-row .label-name');
    // Once the extension's commands are registered (right after start-up the palette may not list them yet).
    if (await rows.filter({ hasText: command('Lint Workspace') }).first().waitFor({ timeout: 5000 }).then(() => true, () => false)) {
      await page.screenshot({ path: path.join(artifacts, 'pseudo-palette.png') });
      // Each row's own label; the line under it is the English original, which VS Code adds in any other language.
      const labels = await page.locator('.quick-input-list').evaluate((list) =>
        [...(list as unknown as { querySelectorAll(s: string): { querySelector(s: string): { innerText: string } | null }[] }).querySelectorAll('.monaco-list-row')].map((row) => row.querySelector('.label-name')?.innerText ?? ''),
      );
      for (const label of labels) check('the command palette', label);
      await page.keyboard.press('Escape');
      return;
    }
    await page.keyboard.press('Escape');
  }
  assert.fail(`no command of ours in the palette under ${category}`);
}

/** The run's status bar item and its tooltip. */
async function checkStatusBar(page: Page, check: (where: string, text: string) => void): Promise<void> {
  const item = page.locator(`.statusbar-item[aria-label^="${category}"]`).first();
  await item.waitFor({ timeout: 30_000 });
  check('the status bar', `${await item.innerText()}\n${(await item.getAttribute('aria-label')) ?? ''}`);
  await item.hover();
  const hover = page.locator('.monaco-hover .hover-contents, .workbench-hover .hover-contents').first();
  await hover.waitFor({ timeout: 10_000 });
  check('the status bar tooltip', await hover.innerText());
  await page.mouse.move(0, 0);
}

/** Waits until the panel's header shows a run of `kind` over (a tick or a warning where the spinner was). */
async function finished(webview: FrameLocator, kind: string): Promise<void> {
  await webview.locator('.header h2', { hasText: pseudo(kind) }).locator('.codicon-pass, .codicon-warning').first().waitFor({ timeout: 180_000 });
}
