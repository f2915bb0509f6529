import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { openWorkbench } from './browser';
import { installVsix, prepareExtensions, repoRoot, startCodeServer, type CodeServer } from './code-server';
import { installPseudoLanguage, PSEUDO_LOCALE, writePseudoBundles } from './pseudo-locale';
import { makeWorkspace } from './workspace';

/**
 * A workbench session for the e2e tests: code-server on a fresh copy of the
 * fixture workspace, with the extension built from the repository (or
 * installed from the packaged .vsix), and a headless Chromium page on it.
 */

/** Screenshots land here, one PNG per moment worth looking at. */
export const artifacts = path.join(repoRoot, 'test-results');

export interface Session {
  readonly server: CodeServer;
  readonly page: Page;
  readonly workspace: string;
  readonly scratch: string;
}

export type Theme = 'dark' | 'light' | 'high-contrast';

export interface SessionOptions {
  readonly trusted: boolean;
  /** Starts the in-host test runner (test/integration) with the window. */
  readonly runner: boolean;
  readonly vsix?: boolean;
  readonly files?: Record<string, string>;
  /** A workspace without node_modules: only what the installed extension ships runs. */
  readonly bare?: boolean;
  readonly colorScheme?: Theme;
  readonly settings?: Record<string, unknown>;
  /** The same workspace, user data and extensions as a session that was closed: VS Code started anew on them. */
  readonly again?: Session;
  /** VS Code in the pseudo language, with the extension's messages pseudo-localised (test/host/pseudo-locale.ts). */
  readonly pseudoLocale?: boolean;
}

const THEMES: Record<Theme, string> = { dark: 'Default Dark Modern', light: 'Default Light Modern', 'high-contrast': 'Default High Contrast' };

/** Opens a session and adds it to `sessions`, which closeSessions() ends. */
export async function openSession(browser: Browser, sessions: Session[], options: SessionOptions): Promise<Session> {
  const scratch = options.again?.scratch ?? mkdtempSync(path.join(os.tmpdir(), 'pt-host-'));
  const workspace = options.again?.workspace ?? makeWorkspace(options.files, options.bare);
  const extensionsDir = path.join(scratch, 'extensions');
  // Again: installed already, by the first session.
  if (!options.again) {
    if (options.vsix) installVsix(extensionsDir);
    else prepareExtensions(extensionsDir, options.runner);
    if (options.pseudoLocale) {
      writePseudoBundles(installedExtension(extensionsDir));
      installPseudoLanguage(path.join(scratch, 'data'));
    }
  }
  const server = await startCodeServer({
    workspace,
    extensionsDir,
    userDataDir: path.join(scratch, 'data'),
    trusted: options.trusted,
    ...(options.pseudoLocale ? { locale: PSEUDO_LOCALE } : {}),
    // The web client names the workspace's storage after its address, port included: a restart comes back on the same one.
    ...(options.again ? { port: Number(new URL(options.again.server.url).port) } : {}),
    env: options.runner
      ? {
          PT_TEST_SUITE: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
          PT_TEST_RESULTS: path.join(scratch, 'results.json'),
          ...(process.env.PT_TEST_GREP ? { PT_TEST_GREP: process.env.PT_TEST_GREP } : {}),
          ...(process.env.PT_TEST_SHUFFLE ? { PT_TEST_SHUFFLE: process.env.PT_TEST_SHUFFLE } : {}),
        }
      : {},
    settings: { 'workbench.colorTheme': THEMES[options.colorScheme ?? 'dark'], ...options.settings },
  });
  const page = await openWorkbench(browser, server.url, options.colorScheme === 'light' ? 'light' : 'dark');
  const session = { server, page, workspace, scratch };
  sessions.push(session);
  return session;
}

/** This extension's folder in an extensions folder, however it was installed. */
function installedExtension(extensionsDir: string): string {
  const name = readdirSync(extensionsDir).find((entry) => entry.startsWith('parallel-tasks.parallel-tasks-'));
  if (!name) throw new Error(`the extension is not installed in ${extensionsDir}`);
  return path.join(extensionsDir, name);
}

/** Ends every session in `sessions` (and empties it): the page, code-server and their folders. */
export async function closeSessions(sessions: Session[]): Promise<void> {
  for (const session of sessions.splice(0)) {
    await session.page.context().close().catch(() => undefined);
    await session.server.stop();
    rmSync(session.workspace, { recursive: true, force: true });
    rmSync(session.scratch, { recursive: true, force: true });
  }
}

/** Opens the panel and starts a run with one of its empty-state buttons. */
export async function startFromPanel(page: Page, button: 'Lint Workspace' | 'Analyze Workspace'): Promise<FrameLocator> {
  await runFromPalette(page, 'Parallel Tasks: Show Panel');
  const webview = panelFrame(page);
  await webview.getByRole('button', { name: button }).first().click();
  return webview;
}

/** The panel's content: VS Code nests each webview in two iframes. */
export function panelFrame(page: Page): FrameLocator {
  // Ours by its extension id: the walkthrough's pages are webviews too.
  return page.frameLocator('iframe.webview.ready[src*="extensionId=parallel-tasks.parallel-tasks"]').frameLocator('#active-frame');
}

/** A module with a few lint problems and some branching, unique per index. */
export function generatedModule(i: number): string {
  const body = Array.from({ length: 40 }, (_, j) => `export function route${j}(req, res) {\n  if (req.a && req.b) {\n    return ${j};\n  } else if (req.c || req.d) {\n    return ${i};\n  }\n  for (const x of req.items ?? []) {\n    if (x == null) res.push(x);\n  }\n  return 0;\n}\n`).join('\n');
  return `let unused${i} = ${i};\n${body}`;
}

export async function runFromPalette(page: Page, command: string): Promise<void> {
  // The palette lists the commands known when it opens; right after start-up the
  // extension's contributions may not be registered yet, so reopen until it is there.
  for (let attempt = 0; attempt < 12; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(`>${command}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first();
    if (await row.waitFor({ timeout: 5000 }).then(() => true, () => false)) {
      await row.click();
      return;
    }
    await page.keyboard.press('Escape');
  }
  await pickQuickInput(page, command);
}

export async function pickQuickInput(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  try {
    await row.waitFor({ timeout: 30_000 });
  } catch (error) {
    await page.screenshot({ path: path.join(artifacts, `quick-input-missing-${label.replace(/\W+/g, '-')}.png`) });
    throw error;
  }
  await row.click();
}
