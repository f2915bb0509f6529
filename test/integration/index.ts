import { format } from 'node:util';
import Mocha from 'mocha';
import { globbySync } from 'globby';

export interface SuiteReport {
  readonly passed: number;
  readonly failed: number;
  readonly log: string[];
  readonly failures: { title: string; error: string }[];
}

/**
 * Runs the integration suite in the current extension host. The mode (trusted
 * or not) is VS Code's own `workspace.isTrusted`; each test file picks the
 * tests that apply.
 */
export async function runSuite(): Promise<SuiteReport> {
  const log: string[] = [];
  // The spec reporter prints through Base.consoleLog; keep its lines for the host-side report.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => log.push(format(...args));
  // PT_TEST_GREP picks tests by title (bench/run.mjs runs only the measurements).
  const grep = process.env.PT_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const file of globbySync('*.test.js', { cwd: __dirname, absolute: true })) mocha.addFile(file);
  const failures: { title: string; error: string }[] = [];
  const passed = await new Promise<number>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats?.passes ?? 0));
    runner.on('fail', (test, error: Error) => failures.push({ title: test.fullTitle(), error: error.stack ?? String(error) }));
  });
  return { passed, failed: failures.length, log, failures };
}

/** Entry point for @vscode/test-electron (`extensionTestsPath`), on machines where desktop VS Code can be downloaded. */
export async function run(): Promise<void> {
  const report = await runSuite();
  process.stdout.write(`${report.log.join('\n')}\n`);
  if (report.failed > 0) throw new Error(`${report.failed} integration test(s) failed`);
}
