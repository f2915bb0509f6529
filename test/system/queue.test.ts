import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnCli } from './cli';
import { startRedis, uniquePrefix } from '../helpers/redis-server';
import { machineCopy, queueSuite, startCli, startWorker, type CliProcess } from './queue-helpers';

// Batches through a real BullMQ queue on a real redis-server: workers are CLI processes in copies of the
// workspace of their own (other "machines"), and every answer must equal the local run's, byte for byte.
describe('the queue (BullMQ on Redis)', function () {
  this.timeout(180_000);
  const suite = queueSuite();
  const { processes, cleanups } = suite;

  function copy(label: string, generated: number, slowMs?: number): string {
    const made = machineCopy(label, generated, slowMs);
    cleanups.push(made.cleanup);
    return made.dir;
  }

  async function worker(dir: string, prefix: string, name: string, extra: readonly string[] = []): Promise<CliProcess> {
    const started = await startWorker(dir, suite.redis.url, prefix, name, extra);
    processes.push(started);
    return started;
  }

  it('lint, analyze and Prettier through the queue answer exactly as a local run, with the coordinator\'s paths', async () => {
    const coordinator = copy('coordinator', 10);
    const machine = copy('machine', 10);
    const prefix = uniquePrefix('parity');
    const served = await worker(machine, prefix, 'far');
    for (const args of [
      ['lint', '-f', 'json', '.'],
      ['lint', '-f', 'sarif', '.'],
      ['analyze', '-f', 'json', '.'],
      ['transform', '--prettier', '--diff', '.'],
    ]) {
      const local = spawnCli([...args, '--no-cache'], coordinator);
      const queued = spawnCli([...args, '--no-cache', '--queue', suite.redis.url, '--queue-prefix', prefix], coordinator);
      assert.equal(queued.status, local.status, `${args.join(' ')}: exit code\n${queued.stderr}`);
      assert.equal(queued.stdout, local.stdout, `${args.join(' ')}: output`);
      assert.ok(!queued.stdout.includes(machine), 'no path of the worker\'s checkout comes back');
      if (args[0] === 'transform') assert.match(queued.stderr, /with the queue's workers/);
    }
    // Its output is read once the loop turns again (spawnSync held it): the worker on the other checkout did the work.
    await served.waitFor(/finished batch/, 5000);
  });

  it('a worker whose copy of a file differs uses the coordinator\'s content, never its own', async () => {
    const coordinator = copy('coordinator', 0);
    const machine = copy('machine', 0);
    const prefix = uniquePrefix('stale');
    writeFileSync(`${machine}/src/clean.js`, 'var stale = 1; stale == 2;\n');
    await worker(machine, prefix, 'stale');
    const local = spawnCli(['lint', '-f', 'json', '--no-cache', 'src'], coordinator);
    const queued = spawnCli(['lint', '-f', 'json', '--no-cache', '--queue', suite.redis.url, '--queue-prefix', prefix, 'src'], coordinator);
    assert.equal(queued.stdout, local.stdout);
  });

  it('a worker killed in the middle of a batch loses nothing: its batch runs again elsewhere, and no file counts twice', async () => {
    const coordinator = copy('coordinator', 16, 200);
    const prefix = uniquePrefix('kill');
    const fast = ['--lock-duration', '1500', '--stalled-interval', '500'];
    const doomed = await worker(copy('doomed', 16, 200), prefix, 'doomed', fast);
    const survivorCopy = copy('survivor', 16, 200);
    const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
    const run = startCli(['lint', '-f', 'json', '--no-cache', '--queue', suite.redis.url, '--queue-prefix', prefix, '.'], coordinator);
    processes.push(run);
    // The doomed worker alone at first, so that it surely holds a batch; the survivor joins before the kill.
    await doomed.waitFor(/running batch/);
    const survivor = await worker(survivorCopy, prefix, 'survivor', fast);
    // Killed while it holds a batch: one it started and has not finished.
    const held = (): string[] => [...doomed.stderr().matchAll(/running batch (\S+)/g)].map((m) => m[1] as string).filter((id) => !doomed.stderr().includes(`finished batch ${id}`));
    for (let i = 0; i < 200 && held().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const killedHolding = held();
    doomed.child.kill('SIGKILL');
    const queued = await run.exited;
    assert.equal(queued.status, local.status, queued.stderr);
    assert.equal(queued.stdout, local.stdout, 'every file once, with the local answer');
    // The batch it held when it died ran again on the survivor, once its lock expired.
    assert.equal(killedHolding.length, 1, doomed.stderr());
    assert.ok(survivor.stderr().includes(`running batch ${killedHolding[0]}`), `the survivor ran ${killedHolding[0]}:\n${survivor.stderr()}`);
  });

  it('shares results between machines in Redis: a second coordinator\'s unchanged files come from the shared cache, with its own paths', async () => {
    const first = copy('first', 10);
    const second = copy('second', 10);
    const prefix = uniquePrefix('shared');
    const served = await worker(copy('machine', 10), prefix, 'sharer');
    const queue = ['--queue', suite.redis.url, '--queue-prefix', prefix];
    // Each coordinator has a cache file of its own: only Redis is shared.
    const cacheOf = (dir: string): string[] => ['--cache-location', `${dir}.cache.json`];
    cleanups.push(() => rmSync(`${first}.cache.json`, { force: true }), () => rmSync(`${second}.cache.json`, { force: true }));
    const filled = spawnCli(['lint', ...queue, ...cacheOf(first), '.'], first);
    assert.doesNotMatch(filled.stderr, /from cache/);
    await served.waitFor(/finished batch/, 5000);
    // The first run is over, so all its lines are in the pipe; let the loop read them (spawnSync held it).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const logBefore = served.stderr().length;
    const local = spawnCli(['lint', '--no-cache', '.'], second);
    const answered = spawnCli(['lint', ...queue, ...cacheOf(second), '.'], second);
    assert.equal(answered.status, local.status, answered.stderr);
    assert.equal(answered.stdout, local.stdout, 'the shared results name the second checkout\'s files');
    const summary = /(\d+) from cache \((\d+) from the queue's shared cache\)/.exec(answered.stderr);
    assert.ok(summary, answered.stderr);
    assert.equal(summary[1], summary[2], 'every cached file came from the shared cache (this checkout had none)');
    assert.equal(summary[1], /Linted (\d+) files/.exec(answered.stderr)?.[1], 'every file was answered from it');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Only the file the ESLint config ignores ran again: a skipped file's answer is not cached.
    const ranAgain = [...served.stderr().slice(logBefore).matchAll(/running batch \S+ of \S+: (\d+ files?.*)/g)].map((m) => m[1]);
    assert.deepEqual(ranAgain, ['1 file (ignored/skip.js)'], served.stderr());
  });

  it('a transform through the queue is written by the coordinator only, never in the worker\'s checkout', async () => {
    const coordinator = copy('coordinator', 4);
    const machine = copy('machine', 4);
    const prefix = uniquePrefix('write');
    await worker(machine, prefix, 'writer');
    const ugly = 'export const  x = {a:1,\n b:2}\n';
    writeFileSync(`${coordinator}/src/ugly.js`, ugly);
    writeFileSync(`${machine}/src/ugly.js`, ugly);
    const run = spawnCli(['transform', '--prettier', '--write', '--no-cache', '--queue', suite.redis.url, '--queue-prefix', prefix, 'src'], coordinator);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(readFileSync(`${coordinator}/src/ugly.js`, 'utf8'), 'export const x = { a: 1, b: 2 };\n');
    assert.equal(readFileSync(`${machine}/src/ugly.js`, 'utf8'), ugly, 'the worker\'s checkout is never written');
  });

  it('a file that crashes its worker every time is reported with the reason; every other file has its answer', async () => {
    const coordinator = copy('coordinator', 6);
    const machine = copy('machine', 6);
    const prefix = uniquePrefix('crash');
    // A rule that ends the worker it runs in, on one file only: the same config on both machines.
    for (const dir of [coordinator, machine]) {
      writeFileSync(`${dir}/base.config.mjs`, readFileSync(`${dir}/eslint.config.mjs`, 'utf8'));
      writeFileSync(
        `${dir}/eslint.config.mjs`,
        `import base from './base.config.mjs';\nconst crash = { rules: { now: { create(context) { return { Program() { if (context.filename.endsWith('gen/file-003.js')) process.exit(7); } }; } } } };\nexport default [...base, { plugins: { crash }, rules: { 'crash/now': 'error' } }];\n`,
      );
    }
    await worker(machine, prefix, 'crashy');
    const run = spawnCli(['lint', '-f', 'json', '--no-cache', '--queue', suite.redis.url, '--queue-prefix', prefix, '.'], coordinator);
    assert.notEqual(run.status, 0, run.stderr);
    const results = JSON.parse(run.stdout) as { filePath: string; messages: { message: string }[] }[];
    const crashed = results.find((r) => r.filePath.endsWith('gen/file-003.js'));
    assert.match(crashed?.messages[0]?.message ?? '', /exited unexpectedly with code 7/);
    const others = results.filter((r) => r !== crashed && r.filePath.includes('/gen/'));
    assert.equal(others.length, 5);
    for (const other of others) assert.ok(other.messages.some((m) => /Expected '===' and instead saw '=='/.test(m.message)), other.filePath);
  });

  it('a custom task through the queue runs its command on the worker and answers as locally; a stale copy is an error, never its answer', async () => {
    const coordinator = copy('coordinator', 6);
    const machine = copy('machine', 6);
    const prefix = uniquePrefix('custom');
    // The same task in both checkouts: a program that reports one warning per file, with gcc's format.
    for (const dir of [coordinator, machine]) {
      mkdirSync(`${dir}/.vscode`, { recursive: true });
      writeFileSync(`${dir}/report.js`, "for (const f of process.argv.slice(2)) console.log(`${f}:1:1: warning: seen ${require('fs').readFileSync(f, 'utf8').length} bytes`);\n");
      writeFileSync(`${dir}/.vscode/parallel-tasks.json`, JSON.stringify({ tasks: [{ name: 'report', command: [process.execPath, 'report.js', '${files}'], include: ['gen/**/*.js'], problemMatcher: '$gcc', batchSize: 2 }] }));
    }
    writeFileSync(`${machine}/gen/file-002.js`, 'stale\n');
    const served = await worker(machine, prefix, 'tasks');
    const local = spawnCli(['run', 'report', '-f', 'json'], coordinator);
    const queued = spawnCli(['run', 'report', '-f', 'json', '--queue', suite.redis.url, '--queue-prefix', prefix], coordinator);
    type Report = { problems: { file: string; message: string }[]; errors: { path: string; error: string }[] };
    const expected = JSON.parse(local.stdout) as Report;
    const got = JSON.parse(queued.stdout) as Report;
    const isStale = (problem: { file: string }): boolean => problem.file.endsWith('gen/file-002.js');
    assert.equal(expected.problems.length, 6);
    // Every other file's problems, with the coordinator's paths, as the command reported them here.
    assert.deepEqual(got.problems, expected.problems.filter((p) => !isStale(p)), queued.stderr);
    assert.deepEqual(got.errors.map((e) => [path.relative(coordinator, e.path), e.error]), [['gen/file-002.js', "worker tasks on " + os.hostname() + "'s copy of this file differs from the coordinator's, and the task's program reads its own copy"]]);
    assert.notEqual(queued.status, 0, 'a file not checked is not a success');
    await served.waitFor(/finished batch/, 5000);
  });

  it('with no worker it says so, and ends with exit 2 after --queue-timeout', async () => {
    const coordinator = copy('coordinator', 0);
    const started = Date.now();
    const run = spawnCli(['lint', '--queue', suite.redis.url, '--queue-prefix', uniquePrefix('none'), '--queue-timeout', '6', '.'], coordinator);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /waiting for workers on redis:\/\/127\.0\.0\.1:\d+/);
    assert.match(run.stderr, /no worker served the queue at redis:\/\/127\.0\.0\.1:\d+ within 6 s/);
    assert.ok(Date.now() - started >= 6000);
  });

  it('--workers N serves the queue from the coordinator itself', async () => {
    const coordinator = copy('coordinator', 10);
    const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
    const queued = spawnCli(['lint', '-f', 'json', '--no-cache', '--workers', '2', '--queue', suite.redis.url, '--queue-prefix', uniquePrefix('self'), '.'], coordinator);
    assert.equal(queued.status, local.status, queued.stderr);
    assert.equal(queued.stdout, local.stdout);
  });

  it('a Redis it cannot use is reported at once, in its own words: nobody listening, a password missing or wrong', async () => {
    const coordinator = copy('coordinator', 0);
    const locked = await startRedis({ password: 'right-one' });
    try {
      const started = Date.now();
      const nobody = spawnCli(['lint', '--queue', 'redis://127.0.0.1:1', '.'], coordinator);
      assert.equal(nobody.status, 2);
      assert.match(nobody.stderr, /cannot use the queue at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
      const anonymous = spawnCli(['lint', '--queue', `redis://127.0.0.1:${locked.port}`, '.'], coordinator);
      assert.equal(anonymous.status, 2);
      assert.match(anonymous.stderr, /cannot use the queue at redis:\/\/127\.0\.0\.1:\d+: NOAUTH/);
      const wrong = spawnCli(['worker', '--queue', `redis://:wrong-one@127.0.0.1:${locked.port}`], coordinator);
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, /cannot use the queue at redis:\/\/127\.0\.0\.1:\d+: WRONGPASS/);
      assert.ok(!wrong.stderr.includes('wrong-one'), 'the password is never printed');
      assert.ok(Date.now() - started < 30_000, 'at once, not after retries');
    } finally {
      await locked.stop();
    }
  });

  it('refuses Redis without a password on an address other than loopback unless --insecure, before connecting', () => {
    const coordinator = copy('coordinator', 0);
    const run = spawnCli(['lint', '--queue', 'redis://10.255.255.1:6379', '.'], coordinator);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /refusing Redis without a password at 10\.255\.255\.1/);
    const worker = spawnCli(['worker', '--queue', 'redis://10.255.255.1:6379'], coordinator);
    assert.equal(worker.status, 2);
    assert.match(worker.stderr, /refusing Redis without a password/);
    const badUrl = spawnCli(['lint', '--queue', 'http://127.0.0.1:6379', '.'], coordinator);
    assert.equal(badUrl.status, 2);
    assert.match(badUrl.stderr, /--queue must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});
