import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { spawnCli, type CliRun } from './cli';
import { startRedis, uniquePrefix, type RedisServer } from '../helpers/redis-server';
import { killAll, machineCopy, startWorker, type CliProcess } from './queue-helpers';

// The queue through a TLS-only redis-server (rediss://) with a password, as a company's managed Redis is: its
// certificate is signed by a private CA, which the coordinator and the workers trust only when given it in
// NODE_EXTRA_CA_CERTS. The mistakes a user makes on the way must end at once, with exit 2 and a message that
// says what to do, and the password must never be printed.
describe('the queue over TLS (rediss://) with a password', function () {
  this.timeout(60_000);
  // Random, so that finding it in any output can only mean it was printed.
  const password = `tls-pw-${randomBytes(8).toString('hex')}`;
  /** A failure must end well before this; spawnSync kills it then, so a hang fails the test instead of mocha's timeout. */
  const FAIL_WITHIN_MS = 20_000;
  let redis: RedisServer;
  let coordinator: string;
  const cleanups: (() => void)[] = [];
  const processes: CliProcess[] = [];

  before(async () => {
    redis = await startRedis({ tls: true, password });
    const made = machineCopy('tls-coordinator', 8);
    cleanups.push(made.cleanup);
    coordinator = made.dir;
  });
  after(async () => {
    await killAll(processes.splice(0));
    for (const cleanup of cleanups.splice(0)) cleanup();
    await redis?.stop();
  });

  /** The environment of a process given the CA (`trusted`), or not: without NODE_EXTRA_CA_CERTS even if ours has it. */
  function env(trusted: boolean): NodeJS.ProcessEnv {
    const copy = { ...process.env };
    delete copy.NODE_EXTRA_CA_CERTS;
    delete copy.PARALLEL_TASKS_QUEUE; // the queue comes from --queue only
    return trusted ? { ...copy, NODE_EXTRA_CA_CERTS: redis.caFile } : copy;
  }

  function assertNoPassword(run: { stdout: string; stderr: string }, what: string): void {
    assert.ok(!run.stdout.includes(password) && !run.stderr.includes(password), `${what} printed the password`);
  }

  /** A CLI run that must fail: exit 2, quickly, with its stderr matching every pattern, and no password in it. */
  function assertRefused(args: readonly string[], trusted: boolean, patterns: readonly RegExp[]): CliRun {
    const started = Date.now();
    const run = spawnCli(args, coordinator, { env: env(trusted), timeout: FAIL_WITHIN_MS });
    const took = Date.now() - started;
    assert.equal(run.signal, null, `${args[0]} did not end within ${FAIL_WITHIN_MS} ms (a hang):\n${run.stderr}`);
    assert.equal(run.status, 2, run.stderr);
    for (const pattern of patterns) assert.match(run.stderr, pattern);
    assertNoPassword(run, args[0]);
    // The probe gives up after 5 s without an answer; the rest is the CLI's start-up on a busy machine.
    assert.ok(took < 12_000, `at once, not after retries: ${took} ms`);
    return run;
  }

  it('a worker and a coordinator given the CA answer exactly as a local run, and never print the password', async () => {
    assert.match(redis.url, /^rediss:\/\/:[^@]+@127\.0\.0\.1:\d+$/);
    const machine = machineCopy('tls-machine', 8);
    cleanups.push(machine.cleanup);
    const prefix = uniquePrefix('tls');
    const trusting = env(true);
    const served = await startWorker(machine.dir, redis.url, prefix, 'tls-worker', [], (command, args) => spawn(command, args, { cwd: machine.dir, env: trusting, stdio: ['ignore', 'pipe', 'pipe'] }));
    processes.push(served);
    const local = spawnCli(['lint', '--format', 'json', '--no-cache', '.'], coordinator, { env: env(false) });
    const queued = spawnCli(['lint', '--queue', redis.url, '--queue-prefix', prefix, '--format', 'json', '--no-cache', '.'], coordinator, { env: trusting });
    assert.equal(queued.status, local.status, queued.stderr);
    assert.equal(queued.stdout, local.stdout);
    assert.ok((JSON.parse(local.stdout) as unknown[]).length > 8, 'the comparison covers the generated files');
    // The worker on the other checkout did the work (its lines are read once the loop turns again: spawnSync held it).
    await served.waitFor(/finished batch/, 5000);
    assert.match(served.stderr(), /serving rediss:\/\/127\.0\.0\.1:\d+/);
    assertNoPassword(queued, 'the coordinator');
    assertNoPassword({ stdout: served.stdout(), stderr: served.stderr() }, 'the worker');
  });

  it('without the CA, the coordinator and a worker stop at once: the certificate is not trusted, give NODE_EXTRA_CA_CERTS', () => {
    const untrusted = [/cannot use the queue at rediss:\/\/127\.0\.0\.1:\d+: the server's TLS certificate is not trusted/, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/, /NODE_EXTRA_CA_CERTS/];
    assertRefused(['lint', '--queue', redis.url, '--queue-prefix', uniquePrefix('untrusted'), '.'], false, untrusted);
    assertRefused(['worker', '--queue', redis.url, '--queue-prefix', uniquePrefix('untrusted')], false, untrusted);
  });

  it('redis:// to the TLS port stops at once: the server closed the connection without answering as Redis, use rediss://', () => {
    const plain = redis.url.replace(/^rediss:/, 'redis:');
    assertRefused(['lint', '--queue', plain, '--queue-prefix', uniquePrefix('plain'), '.'], true, [/cannot use the queue at redis:\/\/127\.0\.0\.1:\d+: the server closed the connection without answering as Redis/, /use rediss:\/\//]);
  });

  it('rediss:// to a plain port stops after the 5 s handshake timeout, saying it may take plain connections only (redis://)', async () => {
    const plain = await startRedis();
    try {
      assertRefused(['lint', '--queue', `rediss://127.0.0.1:${plain.port}`, '.'], true, [/cannot use the queue at rediss:\/\/127\.0\.0\.1:\d+: no TLS handshake within 5 s/, /plain connections only \(then use redis:\/\/\)/]);
    } finally {
      await plain.stop();
    }
  });

  it('a wrong password over TLS stops at once with Redis\'s WRONGPASS, printing neither password', () => {
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const url = `rediss://:${wrong}@127.0.0.1:${redis.port}`;
    for (const args of [['lint', '--queue', url, '.'], ['worker', '--queue', url]]) {
      const run = assertRefused(args, true, [/cannot use the queue at rediss:\/\/127\.0\.0\.1:\d+: WRONGPASS/]);
      assert.ok(!run.stderr.includes(wrong), 'the wrong password is not printed either');
    }
  });
});
