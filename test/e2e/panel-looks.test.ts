import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../host/browser';
import { ensureCodeServer } from '../host/code-server';
import { artifacts, closeSessions, generatedModule, openSession, runFromPalette, startFromPanel, type Session, type Theme } from '../host/session';

/**
 * The panel as users see it in each kind of theme and at the sidebar widths
 * people use (250 px, VS Code's narrow default side, and 400 px): a
 * screenshot of each, and a check that nothing in the panel is cut off
 * without saying so (clipped text with no ellipsis, or a panel wider than
 * its sidebar), after a lint, in the History tab and after an analyze.
 */
const WIDTHS = [250, 400] as const;
const LONG_NAME = 'src/a-module-with-a-rather-long-file-name-that-cannot-fit-a-narrow-sidebar.js';

/** What clipped: an element whose content is wider than its box, cut by overflow without an ellipsis. */
interface Clipped {
  readonly element: string;
  readonly text: string;
}

/**
 * Runs in the webview: every piece of text whose glyphs reach past a box that
 * clips them (overflow hidden or clip) or past the view, unless that box
 * truncates on purpose with an ellipsis or can be scrolled. Measured on the
 * text itself (a Range around each text node), not on element boxes.
 */
function findClipped(): { clipped: Clipped[]; pageWidth: number; viewWidth: number } {
  // Written against the page's globals; typed loosely since the test's TypeScript has no DOM library.
  interface Rect {
    left: number;
    right: number;
    width: number;
  }
  interface El {
    tagName: string;
    className: string;
    parentElement: El | null;
    scrollWidth: number;
    clientWidth: number;
    getBoundingClientRect(): Rect;
  }
  const page = globalThis as unknown as {
    document: { body: unknown; documentElement: { scrollWidth: number; clientWidth: number }; createTreeWalker(root: unknown, what: number): { nextNode(): { textContent: string | null; parentElement: El | null } | null }; createRange(): { selectNodeContents(node: unknown): void; getBoundingClientRect(): Rect } };
    getComputedStyle(el: El): { overflowX: string; textOverflow: string; visibility: string; display: string };
    innerWidth: number;
  };
  const { document } = page;
  const clipped: Clipped[] = [];
  const walker = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? '').trim();
    const owner = node.parentElement;
    if (!text || !owner || page.getComputedStyle(owner).visibility === 'hidden') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0) continue;
    // The nearest box that does not let the text spill decides: it contains it, truncates it on purpose
    // (a horizontal scroll bar — a box that scrolls only vertically cuts what passes its sides —, or an ellipsis, which only applies to text reached through inline boxes: an inline-block
    // button inside an ellipsis box is cut, not ellipsised), or cuts it. Contained text may still pass the view.
    let verdict: 'contained' | 'truncated' | 'cut' | undefined;
    let inline = true;
    for (let el: El | null = owner; el && !verdict; el = el.parentElement) {
      const style = page.getComputedStyle(el);
      if (style.overflowX !== 'visible') {
        const edge = el.getBoundingClientRect();
        if (box.right <= edge.right + 1 && box.left >= edge.left - 1) verdict = 'contained';
        else if (style.overflowX === 'auto' || style.overflowX === 'scroll') verdict = el.scrollWidth > el.clientWidth + 1 ? 'truncated' : 'cut';
        else verdict = style.textOverflow === 'ellipsis' && inline ? 'truncated' : 'cut';
      }
      // A button lays its content out as an inline-block whatever its computed display says.
      inline = inline && style.display === 'inline' && el.tagName !== 'BUTTON';
    }
    const cut = verdict === 'cut' || (verdict !== 'truncated' && (box.right > page.innerWidth + 1 || box.left < -1));
    if (cut) clipped.push({ element: `${owner.tagName.toLowerCase()}.${String(owner.className).split(' ').join('.')}`, text: text.slice(0, 80) });
  }
  return { clipped, pageWidth: document.documentElement.scrollWidth, viewWidth: document.documentElement.clientWidth };
}

async function clippedIn(webview: FrameLocator): Promise<{ clipped: Clipped[]; pageWidth: number; viewWidth: number }> {
  return webview.locator('body').evaluate(findClipped);
}

/** Drags the sash on the sidebar's right edge until the sidebar is `width` px wide. */
async function setSidebarWidth(page: Page, width: number): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  assert.ok(box, 'the sidebar is shown');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  const after = await sidebar.boundingBox();
  assert.ok(after && Math.abs(after.width - width) <= 4, `the sidebar is ${after?.width} px wide, not ${width}`);
}

async function lookAt(page: Page, webview: FrameLocator, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await setSidebarWidth(page, width);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(artifacts, `looks-${name}-${width}.png`) });
    const { clipped, pageWidth, viewWidth } = await clippedIn(webview);
    assert.ok(pageWidth <= viewWidth + 1, `${name} at ${width} px: the panel is ${pageWidth} px wide in a ${viewWidth} px view`);
    assert.deepEqual(clipped, [], `${name} at ${width} px: cut off without an ellipsis`);
  }
}

describe('the panel in each theme at 250 and 400 px (code-server, headless Chromium)', function () {
  this.timeout(15 * 60_000);
  let browser: Browser;
  const sessions: Session[] = [];

  before(async function () {
    this.timeout(20 * 60_000);
    ensureCodeServer();
    browser = await launchBrowser();
  });
  afterEach(() => closeSessions(sessions));
  after(async () => {
    await browser?.close();
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const satisfies readonly Theme[]) {
    it(`${theme}: a lint, its history and an analyze fit the sidebar`, async () => {
      const files: Record<string, string> = { [LONG_NAME]: generatedModule(999) };
      for (let i = 0; i < 40; i++) files[`many/file${i}.js`] = generatedModule(i);
      const { page } = await openSession(browser, sessions, { trusted: true, runner: false, files, colorScheme: theme });
      const webview = await startFromPanel(page, 'Lint Workspace');
      await webview.locator('.header h2', { hasText: 'completed' }).waitFor({ timeout: 120_000 });
      await lookAt(page, webview, `${theme}-lint`);
      await webview.getByRole('tab', { name: 'History' }).click();
      await lookAt(page, webview, `${theme}-history`);
      await runFromPalette(page, 'Parallel Tasks: Analyze Workspace');
      await webview.locator('.header h2', { hasText: /Analyze — completed/ }).waitFor({ timeout: 120_000 });
      await webview.getByRole('tab', { name: 'Results' }).click();
      await lookAt(page, webview, `${theme}-analyze`);
    });
  }
});
