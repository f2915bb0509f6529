// Helpers that start processes: the built CLI and the tools' own CLIs. Only
// the system suite uses them; test/unit never spawns a process.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as path from 'node:path';
import { cliScript, repoRoot } from '../helpers/files';

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

/** Runs a tool's own CLI (`bin` relative to node_modules) from this repository, as a user would. */
export function runTool(bin: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', bin), ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
