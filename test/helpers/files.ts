// Paths and throw-away folders shared by the unit and system suites. Nothing
// here starts a process: the helpers that do live in test/system/cli.ts.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Repository root, from out/test/unit or out/test/system where the compiled tests run (both two levels under out/). */
export const repoRoot = path.resolve(__dirname, '../../..');
export const workerScript = path.join(repoRoot, 'dist', 'worker.js');
export const cliScript = path.join(repoRoot, 'dist', 'cli.js');
// A run of the CLI may start a daemon that outlives it and serves later runs warm (issue 14): every test that
// spawns the CLI imports cliScript from here, and none of them may leave one behind or be served by another
// test's. test/system/daemon.test.ts turns it on for its own runs, each with a private folder of its own.
process.env.PARALLEL_TASKS_DAEMON = '0';
export const behaviourWorker = path.resolve(__dirname, '../fixtures/workers/behaviours.js');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures', 'projects');

/** A temporary folder outside the repository (so no config of ours is found from it), removed by `cleanup`. */
export function tempDir(prefix = 'pt-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): string[] {
  return Object.entries(files).map(([name, content]) => {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  });
}

/**
 * Call inside a `describe`: returns a function that makes a temporary project
 * folder with the given files; every folder is removed after each test.
 */
export function scratchFolders(prefix?: string): (files: Record<string, string | Buffer>) => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return (files) => {
    const { dir, cleanup } = tempDir(prefix);
    cleanups.push(cleanup);
    writeFiles(dir, files);
    return dir;
  };
}
