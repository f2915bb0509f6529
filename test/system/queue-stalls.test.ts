import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnCli, type CliRun } from './cli';
import { exitWithin } from '../helpers/exits';
import { uniquePrefix } from '../helpers/redis-server';
import { FAST_LOCKS, killAll, machineCopy, queueSuite, startCli, startWorker, type CliProcess } from './queue-helpers';


/**
 * A rule that takes down the whole worker process (not just a pool thread) on one file, as a native crash or
 * the kernel's OOM killer would. Armed by an environment variable that only the workers get, so that the
 * coordinator's local run of the very same config (same cache keys) gives the reference answer.
 */
const POISON_CONFIG = `import base from './base.config.mjs';
const poison = { rules: { kill: { create(context) { return { Program() { if (process.env.PT_TEST_POISON === '1' && context.filename.endsWith('poison.js')) process.kill(process.pid, 'SIGKILL'); } }; } } } };
export default [...base, { plugins: { poison }, rules: { 'poison/kill': 'error' } }];
`;

type LintResult = { filePath: string; messages: { message: string }[] };

// Issue 13: a batch that keeps killing its workers ends the run with the file reported in words, never a hang;
// a worker told twice to stop hands its batch back to the queue, and the coordinator never sees a failure.
describe('the queue: batches that stall, and workers that stop', function () {
  this.timeout(120_000);
  const suite = queueSuite();
  const { processes, cleanups } = suite;

  function copy(label: string, generated: number, slowMs?: number): string {
    const made = machineCopy(label, generated, slowMs);
    cleanups.push(made.cleanup);
    return made.dir;
  }

  function poisoned(label: string): string {
    const dir = copy(label, 6);
    writeFileSync(`${dir}/base.config.mjs`, readFileSync(`${dir}/eslint.config.mjs`, 'utf8'));
    writeFileSync(`${dir}/eslint.config.mjs`, POISON_CONFIG);
    writeFileSync(`${dir}/gen/poison.js`, 'export const poison = 1;\n');
    return dir;
  }

  /**
   * A worker kept alive as systemd's Restart=always keeps it: each process the poison kills is replaced by a
   * new one at once. Returns how many were killed, and everything they printed.
   */
  function keepAlive(dir: string, prefix: string): { kills: () => number; log: () => string } {
    let kills = 0;
    let log = '';
    let current: CliProcess | undefined;
    let stopped = false;
    const armed = (command: string, args: string[]) => spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PT_TEST_POISON: '1' } });
    const start = (): void => {
      const started = startCli(['worker', '--queue', suite.redis.url, '--queue-prefix', prefix, '--name', `phoenix-${kills + 1}`, '--concurrency', '1', ...FAST_LOCKS], dir, armed);
      current = started;
      void started.exited.then((run) => {
        log += run.stderr;
        if (run.signal === 'SIGKILL' && !stopped) kills++;
        if (!stopped) start();
      });
    };
    start();
    cleanups.push(() => {
      stopped = true;
      return killAll([current]);
    });
    return { kills: () => kills, log: () => log + (current?.stderr() ?? '') };
  }

  function coordinate(prefix: string, dir: string, format = 'json'): CliProcess {
    const run = startCli(['lint', '-f', format, '--no-cache', '--queue', suite.redis.url, '--queue-prefix', prefix, '.'], dir);
    processes.push(run);
    return run;
  }

  it('a file that kills every worker that runs it is reported in words once the queue gives up; every other file has its local answer, once', async () => {
    const coordinator = poisoned('coordinator');
    const prefix = uniquePrefix('poison');
    const workers = keepAlive(poisoned('machine'), prefix);
    const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
    assert.equal(local.status, 1, local.stderr);
    const run = coordinate(prefix, coordinator);
    const ended = await exitWithin(run.child, 90_000);
    assert.notEqual(ended, 'still running', `the run hung; the workers printed:\n${workers.log()}`);
    const queued: CliRun = await run.exited;
    assert.equal(queued.status, 1, queued.stderr);
    const isPoison = (r: LintResult): boolean => r.filePath.endsWith('gen/poison.js');
    const got = JSON.parse(queued.stdout) as LintResult[];
    const expected = JSON.parse(local.stdout) as LintResult[];
    const poison = got.filter(isPoison);
    assert.equal(poison.length, 1, 'the poison file is reported once');
    const words = 'The workers running it stopped answering 3 times (killed, hung, or their machine gone)';
    assert.equal(poison[0]?.messages[0]?.message, `Parallel Tasks: ${words}`);
    assert.doesNotMatch(queued.stderr, /allowable limit/, 'BullMQ\'s own words do not reach the user');
    // Every other file exactly once, with the local answer: nothing lost and nothing doubled by the re-runs.
    assert.deepEqual(got.filter((r) => !isPoison(r)), expected.filter((r) => !isPoison(r)));
    // Each stall was a worker killed: three for the batch with every file, three more at most for the poison alone.
    assert.ok(workers.kills() >= 3 && workers.kills() <= 6, `${workers.kills()} workers killed:\n${workers.log()}`);
  });

  it('a worker told twice to stop hands its batch back: another worker finishes it, and the coordinator sees no failure', async () => {
    const coordinator = copy('coordinator', 16, 300);
    const prefix = uniquePrefix('handback');
    const leaving = await startWorker(copy('leaving', 16, 300), suite.redis.url, prefix, 'leaving', FAST_LOCKS);
    processes.push(leaving);
    // The pretty format, for its summary on stderr: it counts the workers lost and names the files that failed.
    const local = spawnCli(['lint', '--no-cache', '.'], coordinator);
    const run = coordinate(prefix, coordinator, 'pretty');
    // Mid-batch: it has begun the batch (every file, about 5 s of work at 300 ms a file) and is on its files.
    await leaving.waitFor(/running batch \S+/);
    const held = /running batch (\S+)/.exec(leaving.stderr())?.[1] as string;
    await new Promise((resolve) => setTimeout(resolve, 700));
    leaving.child.kill('SIGTERM');
    await leaving.waitFor(/taking no more batches/);
    const signalled = Date.now();
    leaving.child.kill('SIGTERM');
    assert.deepEqual(await exitWithin(leaving.child, 5000), { code: 0, signal: null }, leaving.stderr());
    const left = await leaving.exited;
    assert.ok(Date.now() - signalled < 3000, 'it stopped at once instead of finishing its batch');
    assert.match(left.stderr, new RegExp(`handed batch ${held} back to the queue`));
    assert.ok(!left.stderr.includes(`finished batch ${held}`), left.stderr);
    const finisher = await startWorker(copy('finisher', 16, 300), suite.redis.url, prefix, 'finisher', FAST_LOCKS);
    processes.push(finisher);
    const queued = await run.exited;
    assert.equal(queued.status, local.status, queued.stderr);
    assert.equal(queued.stdout, local.stdout, 'every file once, with the local answer');
    assert.ok(finisher.stderr().includes(`running batch ${held}`), `the finisher ran ${held}:\n${finisher.stderr()}`);
    // No crash was counted: the summary names no worker restart, and no file failed.
    const summary = (text: string): string[] => text.split('\n').filter((line) => /^error: |^Linted /.test(line)).map((line) => line.replace(/ with .*/, ''));
    assert.deepEqual(summary(queued.stderr), summary(local.stderr));
    assert.doesNotMatch(queued.stderr, /restart|failed/, queued.stderr);
  });
});
