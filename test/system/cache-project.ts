import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { cliScript, tempDir, writeFiles } from '../helpers/files';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI in `cwd`; XDG_CACHE_HOME points into `home` so that no run sees a cache of another test. */
export function runCli(args: readonly string[], cwd: string, home: string): CliRun {
  const result = spawnSync(process.execPath, [cliScript, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, XDG_CACHE_HOME: home } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface CacheProject {
  /** The project folder: what the CLI runs in. */
  readonly dir: string;
  /** The cache file, outside the project so that no run discovers it as a source file. */
  readonly cacheFile: string;
  /** Runs the CLI in the project with the cache at `cacheFile`. */
  readonly cached: (args: readonly string[]) => CliRun;
  /** Runs the CLI in the project without any cache: the answer a cached run must give. */
  readonly uncached: (args: readonly string[]) => CliRun;
  readonly cleanup: () => void;
}

export function cacheProject(files: Record<string, string>): CacheProject {
  const { dir: root, cleanup } = tempDir('pt-cache-test-');
  const dir = path.join(root, 'project');
  writeFiles(dir, files);
  const cacheFile = path.join(root, 'cache', 'results.json');
  return {
    dir,
    cacheFile,
    cached: (args) => runCli([...args, '--workers', '0', '--cache-location', cacheFile], dir, root),
    uncached: (args) => runCli([...args, '--workers', '0', '--no-cache'], dir, root),
    cleanup,
  };
}
