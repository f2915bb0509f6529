import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SuiteReport } from '../integration/index';
import { launchBrowser } from '../host/browser';
import { ensureCodeServer, repoRoot } from '../host/code-server';
import { artifacts, closeSessions, generatedModule, openSession, panelFrame, pickQuickInput, runFromPalette, startFromPanel, type Session, type SessionOptions } from '../host/session';

/** How many tests test/integration/*.test.ts have for each mode: a test added there is counted here too. */
const INTEGRATION_TESTS = { trusted: 35, untrusted: 3 } as const;

describe('in a real VS Code (code-server 4.100.3, headless Chromium)', function () {
  this.timeout(15 * 60_000);
  let browser: Browser;
  const sessions: Session[] = [];

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

  const open = (options: SessionOptions): Promise<Session> => openSession(browser, sessions, options);

  async function runSuite(trusted: boolean): Promise<void> {
    const session = await open({ trusted, runner: true });
    const results = path.join(session.scratch, 'results.json');
    const deadline = Date.now() + 10 * 60_000;
    while (!existsSync(results) && Date.now() < deadline) await session.page.waitForTimeout(500);
    await session.page.screenshot({ path: path.join(artifacts, `integration-${trusted ? 'trusted' : 'untrusted'}.png`) });
    assert.ok(existsSync(results), `the suite reported nothing; code-server said:\n${session.server.log().slice(-4000)}`);
    const report = JSON.parse(readFileSync(results, 'utf8')) as SuiteReport;
    process.stdout.write(`${report.log.map((line) => `      │ ${line}`).join('\n')}\n`);
    assert.equal(report.failed, 0, report.failures.map((f) => `${f.title}\n${f.error}`).join('\n\n'));
    assert.equal(report.pending, 0, 'no test was skipped');
    assert.equal(report.passed, report.total, `${report.passed} of the ${report.total} selected tests passed inside VS Code`);
    // The whole suite, not some of it: a test file that failed to load, or a describe that lost its tests, shows here.
    if (!process.env.PT_TEST_GREP) assert.equal(report.total, INTEGRATION_TESTS[trusted ? 'trusted' : 'untrusted'], 'every integration test ran');
  }

  it('passes the integration suite inside the extension host (trusted workspace)', () => runSuite(true));

  it('passes the integration suite inside the extension host (restricted mode: untrusted workspace)', () => runSuite(false));

  it('installed from the packaged .vsix: runs Lint Workspace from the command palette; the status bar counts up, then shows what eslint reports', async () => {
    // Enough files that the run lasts a few seconds and the live count can be watched.
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`many/file${i}.js`] = generatedModule(i);
    const session = await open({ trusted: true, runner: false, vsix: true, files });
    const { page } = session;

    const eslint = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '.'], { cwd: session.workspace, encoding: 'utf8', maxBuffer: 256 << 20 });
    const expected = (JSON.parse(eslint.stdout) as { messages: unknown[] }[]).reduce((n, r) => n + r.messages.length, 0);
    assert.ok(expected > 300);

    await runFromPalette(page, 'Parallel Tasks: Lint Workspace');
    const status = page.locator('.statusbar-item[aria-label^="Parallel Tasks Lint"]');
    const samples: string[] = [];
    let sawRunning = false;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const text = ((await status.first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim();
      if (text && text !== samples[samples.length - 1]) samples.push(text);
      if (!sawRunning && /\d+\/\d+ · \d+\/\d+ busy/.test(text)) {
        sawRunning = true;
        await page.screenshot({ path: path.join(artifacts, 'e2e-lint-running.png') });
      }
      if (/Lint: /.test(text)) break;
      await page.waitForTimeout(150);
    }
    await page.screenshot({ path: path.join(artifacts, 'e2e-lint-done.png') });
    const excerpt = samples.length > 8 ? [...samples.slice(0, 4), `… ${samples.length - 7} more …`, ...samples.slice(-3)] : samples;
    process.stdout.write(`      status bar: ${excerpt.join(' → ')}\n`);

    const counts = samples.flatMap((t) => {
      const m = /Lint (\d+)\/(\d+)/.exec(t);
      return m ? [Number(m[1])] : [];
    });
    assert.ok(counts.length >= 2, `the count was seen going up: ${samples.join(' | ')}`);
    assert.ok(counts.every((n, i) => i === 0 || n >= (counts[i - 1] as number)), 'the count never goes down');
    assert.equal(samples[samples.length - 1]?.split(' · ')[0]?.trim(), `Lint: ${expected} problems`, 'the outcome, before any "Problems live"');

    // VS Code's own Problems counter in the status bar agrees with eslint.
    const problems = (await page.locator('#status\\.problems').getAttribute('aria-label')) ?? '';
    const shown = [...problems.matchAll(/(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    assert.equal(shown, expected, problems);
  });

  it("installed from the packaged .vsix into a project without node_modules: lint, analyze, Prettier and a TypeScript codemod run on the tools it ships", async () => {
    const files = {
      'src/app.ts': 'let count: any = 1;\nexport const twice = (n: number) => n * 2;\n',
      'src/ugly.js': 'const a = {b:1,\n  c:"two"};\nexport { a };\n',
      'codemods/rename.ts': 'import type { API, FileInfo } from "jscodeshift";\nexport default function (file: FileInfo, api: API): string {\n  const j = api.jscodeshift;\n  return j(file.source).find(j.Identifier, { name: "twice" }).forEach((p) => { p.node.name = "double"; }).toSource();\n}\n',
    };
    const settings = { 'parallelTasks.transform.review': 'apply', 'parallelTasks.transform.codemod': 'codemods/rename.ts' };
    const session = await open({ trusted: true, runner: false, vsix: true, bare: true, files, settings });
    const { page, workspace } = session;
    const installed = readdirSync(path.join(session.scratch, 'extensions')).find((name) => name.startsWith('parallel-tasks.parallel-tasks-'));
    assert.ok(installed && !existsSync(path.join(session.scratch, 'extensions', installed, 'node_modules')), `installed as ${installed}, without node_modules`);

    // ESLint's default config (the project has neither ESLint nor a config): prefer-const, no-unused-vars, no-explicit-any.
    await runFromPalette(page, 'Parallel Tasks: Lint Workspace');
    await statusBarShows(page, 'Lint', 'Lint: 3 problems');
    const problems = (await page.locator('#status\\.problems').getAttribute('aria-label')) ?? '';
    assert.equal([...problems.matchAll(/(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0), 3, problems);

    await runFromPalette(page, 'Parallel Tasks: Analyze Workspace');
    await statusBarShows(page, 'Analyze', 'Analyze: 3 files analyzed');

    await runFromPalette(page, 'Parallel Tasks: Transform…');
    await pickQuickInput(page, 'Prettier');
    await pickQuickInput(page, 'Whole workspace');
    await waitFor(() => readFileSync(path.join(workspace, 'src/ugly.js'), 'utf8') === 'const a = { b: 1, c: "two" };\nexport { a };\n', 'Prettier formatted src/ugly.js');

    await runFromPalette(page, 'Parallel Tasks: Transform…');
    await pickQuickInput(page, 'Codemod file');
    await pickQuickInput(page, 'Whole workspace');
    await waitFor(() => readFileSync(path.join(workspace, 'src/app.ts'), 'utf8').includes('export const double ='), 'the codemod renamed twice to double in src/app.ts');
    await page.screenshot({ path: path.join(artifacts, 'e2e-vsix-tools.png') });
  });

  it('previews a Prettier transform in the refactor preview, applies it and undoes it', async () => {
    const ugly = 'const a = {b:1,\n  c:"two"};\nconst keep = 1;\n';
    const session = await open({ trusted: true, runner: false, files: { 'src/ugly.js': ugly } });
    const { page } = session;
    const file = path.join(session.workspace, 'src/ugly.js');
    await runFromPalette(page, 'Go to File');
    await page.locator('.quick-input-widget input').fill('ugly.js');
    await pickQuickInput(page, 'ugly.js');
    await page.locator('.monaco-editor .view-lines', { hasText: 'const keep' }).first().waitFor({ timeout: 30_000 });

    await runFromPalette(page, 'Parallel Tasks: Transform…');
    await pickQuickInput(page, 'Prettier');
    await pickQuickInput(page, 'Current file');
    const apply = page.getByRole('button', { name: 'Apply', exact: true });
    await apply.waitFor({ timeout: 60_000 });
    // Edits that need confirmation start unchecked: the user ticks what to take.
    await page.locator('.part.panel .monaco-list-row[aria-level="1"] input.edit-checkbox').first().click();
    await page.screenshot({ path: path.join(artifacts, 'e2e-transform-preview.png') });
    // The transform's workers are done while the preview waits for the user: another run may start meanwhile.
    await runFromPalette(page, 'Parallel Tasks: Lint Workspace');
    await page.locator('.statusbar-item[aria-label^="Parallel Tasks Lint"]').filter({ hasText: /Lint: \d+ problems?/ }).first().waitFor({ timeout: 120_000 });
    await apply.click();
    await waitFor(() => readFileSync(file, 'utf8') === 'const a = { b: 1, c: "two" };\nconst keep = 1;\n', 'the formatted file is saved');

    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    await page.locator('.monaco-editor .view-lines', { hasText: 'c:"two"' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'e2e-transform-after-undo.png') });
  });
  it('the empty panel offers the main actions; Get Started opens the walkthrough, whose first step lints the workspace', async () => {
    const session = await open({ trusted: true, runner: false });
    const { page } = session;
    await runFromPalette(page, 'Parallel Tasks: Show Panel');
    const webview = panelFrame(page);
    for (const name of ['Lint Workspace', 'Analyze Workspace', 'Transform…', 'Run Custom Task…', 'Set Worker Count…']) {
      await webview.getByRole('button', { name }).first().waitFor({ timeout: 60_000 });
    }
    await page.screenshot({ path: path.join(artifacts, 'panel-welcome.png') });
    await webview.getByRole('button', { name: 'Get Started' }).click();

    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText('Get Started with Parallel Tasks').first().waitFor({ timeout: 60_000 });
    for (const step of ['Lint the workspace', 'Open the panel', 'Set the worker count', 'Define a custom task']) {
      await walkthrough.getByText(step, { exact: true }).first().waitFor({ timeout: 30_000 });
    }
    // Its untrusted-workspace variant is not offered where lint may run.
    assert.equal(await walkthrough.getByText('Analyze the workspace', { exact: true }).count(), 0);
    await page.screenshot({ path: path.join(artifacts, 'walkthrough.png') });

    await walkthrough.getByText('Lint the workspace', { exact: true }).first().click();
    await walkthrough.getByRole('button', { name: 'Lint Workspace' }).first().click();
    const status = page.locator('.statusbar-item[aria-label^="Parallel Tasks Lint"]');
    await status.filter({ hasText: /Lint: \d+ problems?/ }).first().waitFor({ timeout: 120_000 });
    // The step's completion event (the command ran) ticks it.
    await walkthrough.getByRole('checkbox', { name: 'Checkbox for Step Lint the workspace: Completed', exact: true }).waitFor({ timeout: 30_000 });
    for (const step of ['Set the worker count', 'Define a custom task']) {
      assert.equal(await walkthrough.getByRole('checkbox', { name: `Checkbox for Step ${step}: Completed`, exact: true }).count(), 0, `"${step}" was not done`);
    }
    await page.screenshot({ path: path.join(artifacts, 'walkthrough-linted.png') });
  });

  it('in an untrusted workspace the walkthrough offers Analyze, which needs no trust, instead of Lint, and the empty panel no custom task', async () => {
    const { page } = await open({ trusted: false, runner: false });
    await runFromPalette(page, 'Parallel Tasks: Get Started');
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText('Analyze the workspace', { exact: true }).first().waitFor({ timeout: 60_000 });
    assert.equal(await walkthrough.getByText('Lint the workspace', { exact: true }).count(), 0);
    await page.screenshot({ path: path.join(artifacts, 'walkthrough-untrusted.png') });
    // The empty panel likewise offers what may run here: not custom tasks, which run the workspace's commands.
    // (By the activity bar: the walkthrough's page holds the keyboard focus the palette's key needs.)
    await page.locator('.activitybar .action-item a[aria-label^="Parallel Tasks"]').click();
    const webview = panelFrame(page);
    await webview.getByRole('button', { name: 'Analyze Workspace' }).first().waitFor({ timeout: 60_000 });
    assert.equal(await webview.getByRole('button', { name: 'Run Custom Task…' }).count(), 0);
    await webview.getByText('lint, Prettier, codemods and custom tasks are disabled').waitFor({ timeout: 10_000 });
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`panel (${theme} theme): lint from the panel shows the run's numbers; clicking a problem opens the editor at its line`, async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 120; i++) files[`many/file${i}.js`] = generatedModule(i);
      const session = await open({ trusted: true, runner: false, files, colorScheme: theme });
      const { page } = session;
      const eslint = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '.'], { cwd: session.workspace, encoding: 'utf8', maxBuffer: 256 << 20 });
      const results = JSON.parse(eslint.stdout) as { filePath: string; messages: { line: number; message: string }[] }[];
      const problems = results.reduce((n, r) => n + r.messages.length, 0);
      const filesWithProblems = results.filter((r) => r.messages.length > 0).length;

      const webview = await startFromPanel(page, 'Lint Workspace');
      await webview.locator('.header h2', { hasText: 'completed' }).waitFor({ timeout: 120_000 });
      // The workspace was linted: from now on saves keep Problems current, and the panel and the status bar say so.
      await webview.locator('.live', { hasText: 'Problems live (checked on save)' }).waitFor({ timeout: 30_000 });
      await page.locator('.statusbar-item', { hasText: 'Problems live' }).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(artifacts, `panel-lint-${theme}.png`) });

      if (theme === 'dark') {
        // The page's CSP, as the webview received it: nothing but our nonce'd script runs.
        const csp = (await webview.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
        assert.match(csp, /default-src 'none'/);
        assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{20,}';/, 'scripts: the nonce and nothing else');
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        const injected = await webview.locator('body').evaluate((element) => {
          // Typed by shape: the test's TypeScript has no DOM library.
          const body = element as unknown as { ownerDocument: { createElement(tag: string): { textContent: string } }; appendChild(node: unknown): void; dataset: Record<string, string | undefined> };
          const script = body.ownerDocument.createElement('script');
          script.textContent = 'document.body.dataset.injected = "ran"';
          body.appendChild(script);
          return body.dataset.injected ?? 'blocked';
        });
        assert.equal(injected, 'blocked', 'an injected inline script does not run');
        const scripts = await webview.locator('script[src]').evaluateAll((els) => els.map((e) => e as unknown as { src: string; nonce: string }).map(({ src, nonce }) => ({ src, nonce })));
        assert.ok(scripts.length > 0);
        for (const script of scripts) {
          assert.match(script.src, /\/dist\/webview\/panel\.js$/, 'scripts come from the extension\'s built assets only');
          assert.ok(script.nonce.length > 0);
        }
      }

      const done = Number(await webview.locator('.count.done .n').textContent());
      assert.equal(done, results.length, 'files done equals the files eslint linted');
      const skipped = Number(await webview.locator('.count.skipped .n').textContent());
      assert.equal(skipped, 1, 'ignored/skip.js is ignored by the ESLint config and shown as skipped');
      assert.equal(await webview.locator('.stats .files').textContent(), `${results.length + skipped} / ${results.length + skipped} files`);
      assert.equal(await webview.locator('.results-summary').textContent(), `${problems} problems in ${filesWithProblems} files`);

      // Filter to src/problems.js; the view's own state (the filter) survives hiding and showing the panel.
      await webview.locator('vscode-textfield').locator('input').fill('problems.js');
      await webview.locator('.results-summary', { hasText: 'match' }).waitFor();
      await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
      await page.locator('.activitybar .action-item a[aria-label^="Parallel Tasks"]').click();
      const shown = panelFrame(page);
      await shown.locator('.results-summary', { hasText: `${problems} problems in ${filesWithProblems} files · 4 match` }).waitFor({ timeout: 30_000 });
      assert.equal(await shown.locator('vscode-textfield').evaluate((el) => (el as unknown as { value: string }).value), 'problems.js');

      // Open the first problem: by mouse in the dark theme, by keyboard alone in the light one.
      const expected = results.find((r) => r.filePath.endsWith(path.join('src', 'problems.js')))?.messages[0];
      assert.ok(expected);
      const row = shown.locator('.row.problem').first();
      if (theme === 'dark') {
        await row.click();
      } else {
        await row.focus();
        await page.keyboard.press('Enter');
      }
      await page.locator('.monaco-editor').first().waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: new RegExp(`Ln ${expected.line}, Col`) }).first().waitFor({ timeout: 30_000 });
      assert.match((await page.locator('.tabs-container .tab.active').first().textContent()) ?? '', /problems\.js/);
      await page.screenshot({ path: path.join(artifacts, `panel-open-problem-${theme}.png`) });
    });
  }

  it('panel (high-contrast theme): analyze shows hotspots and a sortable table; history compares lint runs', async () => {
    const session = await open({
      trusted: true,
      runner: false,
      files: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`many/file${i}.js`, generatedModule(i)])),
      // Set before start-up: right after it, the theme picker may not list the built-in themes yet.
      settings: { 'workbench.colorTheme': 'Default High Contrast' },
    });
    const { page } = session;
    let webview = await startFromPanel(page, 'Analyze Workspace');
    await webview.locator('.header h2', { hasText: 'completed' }).waitFor({ timeout: 120_000 });
    await webview.locator('.hotspots li').first().waitFor({ timeout: 30_000 });
    assert.match((await webview.locator('.hotspots li').first().textContent()) ?? '', /^\s*8 route/);
    await webview.getByRole('button', { name: 'Sort by Lines' }).click();
    const firstRow = await webview.locator('.row.analyze:not(.head) .rel').first().textContent();
    assert.match(firstRow ?? '', /many\/file\d+\.js/, 'the longest files come first');
    await page.screenshot({ path: path.join(artifacts, 'panel-analyze-high-contrast.png') });

    // Two lint runs with a fix in between: the history shows what was fixed.
    await runFromPalette(page, 'Parallel Tasks: Lint Workspace');
    await webview.locator('.header h2', { hasText: /Lint — completed/ }).waitFor({ timeout: 120_000 });
    writeFileSync(path.join(session.workspace, 'src', 'problems.js'), 'export const fixed = 1;\n');
    await webview.getByRole('button', { name: 'Run Again' }).click();
    webview = panelFrame(page);
    await webview.locator('vscode-tab-header', { hasText: 'History' }).click();
    await webview.locator('ul.history li').nth(2).waitFor({ timeout: 120_000 });
    const latest = webview.locator('ul.history li').first();
    assert.equal(await latest.locator('.label').textContent(), 'Lint');
    assert.equal(await latest.locator('.new').textContent(), ' · +0 new', 'no new problems');
    assert.equal(await latest.locator('.fixed').textContent(), ' · −4 fixed', 'the four problems of src/problems.js are fixed');
    await page.screenshot({ path: path.join(artifacts, 'panel-history-high-contrast.png') });
  });

  it('panel: the run history survives a restart of VS Code, and the next lint is compared with the run before it; slowest files and rules; speedup only with several workers', async () => {
    const first = await open({
      trusted: true,
      runner: false,
      // Enough files for batches on both workers of the second session.
      files: { 'eslint.config.mjs': BUSY_RULE_CONFIG, 'src/slow.js': 'export const slow = 1;\n', ...Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`many/file${i}.js`, generatedModule(i)])) },
      settings: { 'parallelTasks.lint.ruleTimings': true, 'parallelTasks.maxWorkers': 1 },
    });
    let webview = await startFromPanel(first.page, 'Lint Workspace');
    await webview.locator('.header h2', { hasText: 'Lint — completed' }).waitFor({ timeout: 120_000 });
    await webview.locator('.stats .rate').waitFor();
    assert.equal(await webview.locator('.stats .speedup').count(), 0, 'one worker: no "speedup" figure');
    await webview.locator('vscode-tab-header', { hasText: 'History' }).click();
    await webview.locator('.timing.rules li').first().waitFor({ timeout: 30_000 });
    // Listed with the 3 s the rule spun on it (a worker's first file also carries loading ESLint and the config: it may come close).
    const slowest = await webview.locator('.timing.files li').allTextContents();
    process.stdout.write(`      slowest files: ${slowest.join(' | ')}\n`);
    const slow = slowest.find((row) => /src\/slow\.js$/.test(row.trim()));
    assert.ok(slow && Number(/([\d.]+) s /.exec(slow)?.[1]) >= 3, `the file the busy rule spins on, with its 3 s: ${slowest.join(' | ')}`);
    assert.match((await webview.locator('.timing.rules li').first().textContent()) ?? '', /local\/busy/, 'ESLint\'s own rule times put the busy rule first');
    const before = webview.locator('ul.history li').first();
    assert.equal(await before.locator('.label').textContent(), 'Lint');
    const found = (await before.locator('.found').textContent()) ?? '';
    assert.match(found, /^\d+ problems$/, 'the first run of its scope has nothing to compare with');
    await first.page.screenshot({ path: path.join(artifacts, 'history-before-restart.png') });

    // VS Code stops (the server, its extension host and the browser) once the history is on disk, and starts again on the same user data.
    await waitFor(() => findFile(path.join(first.scratch, 'data'), 'run-history.json') !== undefined, 'the history is saved in the workspace storage');
    await first.page.context().close();
    await first.server.stop();
    // Meanwhile someone writes into the stored file: markup in a label, and entries that are not entries.
    const stored = findFile(path.join(first.scratch, 'data'), 'run-history.json') as string;
    const saved = JSON.parse(readFileSync(stored, 'utf8')) as { version: number; runs: Record<string, unknown>[] };
    assert.equal(saved.runs.length, 1);
    const hostileLabel = '<img src=x onerror="document.body.dataset.pwned=1"><b>bold</b>';
    saved.runs.push({ ...saved.runs[0], id: 99, label: hostileLabel, scope: 'someone-else' }, { id: 100, label: 'no kind, no phase' }, 'junk' as never);
    writeFileSync(stored, JSON.stringify(saved));
    const second = await open({ trusted: true, runner: false, again: first, settings: { 'parallelTasks.maxWorkers': 2, 'parallelTasks.cache': false } });
    await runFromPalette(second.page, 'Parallel Tasks: Show Panel');
    webview = panelFrame(second.page);
    await webview.locator('vscode-tab-header', { hasText: 'History' }).click();
    const restored = webview.locator('ul.history li').first();
    await restored.waitFor({ timeout: 60_000 });
    assert.equal(await restored.locator('.label').textContent(), 'Lint');
    assert.equal(await restored.locator('.found').textContent(), found, 'the run from before the restart, with its problems');
    assert.match((await restored.locator('.when').textContent()) ?? '', /\d/, 'with when it ran');
    // What was valid of the rest is shown, as text: no markup from the file reaches the page.
    assert.equal(await webview.locator('ul.history li').count(), 2, 'the entries that are not entries are dropped');
    assert.equal(await webview.locator('ul.history li').nth(1).locator('.label').textContent(), hostileLabel);
    assert.equal(await webview.locator('ul.history img, ul.history b').count(), 0);
    assert.equal(await webview.locator('body').getAttribute('data-pwned'), null);
    await second.page.screenshot({ path: path.join(artifacts, 'history-after-restart.png') });

    // Fixed meanwhile: the next lint is compared with the run before the restart.
    writeFileSync(path.join(second.workspace, 'src', 'problems.js'), 'export const fixed = 1;\n');
    await webview.getByRole('button', { name: 'Lint Workspace' }).first().click();
    await webview.locator('.header h2', { hasText: 'Lint — completed' }).waitFor({ timeout: 120_000 });
    await webview.locator('ul.history li').nth(2).waitFor({ timeout: 30_000 });
    const latest = webview.locator('ul.history li').first();
    assert.equal(await latest.locator('.new').textContent(), ' · +0 new');
    assert.equal(await latest.locator('.fixed').textContent(), ' · −4 fixed', 'the four problems of src/problems.js, fixed since the run before the restart');
    assert.equal(await webview.locator('.stats .compared').textContent(), '+0 new · −4 fixed', 'the run header says it too');
    assert.equal(await webview.locator('.timing.rules').count(), 0, 'rule times were not asked for this time');
    // Two workers at work and more than a second of it (the busy rule alone spins 3 s): the speedup is shown, and says what it is measured against.
    assert.equal(await webview.locator('.lane .done', { hasText: /^[1-9]/ }).count(), 2, 'both workers linted files');
    const speedup = webview.locator('.stats .speedup');
    assert.match((await speedup.textContent()) ?? '', /^speedup \d+\.\d\d×$/);
    assert.match((await speedup.getAttribute('title')) ?? '', /^Speedup over one worker: the files' own processing times added up \(.+\) divided by the elapsed time \(.+\) on 2 workers\.$/);
    await second.page.screenshot({ path: path.join(artifacts, 'history-compared-after-restart.png') });
  });

  it('panel: transform results held for review, compared in the diff editor, applied from the panel', async () => {
    const session = await open({
      trusted: true,
      runner: false,
      files: { 'fmt/a.js': 'const a = {x:1}\n', 'fmt/b.js': 'const b = {y:2}\n', 'fmt/c.js': 'const c = { z: 3 };\n' },
      settings: { 'parallelTasks.transform.review': 'panel' },
    });
    const { page } = session;
    await runFromPalette(page, 'Parallel Tasks: Transform…');
    await pickQuickInput(page, 'Prettier');
    await pickQuickInput(page, 'Whole workspace');
    const webview = panelFrame(page);
    await webview.locator('.row.transform', { hasText: 'fmt/a.js' }).waitFor({ timeout: 120_000 });
    assert.equal(await webview.locator('.row.transform', { hasText: 'fmt/c.js' }).count(), 0, 'an already formatted file is not listed');
    // The inline preview: a request the host answers with the unified diff.
    await webview.getByRole('button', { name: 'Preview changes to fmt/b.js' }).click();
    await webview.locator('.diff-preview .patch .add', { hasText: '+const b = { y: 2 };' }).waitFor({ timeout: 30_000 });
    assert.equal(await webview.locator('.diff-preview .patch .del').first().textContent(), '-const b = {y:2}\n');
    await webview.getByRole('button', { name: 'Compare fmt/a.js' }).click();
    await page.locator('.editor-instance .monaco-diff-editor .view-lines', { hasText: 'x: 1' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'panel-transform-review.png') });
    await webview.getByRole('button', { name: 'Apply fmt/a.js' }).click();
    await webview.locator('.row.transform.applied', { hasText: 'fmt/a.js' }).waitFor({ timeout: 30_000 });
    await webview.getByRole('button', { name: 'Discard fmt/b.js' }).click();
    await webview.locator('.row.transform.discarded', { hasText: 'fmt/b.js' }).waitFor({ timeout: 30_000 });
    await runFromPalette(page, 'File: Save All');
    await waitFor(() => readFileSync(path.join(session.workspace, 'fmt/a.js'), 'utf8') === 'const a = { x: 1 };\n', 'the applied file is formatted');
    assert.equal(readFileSync(path.join(session.workspace, 'fmt/b.js'), 'utf8'), 'const b = {y:2}\n', 'the discarded file is untouched');
  });

  it('from the palette: a custom task (stylelint) and two tasks.json tasks run in parallel; lanes in the panel, problems in Problems', async () => {
    const node = JSON.stringify(process.execPath);
    const stylelint = path.join(repoRoot, 'node_modules', 'stylelint', 'bin', 'stylelint.mjs');
    const matcher = { owner: 'pt-e2e', fileLocation: ['relative', '${workspaceFolder}'], pattern: { regexp: '^(.*):(\\d+):(\\d+): (warning|error): (.*)$', file: 1, line: 2, column: 3, severity: 4, message: 5 } };
    const session = await open({
      trusted: true,
      runner: false,
      files: {
        'styles/a.css': 'a { color: #ggg; }\nb {}\n',
        'styles/b.css': '.x { color: red; color: blue; }\n',
        'stylelint.config.mjs': 'export default { rules: { "color-no-invalid-hex": true, "block-no-empty": true } };\n',
        '.vscode/parallel-tasks.json': JSON.stringify({ tasks: [{ name: 'stylelint', command: [process.execPath, stylelint, '--formatter', 'unix', '${files}'], include: ['styles/*.css'], batchSize: 1, problemMatcher: '$unix' }] }),
        '.vscode/tasks.json': JSON.stringify({
          version: '2.0.0',
          tasks: [
            { label: 'e2e build', type: 'shell', command: `${node} -e "setTimeout(() => console.log('src/problems.js:1:1: warning: from e2e build'), 1500)"`, problemMatcher: matcher },
            { label: 'e2e check', type: 'shell', command: `${node} -e "setTimeout(() => process.exit(2), 2000)"`, problemMatcher: matcher },
          ],
        }),
      },
    });
    const { page } = session;

    await runFromPalette(page, 'Parallel Tasks: Run Custom Task');
    await pickQuickInput(page, 'stylelint');
    const status = page.locator('.statusbar-item[aria-label^="Parallel Tasks stylelint"]');
    await status
      .filter({ hasText: 'stylelint: 2 problems' })
      .first()
      .waitFor({ timeout: 60_000 })
      .finally(() => page.screenshot({ path: path.join(artifacts, 'custom-task-done.png') }));

    await runFromPalette(page, 'Parallel Tasks: Run VS Code Tasks in Parallel');
    for (const label of ['e2e build', 'e2e check']) {
      // In a multi-select quick pick a click on the row toggles its checkbox.
      await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
    }
    await page.keyboard.press('Enter');
    const webview = panelFrame(page);
    await webview.locator('.lane.task.running').nth(1).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(artifacts, 'tasks-running.png') });
    await webview.locator('.lane.task.failed', { hasText: 'e2e check' }).waitFor({ timeout: 60_000 });
    await webview.locator('.lane.task.succeeded', { hasText: 'e2e build' }).waitFor({ timeout: 60_000 });
    assert.match((await webview.locator('.lane.task.failed').textContent()) ?? '', /failed \(2\)/);
    // The custom task's problems (2) and the build task's warning, in VS Code's own Problems count.
    await page.locator('.statusbar-item[aria-label*="Warnings"]', { hasText: /1/ }).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    await page.screenshot({ path: path.join(artifacts, 'tasks-done.png') });
    const problems = (await page.locator('#status\\.problems').first().getAttribute('aria-label')) ?? '';
    assert.match(problems, /Errors: 2/, problems);
    assert.match(problems, /Warnings: 1/, problems);
  });

  it('panel: Cancel stops a long run and every worker goes idle', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`many/file${i}.js`] = generatedModule(i);
    const session = await open({ trusted: true, runner: false, files });
    const { page } = session;
    const webview = await startFromPanel(page, 'Lint Workspace');
    await webview.locator('.header h2', { hasText: 'running' }).waitFor({ timeout: 60_000 });
    await webview.locator('.lane.busy').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(artifacts, 'panel-running.png') });
    await webview.getByRole('button', { name: 'Cancel' }).click();
    await webview.locator('.header h2', { hasText: 'cancelled' }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(300);
    const states = await webview.locator('.lane .state').allTextContents();
    assert.ok(states.length >= 1);
    assert.deepEqual(new Set(states), new Set(['idle']), `worker states: ${states.join(', ')}`);
    assert.ok(Number(await webview.locator('.count.cancelled .n').textContent()) > 0);
    await page.screenshot({ path: path.join(artifacts, 'panel-cancelled.png') });
  });
});

/**
 * The lint-basic project's config plus a rule that spins 3 s on src/slow.js:
 * more than loading ESLint and the config costs any worker's first file, so
 * that file is the slowest and the rule the slowest by ESLint's own times.
 */
const BUSY_RULE_CONFIG = `import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const busy = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    return {
      Program() {
        const until = performance.now() + (context.filename.endsWith('slow.js') ? 3000 : 0);
        while (performance.now() < until);
      },
    };
  },
};

export default [
  { ignores: ['ignored/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts', '**/*.tsx'] })),
  {
    plugins: { local: { rules: { busy } } },
    rules: { 'local/busy': 'error', 'no-unused-vars': 'warn', eqeqeq: 'error', complexity: ['warn', 3], 'prefer-const': 'error' },
  },
];
`;

/** A file of that name anywhere under `dir`. */
function findFile(dir: string, name: string): string | undefined {
  const found = readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((entry) => path.basename(entry) === name);
  return found === undefined ? undefined : path.join(dir, found);
}

/** Waits until the status-bar item of a run of `title` reads `text`, and says what it read instead. */
async function statusBarShows(page: Page, title: string, text: string): Promise<void> {
  const item = page.locator(`.statusbar-item[aria-label^="Parallel Tasks ${title}"]`).first();
  let seen = '';
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    // The run's outcome, before any " · Problems live" that keeping Problems current adds.
    seen = ((await item.textContent({ timeout: 1000 }).catch(() => '')) ?? '').split(' · ')[0]?.trim() ?? '';
    if (seen === text) return;
    await page.waitForTimeout(200);
  }
  await page.screenshot({ path: path.join(artifacts, `status-bar-${title}.png`) });
  assert.equal(seen, text, `the status bar after ${title}`);
}
async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
