// The daemon scenario of the benchmark suite (bench/run.mjs --only daemon): lint of the corpus by a client
// whose batches go to the workspace's warm daemon pool (issue 14), against the eslint CLI and a cold local pool.
// No result cache anywhere: what the daemon saves is start-up (loading ESLint and the config) and cold JIT code.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, measure, table } from './measure.mjs';

export async function daemonScenario({ cli, corpus, runs, bin, common, say }) {
  // A runtime folder of its own: never a real user's daemon for the corpus, and nothing is left behind.
  const runtime = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-daemon-'));
  const saved = process.env.XDG_RUNTIME_DIR;
  process.env.XDG_RUNTIME_DIR = runtime;
  const daemon = (...args) => execFileSync(process.execPath, [cli, 'daemon', ...args], { cwd: corpus, encoding: 'utf8' });
  const warm = 'parallel-tasks --workers 2 (warm daemon)';
  try {
    daemon('start');
    const contenders = {
      'eslint --concurrency=off': [bin('eslint/bin/eslint.js'), '--format', 'json', '--concurrency=off', 'lib'],
      'parallel-tasks --no-daemon --workers 2': [cli, 'lint', 'lib', '--format', 'json', ...common, '--no-daemon', '--workers', '2'],
      // --daemon: run.mjs turns the daemon off for every other scenario through the environment; the flag wins.
      [warm]: [cli, 'lint', 'lib', '--format', 'json', ...common, '--daemon', '--workers', '2'],
    };
    // The check is also the daemon's warm-up run (compare() adds a warm-up round of its own).
    const reference = (await measure(contenders['eslint --concurrency=off'], corpus)).stdout;
    for (const [name, args] of Object.entries(contenders)) {
      if ((await measure(args, corpus)).stdout !== reference) throw new Error(`${name} does not print the same JSON as eslint`);
    }
    const results = await compare(contenders, corpus, runs);
    const status = JSON.parse(daemon('status', '--json'));
    // Every warm run must have been served by the one daemon started above: a fallback would measure the local pool.
    if (status?.runs !== runs + 2) throw new Error(`the daemon served ${status?.runs} runs, not the ${runs + 2} expected`);
    say('## Lint on the warm daemon (identical JSON checked first)');
    say();
    say(table(results, 'eslint --concurrency=off'));
    say();
    say(`CPU and peak RSS of the daemon contender are the client's only: the daemon and its workers run outside its process tree. The daemon served all ${status.runs} of its runs on one pool (pid ${status.pid}).`);
    say();
    say(`Target: warm daemon vs eslint --concurrency=off ≤ 0.60: ${(results[warm].wallMs / results['eslint --concurrency=off'].wallMs).toFixed(2)}; vs --no-daemon: ${(results[warm].wallMs / results['parallel-tasks --no-daemon --workers 2'].wallMs).toFixed(2)}`);
    say();
  } finally {
    try {
      daemon('stop');
    } finally {
      if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
      else process.env.XDG_RUNTIME_DIR = saved;
      rmSync(runtime, { recursive: true, force: true });
    }
  }
}
