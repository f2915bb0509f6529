// The queue scenario of the benchmark suite (bench/run.mjs --only queue): lint
// through a BullMQ queue on a real redis-server, with worker processes on this
// same machine, against the local pool and the eslint CLI. The workers stay up
// across rounds, as the workers of other machines would.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { compare, measure, table } from './measure.mjs';

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** redis-server as the tests start it: no persistence, noeviction (BullMQ's requirement), loopback only. */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if (execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).trim() === 'PONG') break;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `count` worker processes serving `prefix`, each with `concurrency` slots; resolves once all serve. */
export async function startWorkers(cli, cwd, url, prefix, count, concurrency) {
  const workers = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [cli, 'worker', '--queue', url, '--queue-prefix', prefix, '--concurrency', String(concurrency), '--name', `${prefix}-${i}`], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const worker = { child, log: '' };
    child.stderr.on('data', (chunk) => (worker.log += chunk));
    workers.push(worker);
  }
  for (const worker of workers) {
    while (!worker.log.includes('serving')) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return workers;
}

export async function queueScenario({ cli, corpus, runs, bin, common, say }) {
  const redis = await startRedis();
  const setups = {
    'queue: 1 worker process × 2 slots': { count: 1, concurrency: 2 },
    'queue: 2 worker processes × 1 slot': { count: 2, concurrency: 1 },
    'queue: 4 worker processes × 1 slot': { count: 4, concurrency: 1 },
  };
  const all = [];
  try {
    const contenders = {
      'eslint --concurrency=off': [bin('eslint/bin/eslint.js'), '--format', 'json', '--concurrency=off', 'lib'],
      'parallel-tasks --workers 2 (local pool)': [cli, 'lint', 'lib', '--format', 'json', ...common, '--workers', '2'],
    };
    const workersOf = {};
    for (const [name, { count, concurrency }] of Object.entries(setups)) {
      const prefix = `bench-${count}x${concurrency}`;
      workersOf[name] = await startWorkers(cli, corpus, redis.url, prefix, count, concurrency);
      all.push(...workersOf[name]);
      contenders[name] = [cli, 'lint', 'lib', '--format', 'json', ...common, '--queue', redis.url, '--queue-prefix', prefix];
    }
    const reference = (await measure(contenders['eslint --concurrency=off'], corpus)).stdout;
    for (const [name, args] of Object.entries(contenders)) {
      if ((await measure(args, corpus)).stdout !== reference) throw new Error(`${name} does not print the same JSON as eslint`);
    }
    const batchesBefore = Object.fromEntries(Object.entries(workersOf).map(([name, ws]) => [name, ws.reduce((n, w) => n + (w.log.match(/finished batch/g)?.length ?? 0), 0)]));
    const results = await compare(contenders, corpus, runs);
    const files = JSON.parse(reference).length;
    say('## Lint through the queue (BullMQ on a local redis-server; identical JSON checked first)');
    say();
    say(table(results, 'parallel-tasks --workers 2 (local pool)'));
    say();
    say('CPU and peak RSS are the coordinator\'s only: the worker processes are measured by the wall time they take.');
    say();
    const local = results['parallel-tasks --workers 2 (local pool)'].wallMs;
    for (const name of Object.keys(setups)) {
      const batches = workersOf[name].reduce((n, w) => n + (w.log.match(/finished batch/g)?.length ?? 0), 0) - batchesBefore[name];
      const perRun = batches / (runs + 1);
      const extra = results[name].wallMs - local;
      say(`- ${name}: ${perRun.toFixed(0)} batches per run (${(files / perRun).toFixed(0)} files each); ${extra >= 0 ? '+' : ''}${(extra / 1000).toFixed(2)} s against the local pool = ${(extra / perRun).toFixed(0)} ms per batch, ${(extra / files).toFixed(1)} ms per file`);
    }
    say();
  } finally {
    for (const worker of all) worker.child.kill('SIGKILL');
    redis.stop();
  }
}
