import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { SuiteReport } from '../integration/index';
import { launchBrowser, openWorkbench } from '../host/browser';
import { ensureCodeServer, installVsix, prepareExtensions, repoRoot, startCodeServer, type CodeServer } from '../host/code-server';
import { makeWorkspace } from '../host/workspace';

/** How many tests test/integration/extension.test.ts has for each mode: a test added there is counted here too. */
const INTEGRATION_TESTS = { trusted: 26, untrusted: 2 } as const;

/** Screenshots land here, one PNG per moment worth looking at. */
const artifacts = path.join(repoRoot, 'test-results');

interface Session {
  readonly server: CodeServer;
  readonly page: Page;
  readonly workspace: string;
  readonly scratch: string;
}

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

  afterEach(async () => {
    for (const session of sessions.splice(0)) {
      await session.page.context().close().catch(() => undefined);
      await session.server.stop();
      rmSync(session.workspace, { recursive: true, force: true });
      rmSync(session.scratch, { recursive: true, force: true });
    }
  });

  after(async () => {
    await browser?.close();
  });

  async function open(options: { trusted: boolean; runner: boolean; vsix?: boolean; files?: Record<string, string>; bare?: boolean; colorScheme?: 'dark' | 'light'; settings?: Record<string, unknown> }): Promise<Session> {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'pt-host-'));
    const workspace = makeWorkspace(options.files, options.bare);
    const extensionsDir = path.join(scratch, 'extensions');
    if (options.vsix) installVsix(extensionsDir);
    else prepareExtensions(extensionsDir, options.runner);
    const server = await startCodeServer({
      workspace,
      extensionsDir,
      userDataDir: path.join(scratch, 'data'),
      trusted: options.trusted,
      env: options.runner
        ? {
            PT_TEST_SUITE: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
            PT_TEST_RESULTS: path.join(scratch, 'results.json'),
            ...(process.env.PT_TEST_GREP ? { PT_TEST_GREP: process.env.PT_TEST_GREP } : {}),
            ...(process.env.PT_TEST_SHUFFLE ? { PT_TEST_SHUFFLE: process.env.PT_TEST_SHUFFLE } : {}),
          }
        : {},
      settings: { 'workbench.colorTheme': options.colorScheme === 'light' ? 'Default Light Modern' : 'Default Dark Modern', ...options.settings },
    });
    const page = await openWorkbench(browser, server.url, options.colorScheme);
    const session = { server, page, workspace, scratch };
    sessions.push(session);
    return session;
  }

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
    assert.equal(samples[samples.length - 1], `Lint: ${expected} problems`);

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

    await runFromPalette(page, 'Parallel Tasks: Transform');
    await pickQuickInput(page, 'Prettier');
    await pickQuickInput(page, 'Whole workspace');
    await waitFor(() => readFileSync(path.join(workspace, 'src/ugly.js'), 'utf8') === 'const a = { b: 1, c: "two" };\nexport { a };\n', 'Prettier formatted src/ugly.js');

    await runFromPalette(page, 'Parallel Tasks: Transform');
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

    await runFromPalette(page, 'Parallel Tasks: Transform');
    await pickQuickInput(page, 'Prettier');
    await pickQuickInput(page, 'Current file');
    const apply = page.getByRole('button', { name: 'Apply', exact: true });
    await apply.waitFor({ timeout: 60_000 });
    // Edits that need confirmation start unchecked: the user ticks what to take.
    await page.locator('.part.panel .monaco-list-row[aria-level="1"] input.edit-checkbox').first().click();
    await page.screenshot({ path: path.join(artifacts, 'e2e-transform-preview.png') });
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

  it('in an untrusted workspace the walkthrough offers Analyze, which needs no trust, instead of Lint', async () => {
    const { page } = await open({ trusted: false, runner: false });
    await runFromPalette(page, 'Parallel Tasks: Get Started');
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText('Analyze the workspace', { exact: true }).first().waitFor({ timeout: 60_000 });
    assert.equal(await walkthrough.getByText('Lint the workspace', { exact: true }).count(), 0);
    await page.screenshot({ path: path.join(artifacts, 'walkthrough-untrusted.png') });
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

  it('panel: transform results held for review, compared in the diff editor, applied from the panel', async () => {
    const session = await open({
      trusted: true,
      runner: false,
      files: { 'fmt/a.js': 'const a = {x:1}\n', 'fmt/b.js': 'const b = {y:2}\n', 'fmt/c.js': 'const c = { z: 3 };\n' },
      settings: { 'parallelTasks.transform.review': 'panel' },
    });
    const { page } = session;
    await runFromPalette(page, 'Parallel Tasks: Transform');
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

/** Opens the panel and starts a run with one of its empty-state buttons. */
async function startFromPanel(page: Page, button: 'Lint Workspace' | 'Analyze Workspace'): Promise<FrameLocator> {
  await runFromPalette(page, 'Parallel Tasks: Show Panel');
  const webview = panelFrame(page);
  await webview.getByRole('button', { name: button }).first().click();
  return webview;
}

/** The panel's content: VS Code nests each webview in two iframes. */
function panelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** A module with a few lint problems and some branching, unique per index. */
function generatedModule(i: number): string {
  const body = Array.from({ length: 40 }, (_, j) => `export function route${j}(req, res) {\n  if (req.a && req.b) {\n    return ${j};\n  } else if (req.c || req.d) {\n    return ${i};\n  }\n  for (const x of req.items ?? []) {\n    if (x == null) res.push(x);\n  }\n  return 0;\n}\n`).join('\n');
  return `let unused${i} = ${i};\n${body}`;
}

async function runFromPalette(page: Page, command: string): Promise<void> {
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

/** Waits until the status-bar item of a run of `title` reads `text`, and says what it read instead. */
async function statusBarShows(page: Page, title: string, text: string): Promise<void> {
  const item = page.locator(`.statusbar-item[aria-label^="Parallel Tasks ${title}"]`).first();
  let seen = '';
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    seen = ((await item.textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim();
    if (seen === text) return;
    await page.waitForTimeout(200);
  }
  await page.screenshot({ path: path.join(artifacts, `status-bar-${title}.png`) });
  assert.equal(seen, text, `the status bar after ${title}`);
}

async function pickQuickInput(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  try {
    await row.waitFor({ timeout: 30_000 });
  } catch (error) {
    await page.screenshot({ path: path.join(artifacts, `quick-input-missing-${label.replace(/\W+/g, '-')}.png`) });
    throw error;
  }
  await row.click();
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
