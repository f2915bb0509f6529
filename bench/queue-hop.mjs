// The queue's own cost, and what a network hop does to it (bench/run.mjs
// --only queue-hop): the same work through the local pool and through the
// queue, with the workers reaching Redis directly or through a proxy that
// delays every packet (a round trip of 2, 20 or 100 ms). Two workloads: many
// tiny files (analyze, where the cost per batch shows) and the corpus (lint).
// Besides wall time it counts batches (from the workers' logs) and the CPU
// redis-server spends per run, which says where Redis would become the limit.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDelayProxy } from './delay-proxy.mjs';
import { measure, median } from './measure.mjs';
import { startRedis, startWorkers } from './queue.mjs';

const ROUND_TRIPS_MS = [0, 2, 20, 100];
const TINY_FILES = 2000;

/** `count` small functions with a branch or two: about 1 ms of analysis each, so the cost per batch dominates. */
function tinyWorkspace() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-tiny-'));
  mkdirSync(path.join(dir, 'src'));
  for (let i = 0; i < TINY_FILES; i++) {
    writeFileSync(path.join(dir, 'src', `f${i}.js`), `export function f${i}(a, b) {\n  if (a > ${i}) {\n    return a - b;\n  }\n  for (const x of b) {\n    if (x) a += x;\n  }\n  return a;\n}\n`);
  }
  return dir;
}

/** CPU time (ms) redis-server has used so far, from /proc (Linux). */
function redisCpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const finishedBatches = (workers) => workers.reduce((n, w) => n + (w.log.match(/finished batch/g)?.length ?? 0), 0);

async function workload({ title, cwd, args, runs, redis, cli, say }) {
  const proxies = [];
  const workers = [];
  const contenders = { 'local pool, 2 workers': { argv: [cli, ...args, '--workers', '2'] } };
  try {
    for (const rtt of ROUND_TRIPS_MS) {
      const prefix = `hop-${rtt}-${title.length}`;
      let url = redis.url;
      if (rtt > 0) {
        const proxy = await startDelayProxy({ host: '127.0.0.1', port: redis.port }, rtt / 2);
        proxies.push(proxy);
        url = `redis://127.0.0.1:${proxy.port}`;
      }
      const serving = await startWorkers(cli, cwd, url, prefix, 1, 2);
      workers.push(...serving);
      contenders[`queue, 1 worker × 2 slots, round trip ${rtt} ms`] = { argv: [cli, ...args, '--queue', redis.url, '--queue-prefix', prefix], workers: serving };
    }
    const reference = (await measure(contenders['local pool, 2 workers'].argv, cwd)).stdout;
    // redis-server's CPU per ms with every worker up and no run: their polling and presence.
    const idleFrom = redisCpuMs(redis.pid);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const idleRate = (redisCpuMs(redis.pid) - idleFrom) / 5000;
    const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, { wall: [], batches: [], redis: [] }]));
    for (let round = -1; round < runs; round++) {
      for (const [name, c] of Object.entries(contenders)) {
        const batches = c.workers ? finishedBatches(c.workers) : 0;
        const cpu = redisCpuMs(redis.pid);
        const result = await measure(c.argv, cwd);
        if (result.stdout !== reference) throw new Error(`${name} does not print the same JSON as the local pool`);
        if (round < 0) continue;
        samples[name].wall.push(result.wallMs);
        samples[name].batches.push(c.workers ? finishedBatches(c.workers) - batches : undefined);
        samples[name].redis.push(redisCpuMs(redis.pid) - cpu);
      }
    }
    const parsed = JSON.parse(reference);
    const files = Array.isArray(parsed) ? parsed.length : parsed.files.length;
    const direct = median(samples[`queue, 1 worker × 2 slots, round trip 0 ms`].wall);
    const local = median(samples['local pool, 2 workers'].wall);
    say(`### ${title} (${files} files; identical JSON checked every run)`);
    say();
    say('| contender | wall (s) | wall vs local | batches per run | files per batch | extra per batch vs round trip 0 (ms) | redis-server CPU per run (ms) |');
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, s] of Object.entries(samples)) {
      const wall = median(s.wall);
      const batches = median(s.batches);
      const extra = batches ? ((wall - direct) / batches).toFixed(0) : '–';
      // What the idle workers' polling costs Redis anyway is not the run's.
      const redisMs = median(s.redis.map((ms, i) => ms - idleRate * s.wall[i]));
      say(`| ${name} | ${(wall / 1000).toFixed(2)} | ${(wall / local).toFixed(2)} | ${batches ?? '–'} | ${batches ? (files / batches).toFixed(0) : '–'} | ${extra} | ${Math.max(0, redisMs).toFixed(0)} |`);
    }
    say();
  } finally {
    for (const worker of workers) worker.child.kill('SIGKILL');
    for (const proxy of proxies) await proxy.close();
  }
}

export async function queueHopScenario({ cli, corpus, runs, common, say }) {
  const redis = await startRedis();
  const tiny = tinyWorkspace();
  try {
    say('## The queue\'s cost per batch, and a network hop (workers behind a delaying proxy)');
    say();
    await workload({ title: 'Analyze, tiny files', cwd: tiny, args: ['analyze', 'src', '--format', 'json', ...common], runs, redis, cli, say });
    await workload({ title: 'Lint, the corpus', cwd: corpus, args: ['lint', 'lib', '--format', 'json', ...common], runs, redis, cli, say });
  } finally {
    redis.stop();
    rmSync(tiny, { recursive: true, force: true });
  }
}
