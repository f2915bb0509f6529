// How wall time and memory grow with the number of files: 100, 1,000 and
// 10,000 real JS files (the corpus's files cycled into .cache/scaling/<n>/,
// each under a name of its own), linted by eslint and by parallel-tasks
// (identical JSON checked first) and analyzed. The cost per file should stay
// flat; memory grows with the results both CLIs hold for the JSON output.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compare, measure } from './measure.mjs';

const root = path.resolve(import.meta.dirname, '..');
export const SCALING_SIZES = [100, 1000, 10000];

/** `count` files cycled from the corpus's lib/, 100 to a folder, with the corpus's ESLint config. */
export function ensureScalingFolder(corpus, count) {
  const dir = path.join(root, '.cache', 'scaling', String(count));
  const done = path.join(dir, '.complete');
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const sources = readdirSync(path.join(corpus, 'lib'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'))
    .sort();
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length];
    const folder = path.join(dir, 'lib', `d${Math.floor(i / 100)}`);
    mkdirSync(folder, { recursive: true });
    copyFileSync(path.join(corpus, 'lib', source), path.join(folder, `f${i}-${path.basename(source)}`));
  }
  copyFileSync(path.join(corpus, 'eslint.config.mjs'), path.join(dir, 'eslint.config.mjs'));
  writeFileSync(done, '');
  return dir;
}

const ms = (x) => (x === undefined ? '–' : (x / 1000).toFixed(2));
const mb = (kb) => (kb === undefined ? '–' : (kb / 1024).toFixed(0));

export async function scalingScenario({ cli, corpus, runs, bin, common, say, sizes = SCALING_SIZES }) {
  const rows = [];
  for (const count of sizes) {
    const dir = ensureScalingFolder(corpus, count);
    const contenders = {
      'eslint --concurrency=off': [bin('eslint/bin/eslint.js'), '--format', 'json', '--concurrency=off', 'lib'],
      'lint --workers 2': [cli, 'lint', 'lib', '--format', 'json', ...common, '--workers', '2'],
      'analyze --workers 2': [cli, 'analyze', 'lib', '--format', 'json', ...common, '--workers', '2'],
    };
    const reference = (await measure(contenders['eslint --concurrency=off'], dir)).stdout;
    if ((await measure(contenders['lint --workers 2'], dir)).stdout !== reference) throw new Error(`lint does not print the same JSON as eslint on ${count} files`);
    const results = await compare(contenders, dir, runs);
    for (const [name, r] of Object.entries(results)) rows.push({ count, name, ...r, vsEslint: r.wallMs / results['eslint --concurrency=off'].wallMs });
  }
  say('## Scaling with the number of files (identical lint JSON checked first)');
  say();
  say('| files | contender | wall (s) | CPU (s) | peak RSS (MB) | ms per file | KB RSS per file | wall vs eslint |');
  say('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    say(`| ${r.count} | ${r.name} | ${ms(r.wallMs)} | ${ms(r.cpuMs)} | ${mb(r.peakKb)} | ${(r.wallMs / r.count).toFixed(2)} | ${r.peakKb ? (r.peakKb / r.count).toFixed(1) : '–'} | ${r.vsEslint.toFixed(2)} |`);
  }
  say();
}
