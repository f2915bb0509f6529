// What a run spends before its first answer, for 50, 500 and 5,000 files: the
// CLI writes when it reached each step (PARALLEL_TASKS_PHASES, src/cli/phases.ts),
// in ms since its process started; medians of `runs` runs after a warm-up.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measure, median } from './measure.mjs';
import { ensureScalingFolder } from './scaling.mjs';

export const STARTUP_SIZES = [50, 500, 5000];
const PHASES = ['job-start', 'run-start', 'first-file-start', 'first-file-done', 'run-end'];

async function phasesOf(args, cwd, file) {
  process.env.PARALLEL_TASKS_PHASES = file;
  try {
    const run = await measure(args, cwd);
    return { ...JSON.parse(readFileSync(file, 'utf8')), wall: run.wallMs };
  } finally {
    delete process.env.PARALLEL_TASKS_PHASES;
    rmSync(file, { force: true });
  }
}

export async function startupScenario({ cli, corpus, runs, common, say, sizes = STARTUP_SIZES }) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-phases-'));
  const rows = [];
  for (const count of sizes) {
    const dir = ensureScalingFolder(corpus, count);
    for (const kind of ['lint', 'analyze']) {
      const args = [cli, kind, 'lib', '--format', 'json', ...common, '--workers', '2'];
      const samples = [];
      for (let round = -1; round < runs; round++) {
        const sample = await phasesOf(args, dir, path.join(scratch, 'phases.json'));
        if (round >= 0) samples.push(sample);
      }
      rows.push({ count, kind, ...Object.fromEntries([...PHASES, 'wall'].map((p) => [p, median(samples.map((s) => s[p]))])) });
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  const s = (x) => (x === undefined ? '–' : (x / 1000).toFixed(2));
  say('## Start-up: where a run is before its first answer (s since its process started)');
  say();
  say('| files | command | CLI loaded | files found | first file started | first file done | run end | wall |');
  say('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) say(`| ${r.count} | ${r.kind} --workers 2 | ${s(r['job-start'])} | ${s(r['run-start'])} | ${s(r['first-file-start'])} | ${s(r['first-file-done'])} | ${s(r['run-end'])} | ${s(r.wall)} |`);
  say();
}
