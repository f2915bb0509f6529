// Type-aware lint (typescript-eslint's recommendedTypeChecked with
// `projectService`): every worker builds the TypeScript program of the whole
// project, so memory grows with the worker count. Compares the eslint CLI with
// parallel-tasks on threads and on processes (identical JSON checked first),
// then measures each worker process's own peak, which is what
// src/tasks/lint/worker-memory.ts estimates.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { compare, measure, table } from './measure.mjs';
import { sampleProcessPeaks } from './process-peaks.mjs';
import { ensureTypeAwareFixture } from './type-aware-fixture.mjs';

/** The estimate in src/tasks/lint/worker-memory.ts, repeated here so the table shows it beside the measurement. */
const estimateMb = (bytes) => 450 + (260 * bytes) / 2 ** 20;

function sourceBytes(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
}

/** One run on worker processes; the peak resident memory of each worker process, in KB. */
function workerPeaks(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'ignore'] });
    const sampler = sampleProcessPeaks(child.pid);
    child.on('error', reject);
    child.on('exit', () => resolve(sampler.stop().filter((p) => p.cmdline.includes('worker.js')).map((p) => p.peakKb)));
  });
}

export async function typeAwareScenario({ cli, runs, bin, common, say, copies = [1, 3] }) {
  const memoryRows = [];
  for (const n of copies) {
    const { dir, files } = ensureTypeAwareFixture(n);
    const lint = (workers, isolation) => [cli, 'lint', '.', '--format', 'json', ...common, '--workers', String(workers), '--isolation', isolation];
    const contenders = {
      'eslint --concurrency=off': [bin('eslint/bin/eslint.js'), '--format', 'json', '--concurrency=off', '.'],
      'lint, 1 worker thread': lint(1, 'thread'),
      'lint, 2 worker threads': lint(2, 'thread'),
      'lint, 1 worker process': lint(1, 'process'),
      'lint, 2 worker processes': lint(2, 'process'),
    };
    const reference = (await measure(contenders['eslint --concurrency=off'], dir)).stdout;
    for (const [name, args] of Object.entries(contenders)) {
      if ((await measure(args, dir)).stdout !== reference) throw new Error(`${name} does not print the same JSON as eslint (${n} copies)`);
    }
    const results = await compare(contenders, dir, runs);
    const bytes = sourceBytes(dir);
    say(`## Type-aware lint: ${files} TypeScript files, ${(bytes / 2 ** 20).toFixed(2)} MB (src/ × ${n}, identical JSON checked first)`);
    say();
    say(table(results, 'eslint --concurrency=off'));
    say();
    for (const workers of [1, 2]) {
      const peaks = await workerPeaks(lint(workers, 'process'), dir);
      memoryRows.push({ files, bytes, workers, peaks });
    }
  }
  say('## Memory of each type-aware worker process (peak RSS, one run each)');
  say();
  say('| files | source (MB) | workers | peak RSS per worker (MB) | estimate per worker (MB) |');
  say('| ---: | ---: | ---: | --- | ---: |');
  for (const r of memoryRows) {
    say(`| ${r.files} | ${(r.bytes / 2 ** 20).toFixed(2)} | ${r.workers} | ${r.peaks.map((kb) => (kb / 1024).toFixed(0)).join(', ')} | ${estimateMb(r.bytes).toFixed(0)} |`);
  }
  say();
}
