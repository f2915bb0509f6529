import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { AVAILABLE_MEMORY_ENV } from '../../src/core/memory';
import { fixturesDir } from '../helpers/files';
import { runTool, spawnCli, type CliRun } from './cli';

const typeAware = path.join(fixturesDir, 'lint-type-aware');
const plain = path.join(fixturesDir, 'lint-basic');
const MESSAGE = /parallel-tasks: 1 worker instead of 2: each type-aware lint worker needs ~\d+ MB and 700 MB is free/;

/** The real CLI on worker processes with the machine's free memory set low (PARALLEL_TASKS_AVAILABLE_MEMORY_MB). */
function lint(cwd: string, availableMb: number, format = 'json'): CliRun {
  return spawnCli(['lint', '.', '--format', format, '--no-cache', '--no-gitignore', '--workers', '2', '--isolation', 'process'], cwd, {
    env: { ...process.env, [AVAILABLE_MEMORY_ENV]: String(availableMb) },
  });
}

/**
 * A type-aware config (typescript-eslint's projectService) makes every worker build its own TypeScript
 * program: ESLint's `--concurrency=auto` ran users out of memory there, so the CLI starts only as many
 * such workers as the free memory holds, and says so.
 */
describe('type-aware lint and free memory', () => {
  it('lints with fewer workers when memory is short, says why, and reports what the eslint CLI reports', () => {
    const run = lint(typeAware, 700);
    assert.match(run.stderr, MESSAGE);
    const eslint = runTool('eslint/bin/eslint.js', ['--format', 'json', '.'], typeAware);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, eslint.stdout);
    // The problem only type information finds is there: the workers built their program.
    assert.match(run.stdout, /@typescript-eslint\/no-floating-promises/);
    // The run's own account names the worker it ran on.
    assert.match(lint(typeAware, 700, 'pretty').stderr, /Linted 4 files with 1 worker process in/);
  });

  it('keeps the workers asked for when the memory holds them all', () => {
    const run = lint(typeAware, 20_000, 'pretty');
    assert.doesNotMatch(run.stderr, /instead of/);
    assert.match(run.stderr, /Linted 4 files with 2 worker processes in/);
  });

  it('keeps the workers asked for when the config is not type-aware, however little memory there is', () => {
    const run = lint(plain, 700, 'pretty');
    assert.doesNotMatch(run.stderr, /instead of/);
    assert.match(run.stderr, /with 2 worker processes in/);
  });
});
