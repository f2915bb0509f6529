import * as assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import { exitWithin } from '../helpers/exits';
import { createNamespace, namespaceSupport, type Namespace } from '../helpers/netns';
import { redisServerPath, startRedis, uniquePrefix, type RedisOptions, type RedisServer } from '../helpers/redis-server';
import { redisCall, type RespReply } from '../helpers/resp';
import { alive } from '../helpers/exits';

// What the queue executor's tests rely on from test/helpers/redis-server.ts and netns.ts: a real Redis with the
// settings BullMQ needs, restarts and stops that behave like a server's, and a second "machine" that reaches
// Redis only through its own link, which can be cut.

function ipOut(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

/** The pid redis-server reports for itself. */
async function serverPid(redis: RedisServer): Promise<number> {
  const [info] = await redisCall(redis, [['INFO', 'server']]);
  return Number(/^process_id:(\d+)/m.exec(String(info))?.[1]);
}

function configGet(redis: RedisServer, name: string): Promise<RespReply[]> {
  return redisCall(redis, [['CONFIG', 'GET', name]]);
}

/** The first line `child` writes to stdout. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', (code, signal) => reject(new Error(`exited (${code ?? signal}) before writing a line: ${JSON.stringify(out)}`)));
  });
}

describe('test harness: a real redis-server', function () {
  this.timeout(60_000);
  const servers: RedisServer[] = [];

  async function server(options?: RedisOptions): Promise<RedisServer> {
    const redis = await startRedis(options);
    servers.push(redis);
    return redis;
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((redis) => redis.stop()));
  });

  it('finds redis-server (when missing, the tests fail with "apt-get install redis-server")', () => {
    accessSync(redisServerPath(), constants.X_OK);
  });

  it('answers PING on 127.0.0.1 with noeviction, no save points and no AOF, in a temp dir of its own', async () => {
    const redis = await server();
    assert.equal(redis.host, '127.0.0.1');
    assert.equal(redis.url, `redis://127.0.0.1:${redis.port}`);
    assert.equal(redis.password, undefined);
    assert.deepEqual(await redisCall(redis, [['PING']]), ['PONG'], redis.log());
    assert.deepEqual(await configGet(redis, 'maxmemory-policy'), [['maxmemory-policy', 'noeviction']]);
    assert.deepEqual(await configGet(redis, 'save'), [['save', '']]);
    assert.deepEqual(await configGet(redis, 'appendonly'), [['appendonly', 'no']]);
    assert.deepEqual(await configGet(redis, 'bind'), [['bind', '127.0.0.1']]);
    const [[, dir]] = (await configGet(redis, 'dir')) as string[][];
    assert.ok(dir.startsWith(realpathSync(os.tmpdir())), dir);
    assert.match(redis.log(), /Ready to accept connections/);
    await redis.stop();
    assert.equal(existsSync(dir), false, 'stop removes its temp dir');
  });

  it('with a password, refuses an unauthenticated PING and answers an authenticated one', async () => {
    const password = 'pt s3cret/@:';
    const redis = await server({ password });
    assert.equal(redis.password, password);
    assert.equal(redis.url, `redis://:${encodeURIComponent(password)}@127.0.0.1:${redis.port}`);
    assert.deepEqual(await redisCall({ host: redis.host, port: redis.port }, [['PING']]), [{ error: 'NOAUTH Authentication required.' }]);
    assert.deepEqual(await redisCall(redis, [['PING']]), ['PONG']);
    await assert.rejects(redisCall({ host: redis.host, port: redis.port, password: 'wrong' }, [['PING']]), /AUTH refused/);
  });

  it('restart is a new process on the same port with the same settings and an empty dataset', async () => {
    const redis = await server({ password: 'pw' });
    const key = `${uniquePrefix('restart')}:job`;
    assert.deepEqual(await redisCall(redis, [['SET', key, 'queued'], ['GET', key]]), ['OK', 'queued']);
    const { port, url } = redis;
    const pid = await serverPid(redis);
    await redis.restart();
    assert.equal(redis.port, port);
    assert.equal(redis.url, url);
    assert.notEqual(await serverPid(redis), pid);
    assert.equal(alive(pid), false, 'the old process is gone');
    assert.deepEqual(await redisCall(redis, [['GET', key], ['DBSIZE']]), [null, 0]);
    assert.deepEqual(await configGet(redis, 'maxmemory-policy'), [['maxmemory-policy', 'noeviction']]);
    assert.deepEqual(await redisCall({ host: redis.host, port }, [['PING']]), [{ error: 'NOAUTH Authentication required.' }]);
    assert.equal(redis.log().match(/Ready to accept connections/g)?.length, 2, redis.log());
  });

  it('with tls, speaks TLS only, with a certificate for 127.0.0.1 from its own CA, which a restart keeps and stop removes', async () => {
    const redis = await server({ tls: true, password: 'pw' });
    assert.match(redis.url, new RegExp(`^rediss://:pw@127\\.0\\.0\\.1:${redis.port}$`));
    const caFile = redis.caFile ?? assert.fail('a TLS server names its CA');
    // Checked against its CA and the address 127.0.0.1 (tls.connect verifies both).
    assert.deepEqual(await redisCall(redis, [['PING']]), ['PONG'], redis.log());
    assert.deepEqual(await configGet(redis, 'port'), [['port', '0']], 'no plain port');
    // A plain client on the TLS port gets no RESP: the server hangs up on what it reads as a broken handshake.
    await assert.rejects(redisCall({ host: redis.host, port: redis.port, password: 'pw' }, [['PING']], 3000), /closed the connection after 0 of 2 replies|ECONNRESET/);
    const ca = readFileSync(caFile, 'utf8');
    // Clients were given this CA: a restarted server must still be trusted by them.
    await redis.restart();
    assert.equal(readFileSync(caFile, 'utf8'), ca);
    assert.deepEqual(await redisCall(redis, [['PING']]), ['PONG'], redis.log());
    await redis.stop();
    assert.equal(existsSync(caFile), false, 'stop removes the certificates');
  });

  it('stop ends the process and frees the port; stopping again is harmless', async () => {
    const redis = await server();
    const pid = await serverPid(redis);
    await redis.stop();
    assert.equal(alive(pid), false);
    await assert.rejects(redisCall(redis, [['PING']], 2000), { code: 'ECONNREFUSED' });
    // Free: we can listen on it ourselves.
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer().once('error', reject);
      probe.listen(redis.port, redis.host, () => probe.close(() => resolve()));
    });
    await redis.stop();
  });

  it('gives concurrent servers ports of their own, and each test a key prefix of its own', async () => {
    const [a, b] = await Promise.all([server(), server()]);
    assert.notEqual(a.port, b.port);
    const [p, q] = [uniquePrefix('queue retry'), uniquePrefix('queue retry')];
    assert.match(p, /^pt-test-queue-retry-[0-9a-f]{12}$/);
    assert.notEqual(p, q);
  });
});

/** Run inside a namespace: one inline PING to host:port (argv), printing {"reply"} or {"error": code}; gives up after 3 s. */
const PROBE = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const done = (result) => { console.log(JSON.stringify(result)); process.exit(0); };
const socket = net.connect({ host, port: Number(port) });
socket.setTimeout(3000, () => done({ error: 'timeout' }));
socket.on('connect', () => socket.write('PING\\r\\n'));
socket.on('data', (data) => done({ reply: String(data).trim() }));
socket.on('error', (error) => done({ error: error.code }));
`;

interface ProbeResult {
  readonly reply?: string;
  readonly error?: string;
}

/** What node inside `ns` gets when it PINGs host:port, and how long the whole try took (process start included). */
async function probe(ns: Namespace, host: string, port: number): Promise<{ result: ProbeResult; ms: number }> {
  const started = Date.now();
  const child = ns.spawn(process.execPath, ['-e', PROBE, host, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exit = await exitWithin(child, 10_000);
  assert.deepEqual(exit, { code: 0, signal: null }, `the probe in ${ns.name} failed: ${out}`);
  return { result: JSON.parse(out) as ProbeResult, ms: Date.now() - started };
}

/** The host interface that holds `address`, or undefined. */
function linkWithAddress(address: string): string | undefined {
  return /^\d+: (\S+)/.exec(ipOut('-o', 'addr', 'show', 'to', address))?.[1];
}

describe('test harness: a second machine in a network namespace', function () {
  this.timeout(60_000);
  let ns: Namespace | undefined;
  let redis: RedisServer | undefined;
  let loopbackOnly: RedisServer | undefined;
  const others: Namespace[] = [];
  const cleanups: (() => void)[] = [];

  before(async function () {
    const support = namespaceSupport();
    if (!support.ok) {
      process.stdout.write(`      skipped: ${support.reason}\n`);
      this.skip();
    }
    ns = await createNamespace('harness');
    // The host side first, so that redis.url also works from inside; 127.0.0.1 for the host's own clients.
    redis = await startRedis({ bind: [ns.hostAddress, '127.0.0.1'] });
    loopbackOnly = await startRedis();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await Promise.all(others.splice(0).map((other) => other.remove()));
  });

  after(async () => {
    await Promise.all([redis?.stop(), loopbackOnly?.stop(), ns?.remove()]);
  });

  /** The shared fixtures, set by `before` (which skips every test when namespaces are unavailable). */
  function shared(): { ns: Namespace; redis: RedisServer; loopbackOnly: RedisServer } {
    assert.ok(ns && redis && loopbackOnly);
    return { ns, redis, loopbackOnly };
  }

  it('gives each namespace a /30 of its own in 10.231.0.0/16, a veth pair, loopback up, and no other route', async () => {
    const { ns } = shared();
    const [, third, fourth] = /^10\.231\.(\d+)\.(\d+)$/.exec(ns.hostAddress) ?? assert.fail(ns.hostAddress);
    assert.equal(Number(fourth) % 4, 1);
    assert.equal(ns.namespaceAddress, `10.231.${third}.${Number(fourth) + 1}`);
    assert.ok(ns.name.includes(String(process.pid)) && ns.name.length <= 15, ns.name);
    assert.match(ipOut('netns', 'list'), new RegExp(`^${ns.name}\\b`, 'm'));
    const hostLink = linkWithAddress(ns.hostAddress) ?? assert.fail(`no host link has ${ns.hostAddress}`);
    assert.ok(hostLink.length <= 15, hostLink);
    const routes = ipOut('-n', ns.name, '-4', 'route').trim().split('\n');
    assert.deepEqual(
      routes.map((route) => route.split(' ')[0]),
      [`10.231.${third}.${Number(fourth) - 1}/30`],
      'inside, only the /30 is routed: no default route, nothing else of the host',
    );
    assert.match(ipOut('-n', ns.name, '-o', 'link', 'show', 'lo'), /[<,]UP[,>]/);
    const second = await createNamespace('second');
    others.push(second);
    assert.notEqual(second.name, ns.name);
    assert.notEqual(second.hostAddress, ns.hostAddress);
  });

  it('node inside reaches Redis on hostAddress, and not a Redis bound to the host\'s 127.0.0.1 only', async () => {
    const { ns, redis, loopbackOnly } = shared();
    assert.deepEqual((await probe(ns, ns.hostAddress, redis.port)).result, { reply: '+PONG' });
    assert.deepEqual((await probe(ns, redis.host, redis.port)).result, { reply: '+PONG' }, 'redis.url works from inside');
    // The loopback-only server is up (the host reaches it), yet from inside neither of its addresses leads to it.
    assert.deepEqual(await redisCall(loopbackOnly, [['PING']]), ['PONG']);
    assert.deepEqual((await probe(ns, ns.hostAddress, loopbackOnly.port)).result, { error: 'ECONNREFUSED' });
    assert.deepEqual((await probe(ns, '127.0.0.1', loopbackOnly.port)).result, { error: 'ECONNREFUSED' }, '127.0.0.1 inside is its own');
    // Anything off the /30 (here a TEST-NET-3 address) has no route.
    assert.deepEqual((await probe(ns, '203.0.113.1', 6379)).result, { error: 'ENETUNREACH' });
  });

  it('spawn: the pid is the command itself, inside the namespace, and a signal to it ends it', async () => {
    const { ns } = shared();
    const child = ns.spawn(process.execPath, ['-e', 'console.log(process.pid); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    assert.equal(Number(await firstLine(child)), child.pid, 'ip netns exec execs the command: no process in between');
    const pid = child.pid ?? assert.fail('no pid');
    assert.equal(readlinkSync(`/proc/${pid}/exe`), realpathSync(process.execPath));
    const inside = `net:[${statSync(`/run/netns/${ns.name}`).ino}]`;
    assert.equal(readlinkSync(`/proc/${pid}/ns/net`), inside);
    assert.notEqual(readlinkSync('/proc/self/ns/net'), inside);
    assert.deepEqual(ipOut('netns', 'pids', ns.name).split('\n').filter(Boolean).map(Number), [pid]);
    child.kill('SIGTERM');
    assert.deepEqual(await exitWithin(child, 10_000), { code: null, signal: 'SIGTERM' });
    assert.equal(ipOut('netns', 'pids', ns.name).trim(), '', 'nothing left inside');
  });

  it('linkDown cuts the network (a connection fails within a few seconds), linkUp restores it', async () => {
    const { ns, redis } = shared();
    assert.deepEqual((await probe(ns, ns.hostAddress, redis.port)).result, { reply: '+PONG' });
    await ns.linkDown();
    try {
      const cut = await probe(ns, ns.hostAddress, redis.port);
      assert.ok(cut.result.error, `reached Redis over a cut link: ${JSON.stringify(cut.result)}`);
      assert.ok(cut.ms < 5000, `took ${cut.ms} ms to fail`);
      // The host's own clients (the coordinator) keep their Redis during the cut, on either address.
      assert.deepEqual(await redisCall({ host: '127.0.0.1', port: redis.port }, [['PING']]), ['PONG']);
      assert.deepEqual(await redisCall(redis, [['PING']]), ['PONG']);
    } finally {
      await ns.linkUp();
    }
    assert.deepEqual((await probe(ns, ns.hostAddress, redis.port)).result, { reply: '+PONG' });
  });

  it('remove kills what runs inside (children too) and leaves no namespace and no veth; removing again is harmless', async () => {
    const other = await createNamespace('remove');
    others.push(other);
    const hostLink = linkWithAddress(other.hostAddress) ?? assert.fail(`no host link has ${other.hostAddress}`);
    const child = other.spawn('sh', ['-c', 'sleep 600 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const grandchild = Number(await firstLine(child));
    cleanups.push(() => alive(grandchild) && process.kill(grandchild, 'SIGKILL'));
    await other.remove();
    assert.deepEqual(await exitWithin(child, 10_000), { code: null, signal: 'SIGKILL' });
    assert.equal(alive(grandchild), false, 'a process the command started inside is killed too');
    assert.doesNotMatch(ipOut('netns', 'list'), new RegExp(`^${other.name}\\b`, 'm'));
    assert.doesNotMatch(ipOut('-o', 'link'), new RegExp(`: ${hostLink}[@:]`));
    assert.equal(linkWithAddress(other.hostAddress), undefined);
    await other.remove();
  });

  it('createNamespace first deletes what a killed test run left behind: namespace, veth, processes inside', async () => {
    // A pid that belonged to a process that has exited: the owner of the leftovers is dead.
    const gone = spawn('true');
    await exitWithin(gone, 10_000);
    const deadPid = gone.pid ?? assert.fail('no pid');
    const stale = `ptns-${deadPid}-0`;
    const staleLink = `ptstale${deadPid}`;
    cleanups.push(() => {
      for (const args of [['link', 'del', staleLink], ['netns', 'delete', stale]]) {
        try {
          execFileSync('ip', args, { stdio: 'ignore' });
        } catch {
          // already gone, as it should be
        }
      }
    });
    ipOut('netns', 'add', stale);
    ipOut('link', 'add', staleLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', stale);
    const leftover = spawn('ip', ['netns', 'exec', stale, 'sleep', '600'], { stdio: 'ignore' });
    cleanups.push(() => leftover.kill('SIGKILL'));
    while (ipOut('netns', 'pids', stale).trim() === '') await new Promise((resolve) => setTimeout(resolve, 10));
    others.push(await createNamespace('after-a-crash'));
    assert.doesNotMatch(ipOut('netns', 'list'), new RegExp(`^${stale}\\b`, 'm'));
    assert.doesNotMatch(ipOut('-o', 'link'), new RegExp(`: ${staleLink}[@:]`));
    assert.deepEqual(await exitWithin(leftover, 10_000), { code: null, signal: 'SIGKILL' });
  });
});
