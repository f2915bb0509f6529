import * as assert from 'node:assert/strict';
import { spawnCli, type CliRun } from './cli';
import { createNamespace, namespaceSupport, type Namespace } from '../helpers/netns';
import { startRedis, uniquePrefix, type RedisServer } from '../helpers/redis-server';
import { redisCall } from '../helpers/resp';
import { FAST_LOCKS, killAll, machineCopy, startCli, startWorker, type CliProcess } from './queue-helpers';

const SLOW_FILES = 16;
const SLOW_MS = 200;

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Faults a queue must survive (issue 13): each time the answer equals the local run's, every file once.
describe('the queue under faults', function () {
  this.timeout(240_000);
  const cleanups: (() => void | Promise<void>)[] = [];
  const processes: CliProcess[] = [];

  afterEach(async () => {
    await killAll(processes.splice(0));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function redisFor(options: Parameters<typeof startRedis>[0] = {}): Promise<RedisServer> {
    const redis = await startRedis(options);
    cleanups.push(() => redis.stop());
    return redis;
  }

  function copy(label: string): string {
    const made = machineCopy(label, SLOW_FILES, SLOW_MS);
    cleanups.push(made.cleanup);
    return made.dir;
  }

  async function worker(redis: RedisServer, prefix: string, name: string, spawner?: Parameters<typeof startWorker>[5]): Promise<CliProcess> {
    const started = await startWorker(copy(name), redis.url, prefix, name, FAST_LOCKS, spawner);
    processes.push(started);
    return started;
  }

  function coordinate(redis: RedisServer, prefix: string, dir: string): CliProcess {
    const run = startCli(['lint', '-f', 'json', '--no-cache', '--queue', redis.url, '--queue-prefix', prefix, '.'], dir);
    processes.push(run);
    return run;
  }

  function assertSameAsLocal(queued: CliRun, local: CliRun): void {
    assert.equal(queued.status, local.status, queued.stderr);
    assert.equal(queued.stdout, local.stdout, 'every file once, with the local answer');
  }

  /** The run's batches left in Redis: waiting and active. */
  async function leftInQueue(redis: RedisServer, prefix: string): Promise<number[]> {
    const replies = await redisCall(redis, [
      ['LLEN', `${prefix}:batches:wait`],
      ['LLEN', `${prefix}:batches:active`],
    ]);
    return replies.map(Number);
  }

  it('a hung worker (SIGSTOP) past its lock time: its batch runs elsewhere, and its late answer is not counted', async () => {
    const redis = await redisFor();
    const prefix = uniquePrefix('stop');
    // Alone when the run starts, so the batch is the hung worker's (a run this small is one batch, and which of two
    // idle workers Redis hands it to is not ours to choose); the healthy one comes once it is held.
    const hung = await worker(redis, prefix, 'hung');
    const coordinator = copy('coordinator');
    const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
    const run = coordinate(redis, prefix, coordinator);
    await hung.waitFor(/running batch/);
    hung.child.kill('SIGSTOP');
    const healthy = await worker(redis, prefix, 'healthy');
    const queued = await run.exited;
    await healthy.waitFor(/finished batch/, 10_000);
    hung.child.kill('SIGCONT');
    assertSameAsLocal(queued, local);
  });

  it('Ctrl+C removes the waiting batches and stops the active one on its worker', async () => {
    const redis = await redisFor();
    const prefix = uniquePrefix('cancel');
    const busy = await worker(redis, prefix, 'busy');
    const run = coordinate(redis, prefix, copy('coordinator'));
    await busy.waitFor(/running batch/);
    run.child.kill('SIGINT');
    const cancelled = await run.exited;
    assert.equal(cancelled.status, 130, cancelled.stderr);
    await busy.waitFor(/stopped batch .*cancelled/, 10_000);
    assert.doesNotMatch(busy.stderr(), /finished batch/, 'the active batch was stopped, not finished');
    // The worker logs the stop before BullMQ moves the job out of the active list (one more round trip).
    for (let i = 0; i < 20 && (await leftInQueue(redis, prefix)).some((n) => n > 0); i++) await settle(250);
    assert.deepEqual(await leftInQueue(redis, prefix), [0, 0], 'nothing of the run is left waiting or active');
  });

  it('a coordinator killed mid-run does not confuse the next run, and its batches drain', async () => {
    const redis = await redisFor();
    const prefix = uniquePrefix('orphan');
    await worker(redis, prefix, 'one');
    await worker(redis, prefix, 'two');
    const coordinator = copy('coordinator');
    const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
    const killed = coordinate(redis, prefix, coordinator);
    await settle(1500);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const next = await coordinate(redis, prefix, coordinator).exited;
    assertSameAsLocal(next, local);
    for (let i = 0; i < 40 && (await leftInQueue(redis, prefix)).some((n) => n > 0); i++) await settle(500);
    assert.deepEqual(await leftInQueue(redis, prefix), [0, 0], 'the dead run\'s batches were run or skipped, not left behind');
  });

  it('Redis restarted between runs: the workers reconnect and the next run is complete', async () => {
    const redis = await redisFor();
    const prefix = uniquePrefix('restart');
    await worker(redis, prefix, 'steady');
    const coordinator = copy('coordinator');
    const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
    assertSameAsLocal(await coordinate(redis, prefix, coordinator).exited, local);
    await redis.restart();
    assertSameAsLocal(await coordinate(redis, prefix, coordinator).exited, local);
  });

  it('Redis restarted in the middle of a run (its data lost): the lost batches are queued again, and the answer is the local one', async () => {
    const redis = await redisFor();
    const prefix = uniquePrefix('midrun');
    const steady = await worker(redis, prefix, 'steady');
    const coordinator = copy('coordinator');
    const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
    const run = coordinate(redis, prefix, coordinator);
    await steady.waitFor(/running batch/);
    await redis.restart();
    const afterRestart = steady.stderr().length;
    const queued = await run.exited;
    assertSameAsLocal(queued, local);
    assert.doesNotMatch(queued.stderr, /crashed|Workers were lost/, 'a batch Redis lost is not a crash of its files');
    assert.match(queued.stderr, /lost \d+ batch(es)? \(Redis restarted\?\); queued again/, 'the restart hit the run, and it says so');
    // Its log after the restart: a batch it finished there came through the new Redis.
    for (let i = 0; i < 40 && !/finished batch/.test(steady.stderr().slice(afterRestart)); i++) await settle(250);
    assert.match(steady.stderr().slice(afterRestart), /finished batch/, 'the worker reconnected and ran the batches queued again');
  });

  describe('a worker on another machine (its own network namespace)', () => {
    let ns: Namespace;
    let redis: RedisServer;

    beforeEach(async function () {
      const support = namespaceSupport();
      if (!support.ok) {
        console.log(`      skipped: cannot create network namespaces here (${support.reason})`);
        this.skip();
      }
      ns = await createNamespace('queue');
      cleanups.push(() => ns.remove());
      // Reachable from the namespace only through the veth; a password, as on any non-loopback address.
      redis = await redisFor({ bind: [ns.hostAddress, '127.0.0.1'], password: 'queue-test-secret' });
    });

    const inNamespace = (dir: string) => (command: string, args: string[]) => ns.spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

    it('serves the queue through Redis\'s address alone, with the coordinator\'s answers', async () => {
      const prefix = uniquePrefix('netns');
      const dir = copy('remote');
      const remote = await startWorker(dir, redis.url, prefix, 'remote', FAST_LOCKS, inNamespace(dir));
      processes.push(remote);
      const coordinator = copy('coordinator');
      const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
      assertSameAsLocal(await coordinate(redis, prefix, coordinator).exited, local);
      assert.match(remote.stderr(), /finished batch/, 'the namespaced worker ran batches');
    });

    it('its network cut mid-batch: the batch runs elsewhere, nothing lost or doubled', async () => {
      const prefix = uniquePrefix('netcut');
      const dir = copy('remote');
      const remote = await startWorker(dir, redis.url, prefix, 'remote', FAST_LOCKS, inNamespace(dir));
      processes.push(remote);
      const coordinator = copy('coordinator');
      const local = spawnCli(['lint', '-f', 'json', '--no-cache', '.'], coordinator);
      const run = coordinate(redis, prefix, coordinator);
      // The remote worker is alone until it holds the batch (see the hung worker's test).
      await remote.waitFor(/running batch/);
      await ns.linkDown();
      const other = await worker(redis, prefix, 'local');
      const queued = await run.exited;
      await ns.linkUp();
      assertSameAsLocal(queued, local);
      await other.waitFor(/finished batch/, 10_000);
    });
  });
});
