import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Repository root, from out/test/unit where the compiled tests run. */
export const repoRoot = path.resolve(__dirname, '../../..');
export const workerScript = path.join(repoRoot, 'dist', 'worker.js');
export const cliScript = path.join(repoRoot, 'dist', 'cli.js');
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

/** What a finished CLI run left: its exit, and everything it printed. */
export interface CliRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (dist/cli.js) as a user would, to the end. */
export function spawnCli(args: readonly string[], cwd: string, options: SpawnSyncOptions = {}): CliRun {
  const result = spawnSync(process.execPath, [cliScript, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  return { status: result.status, signal: result.signal, stdout: String(result.stdout), stderr: String(result.stderr) };
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
