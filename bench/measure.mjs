// Runs one contender as a child process and measures it: wall time here, CPU
// time from GNU time (Debian package `time`) when present, peak memory of the
// whole process tree sampled from /proc (see tree-memory.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleTreeMemory } from './tree-memory.mjs';

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** @returns {Promise<{ wallMs: number, cpuMs?: number, peakKb?: number, stdout: string, status: number | null }>} */
export function measure(args, cwd) {
  return new Promise((resolve, reject) => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-'));
    const report = path.join(scratch, 'time.txt');
    const command = GNU_TIME ? GNU_TIME : process.execPath;
    const argv = GNU_TIME ? ['-f', '%U %S %M', '-o', report, process.execPath, ...args] : args;
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const memory = sampleTreeMemory(child.pid);
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (status) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let cpuMs;
      let peakKb = memory.stop();
      if (GNU_TIME && existsSync(report)) {
        const [user, system, peak] = readFileSync(report, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        cpuMs = (user + system) * 1000;
        // A run too short for one sample: the largest process is the best figure there is.
        peakKb = Math.max(peakKb ?? 0, peak);
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({ wallMs, cpuMs, peakKb, stdout: Buffer.concat(chunks).toString('utf8'), status });
    });
  });
}

export const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : undefined;
};

/**
 * Runs every contender `runs` times in alternation after one warm-up round, so
 * drift on the machine affects all of them alike; returns medians.
 */
export async function compare(contenders, cwd, runs, prepare = async () => {}) {
  const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let round = -1; round < runs; round++) {
    for (const [name, args] of Object.entries(contenders)) {
      await prepare(name);
      const result = await measure(args, cwd);
      if (round >= 0) samples[name].push(result);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, rs]) => [name, { wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)), peakKb: median(rs.map((r) => r.peakKb)) }]),
  );
}

export function machine() {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function table(results, baseline) {
  const base = results[baseline].wallMs;
  const s = (ms) => (ms === undefined ? '–' : (ms / 1000).toFixed(2));
  const mb = (kb) => (kb === undefined ? '–' : (kb / 1024).toFixed(0));
  return [
    `| contender | wall (s) | CPU (s) | peak RSS (MB) | wall vs ${baseline} |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(results).map(([name, r]) => `| ${name} | ${s(r.wallMs)} | ${s(r.cpuMs)} | ${mb(r.peakKb)} | ${(r.wallMs / base).toFixed(2)} |`),
  ].join('\n');
}
