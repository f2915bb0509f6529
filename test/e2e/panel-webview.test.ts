import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { RemoteLanes } from '../../src/extension/panel/remote-lanes';
import { BatchActivity } from '../../src/queue/batch-activity';
import type { WorkerPresence } from '../../src/queue/wire';
import type { HostMessage, LintFile, PanelState } from '../../src/shared/protocol';
import { launchBrowser } from '../host/browser';
import { repoRoot } from '../host/code-server';

/**
 * The panel's webview bundle on its own in Chromium, with a stand-in for the
 * VS Code webview API, fed a run of 10,000 files and 50,000 problems: the page
 * keeps the DOM small (virtualised rows) and still reaches every row.
 */
const webviewDir = path.join(repoRoot, 'dist', 'webview');

const page_ = `<!DOCTYPE html><html><head>
<link rel="stylesheet" href="codicon.css" id="vscode-codicon-stylesheet"><link rel="stylesheet" href="panel.css">
<style>:root { --vscode-charts-green: #89d185; --vscode-charts-orange: #d18616; --vscode-charts-red: #f14c4c; --vscode-errorForeground: #f48771; --vscode-foreground: #ccc; --vscode-editorWidget-background: #252526; } body { background: #1e1e1e; color: #ccc; }</style>
<script src="stub.js"></script></head><body><main id="app"></main><script type="module" src="panel.js"></script></body></html>`;
// What VS Code injects into a webview, reduced to what the panel uses (and a few colours of its Dark theme, above).
const stub = `window.__posted = []; window.__state = undefined;
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });`;

function bigRun(files: number, perFile: number): PanelState {
  const lint: LintFile[] = Array.from({ length: files }, (_, i) => ({
    path: `/ws/src/file${String(i).padStart(5, '0')}.js`,
    rel: `src/file${String(i).padStart(5, '0')}.js`,
    problems: Array.from({ length: perFile }, (_, j) => ({ line: j + 1, column: 1, severity: j % 2 ? 1 : 2, ruleId: `rule-${j}`, message: `problem ${j} in file ${i}` })),
  }));
  return {
    trusted: true,
    run: { id: 1, kind: 'lint', view: 'problems', label: 'Lint', phase: 'completed', total: files, pending: 0, running: 0, done: files, failed: 0, skipped: 0, cancelled: 0, cached: 0, filesPerSecond: 500, elapsedMs: 20_000, serialEstimateMs: 38_000, workers: 2, speedup: 1.9 },
    tasks: [],
    workers: [{ slot: 0, kind: 'thread', state: 'idle', filesDone: files, utilisation: 0.95, restarts: 0, batches: [] }],
    series: [],
    lint,
    skipped: [],
    transform: [],
    analyze: { rows: [], hotspots: [] },
    history: [],
  };
}

describe('panel webview in Chromium (10,000 files, 50,000 problems)', function () {
  this.timeout(120_000);
  let server: http.Server;
  let browser: Browser;
  let page: Page;
  let base: string;

  before(async () => {
    server = http.createServer((req, res) => {
      const name = (req.url ?? '/').split('?')[0]?.replace(/^\//, '') || 'index.html';
      if (name === 'index.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page_);
      if (name === 'stub.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(stub);
      const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' };
      try {
        const body = readFileSync(path.join(webviewDir, path.basename(name)));
        res.writeHead(200, { 'content-type': types[path.extname(name)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.goto(base);
    await page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  });

  afterEach(async () => {
    await page.close();
  });

  async function send(message: HostMessage): Promise<void> {
    await page.evaluate((m) => (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(m, '*'), message);
  }

  it('shows the empty state with actions before the first run', async () => {
    await page.getByRole('button', { name: 'Lint Workspace' }).click();
    const posted = await page.evaluate(() => (globalThis as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(posted.at(-1), { type: 'command', command: 'lintWorkspace' });
  });

  it('renders a snapshot of 50,000 problems with a bounded number of rows, and reaches the last one', async () => {
    // Timed inside the page, from the message to the frame after it is drawn (transfer from the test excluded).
    const firstPaint = await page.evaluate(async (state) => {
      const started = performance.now();
      (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage({ type: 'snapshot', state }, '*');
      await new Promise((resolve) => setTimeout(resolve, 0));
      const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
      await new Promise<void>((resolve) => raf(() => raf(() => resolve())));
      return Math.round(performance.now() - started);
    }, bigRun(10_000, 5));
    await page.locator('.results-summary', { hasText: '50000 problems in 10000 files' }).waitFor();
    const rendered = await page.locator('.virtual-window > .row').count();
    assert.ok(rendered > 10 && rendered < 200, `${rendered} rows in the DOM for 60,000 list rows`);
    await page.locator('.virtual-list').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator('.row.problem', { hasText: 'problem 4 in file 9999' }).waitFor();
    assert.ok((await page.locator('.virtual-window > .row').count()) < 200);
    process.stdout.write(`      first paint of 50,000 problems: ${firstPaint} ms (measured, not asserted)\n`);

    // Filtering narrows to matches; clicking a row asks the host to open that file at that line.
    await page.locator('vscode-textfield input').fill('file 1234');
    await page.locator('.results-summary', { hasText: '5 match' }).waitFor();
    await page.locator('.row.problem').nth(2).click();
    const posted = await page.evaluate(() => (globalThis as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(posted.at(-1), { type: 'open', path: '/ws/src/file01234.js', line: 3, column: 1 });
  });

  it('applies hundreds of deltas during a run without growing the DOM, and keeps the view state it saved', async () => {
    const state = bigRun(0, 0);
    await send({ type: 'snapshot', state: { ...state, run: { ...(state.run as NonNullable<PanelState['run']>), phase: 'running', total: 20_000, done: 0, pending: 20_000 } } });
    for (let i = 0; i < 200; i++) {
      const files = bigRun(50, 5).lint.map((f) => ({ ...f, path: `${f.path}-${i}`, rel: `${f.rel}-${i}` }));
      await send({ type: 'delta', run: { ...(state.run as NonNullable<PanelState['run']>), phase: 'running', total: 20_000, done: (i + 1) * 50, pending: 20_000 - (i + 1) * 50 }, workers: state.workers, samples: [{ t: i * 100, queued: 20_000 - i * 50, filesPerSecond: 500 }], lint: files });
    }
    await page.locator('.results-summary', { hasText: '50000 problems in 10000 files' }).waitFor();
    assert.equal(await page.locator('.count.done .n').textContent(), '10000');
    assert.ok((await page.locator('.virtual-window > .row').count()) < 200);
    await page.getByRole('button', { name: 'Group problems by rule' }).click();
    const saved = await page.evaluate(() => (globalThis as unknown as { __state: { groupBy: string } }).__state);
    assert.equal(saved.groupBy, 'rule', 'the grouping is saved with setState');
  });

  it('lists skipped files with their reasons, arriving in deltas, and opens one on click', async () => {
    const state = bigRun(1, 1);
    await send({ type: 'snapshot', state: { ...state, skipped: [{ path: '/ws/logo.js', rel: 'logo.js', reason: 'binary file' }] } });
    const more = Array.from({ length: 250 }, (_, i) => ({ path: `/ws/vendor/v${i}.js`, rel: `vendor/v${i}.js`, reason: 'ignored by the ESLint configuration' }));
    await send({ type: 'delta', run: state.run, workers: state.workers, samples: [], skipped: more });
    const details = page.locator('details.skipped');
    await details.locator('summary', { hasText: '251 files skipped' }).click();
    await details.locator('li', { hasText: 'logo.js — binary file' }).waitFor();
    assert.equal(await details.locator('li').count(), 200, 'a long list is capped');
    await details.locator('.note', { hasText: 'and 51 more' }).waitFor();
    await details.getByRole('button', { name: 'logo.js' }).click();
    const posted = await page.evaluate(() => (globalThis as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(posted.at(-1), { type: 'open', path: '/ws/logo.js', line: 1, column: 1 });
  });

  it('shows the queue\'s workers as lanes on the run\'s time axis: busy spans, a stalled batch marked, a worker that went', async () => {
    // The lanes as the extension builds them during a run: the workers' reports every 2 s (RemoteLanes) and the
    // batches' own events (BatchActivity); the run started at wall-clock T0.
    const at = (name: string, busy: string[]): WorkerPresence => ({ worker: { host: 'build-box-3', name, pid: 41 }, concurrency: 2, startedAt: 0, busy, utilisation: busy.length ? 0.9 : 0 });
    const T0 = 1_000_000;
    const activity = new BatchActivity();
    const lanes = new RemoteLanes();
    const queue = 'redis://queue.internal:6379';
    const report = (workers: WorkerPresence[], waiting: number, t: number, stalled?: string): void =>
      lanes.update({ queue, workers, waiting, spans: activity.take(), ...(stalled ? { stalled: [{ host: 'build-box-3', name: stalled, pid: 41 }] } : {}) }, t, T0 + t);
    activity.held('b1', at('ci-1', []).worker, T0 + 200);
    activity.held('b2', at('ci-2', []).worker, T0 + 250);
    report([at('ci-1', ['src/a.js']), at('ci-2', ['src/b.js'])], 6, 2000);
    activity.ended('b1', T0 + 3000);
    activity.held('b3', at('ci-1', []).worker, T0 + 3020);
    report([at('ci-1', ['src/c.js']), at('ci-2', ['src/d.js'])], 4, 4000);
    report([at('ci-1', ['src/e.js'])], 3, 6000);
    activity.ended('b2', T0 + 8000);
    activity.held('b2', at('ci-1', []).worker, T0 + 8100);
    report([at('ci-1', ['src/d.js'])], 2, 8000, 'ci-2');
    activity.ended('b3', T0 + 9000);
    activity.ended('b2', T0 + 11_500);
    report([at('ci-1', [])], 0, 12_000);
    const state = bigRun(0, 0);
    const run = { ...(state.run as NonNullable<PanelState['run']>), elapsedMs: 12_000, total: 40, done: 40 };
    await send({ type: 'snapshot', state: { ...state, run, workers: [{ ...(state.workers[0] as PanelState['workers'][number]), kind: 'remote' }], remote: lanes.state() } });
    const heading = page.locator('h3', { hasText: 'Remote workers' });
    await heading.waitFor();
    assert.match((await heading.textContent()) ?? '', /1 on redis:\/\/queue\.internal:6379 · 0 batches waiting/);
    const gone = page.locator('.lane.remote.gone');
    assert.match((await gone.getAttribute('aria-label')) ?? '', /ci-2 on build-box-3: gone, stopped answering at .*1 batch stalled and put back/);
    assert.equal(await gone.locator('.gone-mark').count(), 1, 'a line where it went');
    assert.equal(await gone.locator('.marker.stall').count(), 1, 'a mark where its batch stalled');
    assert.equal(await page.locator('.lane.remote.idle .timeline rect.bar').count(), 1, 'the survivor\'s busy span');
    const artifacts = path.join(repoRoot, 'test-results');
    mkdirSync(artifacts, { recursive: true });
    await page.locator('section.workers').screenshot({ path: path.join(artifacts, 'panel-remote-lanes.png') });
  });
});
