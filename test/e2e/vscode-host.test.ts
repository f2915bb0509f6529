import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SuiteReport } from '../integration/index';
import { launchBrowser, openWorkbench } from '../host/browser';
import { ensureCodeServer, prepareExtensions, repoRoot, startCodeServer, type CodeServer } from '../host/code-server';
import { makeWorkspace } from '../host/workspace';

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

  async function open(options: { trusted: boolean; runner: boolean; files?: Record<string, string>; colorScheme?: 'dark' | 'light' }): Promise<Session> {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'pt-host-'));
    const workspace = makeWorkspace(options.files);
    const extensionsDir = path.join(scratch, 'extensions');
    prepareExtensions(extensionsDir, options.runner);
    const server = await startCodeServer({
      workspace,
      extensionsDir,
      userDataDir: path.join(scratch, 'data'),
      trusted: options.trusted,
      env: options.runner
        ? { PT_TEST_SUITE: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'), PT_TEST_RESULTS: path.join(scratch, 'results.json') }
        : {},
      settings: { 'workbench.colorTheme': options.colorScheme === 'light' ? 'Default Light Modern' : 'Default Dark Modern' },
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
    assert.ok(report.passed >= (trusted ? 9 : 2), `${report.passed} tests passed inside VS Code`);
  }

  it('passes the integration suite inside the extension host (trusted workspace)', () => runSuite(true));

  it('passes the integration suite inside the extension host (restricted mode: untrusted workspace)', () => runSuite(false));

  it('runs Lint Workspace from the command palette; the status bar counts up, then shows what eslint reports', async () => {
    // Enough files that the run lasts a few seconds and the live count can be watched.
    const problems = readFileSync(path.join(repoRoot, 'test/fixtures/projects/lint-basic/src/problems.js'), 'utf8');
    const complex = readFileSync(path.join(repoRoot, 'test/fixtures/projects/lint-basic/src/nested/complex.js'), 'utf8');
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`many/file${i}.js`] = `${complex.repeat(30)}\n${problems}`.replace(/export function route/g, (m, at: number) => `${m}${at}`);
    const session = await open({ trusted: true, runner: false, files });
    const { page } = session;

    const eslint = execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '.'], { cwd: session.workspace, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    void eslint;
  });
});
