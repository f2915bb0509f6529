import { format } from 'node:util';
import Mocha from 'mocha';
import { globbySync } from 'globby';

export interface SuiteReport {
  /** Tests selected to run (after PT_TEST_GREP): passed + failed + pending when the suite ran to the end. */
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
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
  // PT_TEST_GREP picks tests by title (bench/run.mjs runs only the measurements, a single test can be run alone).
  const grep = process.env.PT_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const file of globbySync('*.test.js', { cwd: __dirname, absolute: true })) mocha.addFile(file);
  // PT_TEST_SHUFFLE=<seed> runs the tests of each suite in a seeded random order: a test that leans on
  // what an earlier one left behind fails, and the same seed replays the same order.
  const seed = process.env.PT_TEST_SHUFFLE;
  if (seed) {
    // Reordered as each test file has been loaded (run() loads them), once its tests exist.
    mocha.suite.on(Mocha.Suite.constants.EVENT_FILE_POST_REQUIRE, () => shuffleTests(mocha.suite, Number(seed)));
    log.push(`tests shuffled with PT_TEST_SHUFFLE=${seed}`);
  }
  const failures: { title: string; error: string }[] = [];
  const stats = await new Promise<{ total: number; passed: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ total: runner.total, passed: runner.stats?.passes ?? 0, pending: runner.stats?.pending ?? 0 }));
    runner.on('fail', (test, error: Error) => failures.push({ title: test.fullTitle(), error: error.stack ?? String(error) }));
  });
  return { ...stats, failed: failures.length, log, failures };
}

/** Reorders the tests of `suite` and of every suite inside it (hooks stay where they are), from a seed. */
function shuffleTests(suite: Mocha.Suite, seed: number): void {
  let state = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  const random = (): number => (state = (state * 16807) % 2147483647) / 2147483647;
  const visit = (current: Mocha.Suite): void => {
    const tests = current.tests;
    for (let i = tests.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [tests[i], tests[j]] = [tests[j] as Mocha.Test, tests[i] as Mocha.Test];
    }
    current.suites.forEach(visit);
  };
  visit(suite);
}

/** Entry point for @vscode/test-electron (`extensionTestsPath`), on machines where desktop VS Code can be downloaded. */
export async function run(): Promise<void> {
  const report = await runSuite();
  process.stdout.write(`${report.log.join('\n')}\n`);
  if (report.failed > 0) throw new Error(`${report.failed} integration test(s) failed`);
}
