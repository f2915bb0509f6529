// The CLI's daemon (issue 14), with real processes: the CLI, the detached daemon it starts and the daemon's
// workers. No timing is asserted: that a run was served warm shows in the daemon's own count of runs.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot, writeFiles } from '../helpers/files';
import { CONFIG, daemonSuite, pluginSource, sockets, sources, until } from './daemon-helpers';
import { alive } from '../helpers/exits';

const LINT = ['lint', 'src', '--format', 'json', '--no-cache', '--workers', '2'];

describe('CLI daemon', function () {
  this.timeout(180_000);
  const suite = daemonSuite();

  it('prints what a run without it prints, and serves the second run from the warm pool it started on the first', () => {
    suite.project();
    const local = suite.cli([...LINT, '--no-daemon']);
    assert.equal(local.status, 1, local.stderr);
    assert.equal(suite.status(), null, '--no-daemon started a daemon');
    const first = suite.cli(LINT);
    const second = suite.cli(LINT);
    assert.equal(first.stdout, local.stdout);
    assert.equal(second.stdout, local.stdout);
    assert.equal(second.status, 1);
    const status = suite.status();
    assert.equal(status?.runs, 2, 'both runs went to the daemon');
    assert.equal(status?.pools.length, 1, 'the second run found the pool of the first');
  });

  it('picks up a new rule in the config, and a changed local plugin, instead of answering from the warm pool', () => {
    const dir = suite.project();
    assert.match(suite.cli(LINT).stdout, /marker v1/);
    writeFileSync(path.join(dir, 'eslint.config.cjs'), `const local = require('./plugin.js');\nmodule.exports = [{ plugins: { local }, rules: { 'local/marker': 'warn', 'no-unused-vars': 'error', 'prefer-const': 'error', 'no-var': 'error' } }];\n`);
    writeFileSync(path.join(dir, 'src', 'dir0', 'file0.js'), 'var old = 1;\nexport { old };\n');
    const afterConfig = suite.cli(LINT);
    assert.match(afterConfig.stdout, /"ruleId":"no-var"/, 'the new rule must report');
    writeFileSync(path.join(dir, 'plugin.js'), pluginSource('v2'));
    const afterPlugin = suite.cli(LINT);
    assert.match(afterPlugin.stdout, /marker v2/);
    assert.doesNotMatch(afterPlugin.stdout, /marker v1/);
    assert.equal(afterPlugin.stdout, suite.cli([...LINT, '--no-daemon']).stdout);
    assert.equal(suite.status()?.runs, 3, 'all three runs went to the daemon');
  });

  it('picks up a config file added in a subfolder', () => {
    const dir = suite.project();
    suite.cli(LINT);
    writeFileSync(path.join(dir, 'src', 'dir1', 'eslint.config.cjs'), `module.exports = [{ rules: { 'no-unused-vars': 'off', 'eqeqeq': 'error' } }];\n`);
    const after = suite.cli(LINT);
    assert.equal(after.stdout, suite.cli([...LINT, '--no-daemon']).stdout);
    assert.equal(suite.status()?.runs, 2);
  });

  it('picks up a change to the config of a folder above the one the run starts in', () => {
    const dir = suite.project();
    const sub = path.join(dir, 'src');
    const args = ['lint', '.', '--format', 'json', '--no-cache', '--workers', '2'];
    try {
      assert.match(suite.cli(args, {}, sub).stdout, /marker v1/);
      writeFileSync(path.join(dir, 'plugin.js'), pluginSource('v2'));
      const after = suite.cli(args, {}, sub);
      assert.match(after.stdout, /marker v2/);
      assert.doesNotMatch(after.stdout, /marker v1/);
    } finally {
      // The daemon of the subfolder: the suite's cleanup stops the project root's.
      suite.cli(['daemon', 'stop'], {}, sub);
    }
  });

  it('picks up a new version of the project\'s own ESLint', () => {
    // Inside the repository, so that the project's copy of ESLint finds its dependencies in our node_modules.
    const dir = path.join(repoRoot, 'out', `daemon-eslint-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFiles(dir, { 'eslint.config.cjs': CONFIG, 'plugin.js': pluginSource('v1'), ...sources(4) });
    cpSync(path.join(repoRoot, 'node_modules', 'eslint'), path.join(dir, 'node_modules', 'eslint'), { recursive: true });
    // --no-gitignore: the repository's .gitignore leaves out/ out.
    const sarif = ['lint', 'src', '--format', 'sarif', '--no-cache', '--no-gitignore', '--workers', '2'];
    const version = (run: { stdout: string }): string => (JSON.parse(run.stdout) as { runs: { tool: { driver: { version: string } } }[] }).runs[0]?.tool.driver.version ?? '';
    try {
      const before = version(suite.cli(sarif, {}, dir));
      const manifest = path.join(dir, 'node_modules', 'eslint', 'package.json');
      writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(`"version": "${before}"`, '"version": "99.0.0"'));
      assert.equal(version(suite.cli(sarif, {}, dir)), '99.0.0', 'the warm pool must not answer with the ESLint it loaded before');
    } finally {
      suite.cli(['daemon', 'stop'], {}, dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps its pool while the heap cap a run asks for stays near the pool\'s, and replaces it beyond', () => {
    suite.project();
    const heap = (mb: number): void => assert.equal(suite.cli(LINT, { PARALLEL_TASKS_WORKER_HEAP_MB: String(mb) }).status, 1);
    heap(1000);
    heap(1200);
    assert.deepEqual(suite.status()?.pools.map((p) => p.heapMb), [1000], 'a cap near the pool\'s keeps it warm');
    heap(3000);
    const status = suite.status();
    assert.deepEqual(status?.pools.map((p) => p.heapMb), [3000]);
    assert.equal(status?.runs, 3);
  });

  it('is not used under CI=true unless --daemon, nor with --no-daemon or PARALLEL_TASKS_DAEMON=0', () => {
    suite.project();
    for (const [args, env] of [
      [LINT, { CI: 'true' }],
      [[...LINT, '--no-daemon'], {}],
      [LINT, { PARALLEL_TASKS_DAEMON: '0' }],
    ] as const) {
      const run = suite.cli(args, env);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(suite.status(), null, `${args.join(' ')} ${JSON.stringify(env)} started a daemon`);
      assert.deepEqual(sockets(suite.runtime()), []);
    }
    suite.cli([...LINT, '--daemon'], { CI: 'true' });
    assert.equal(suite.status()?.runs, 1, '--daemon wins over CI=true');
  });

  it('does not start one for a run too small for workers, but serves such a run when one is warm', () => {
    suite.project(sources(2));
    const small = ['lint', 'src', '--format', 'json', '--no-cache'];
    const alone = suite.cli(small);
    assert.equal(alone.status, 1, alone.stderr);
    assert.equal(suite.status(), null, 'a small run started a daemon');
    suite.cli(LINT);
    const served = suite.cli(small);
    assert.equal(served.stdout, alone.stdout);
    assert.equal(suite.status()?.runs, 2, 'the small run went to the warm daemon');
  });

  it('stops on `daemon stop`, and ends by itself once idle for PARALLEL_TASKS_DAEMON_IDLE', async () => {
    suite.project();
    suite.cli(['daemon', 'start']);
    const pid = suite.status()?.pid;
    assert.ok(pid);
    assert.match(suite.cli(['daemon', 'stop']).stdout, /stopped/);
    assert.equal(suite.status(), null);
    assert.equal(suite.cli(['daemon', 'status']).status, 3);
    await until(() => !alive(pid), 'the stopped daemon to exit', 10_000);
    assert.deepEqual(sockets(suite.runtime()), [], 'its socket is gone');
    suite.cli(LINT, { PARALLEL_TASKS_DAEMON_IDLE: '1' });
    const idle = suite.status()?.pid;
    assert.ok(idle);
    await until(() => !alive(idle), 'the idle daemon to end', 10_000);
  });
});
