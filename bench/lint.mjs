// Lint benchmark: parallel-tasks against the eslint CLI on the same files and
// config (see bench/corpus.mjs). Checks that every contender prints the same
// JSON before timing anything, then runs each contender in alternation after
// a warm-up and reports median wall and CPU time and the ratios of medians.
//
//   node bench/lint.mjs [--runs N]
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCorpus, CORPUS_PACKAGE, CORPUS_VERSION } from './corpus.mjs';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const corpus = ensureCorpus();
const cli = path.join(root, 'dist', 'cli.js');
const eslint = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

// The corpus lives in .cache/, which our own .gitignore ignores; ESLint does
// not read .gitignore, so neither do we here: both see the same 790 files.
const contenders = {
  'eslint --concurrency=off': [eslint, '--format', 'json', '--concurrency=off', 'lib'],
  'eslint --concurrency=2': [eslint, '--format', 'json', '--concurrency=2', 'lib'],
  'parallel-tasks --workers 0': [cli, 'lint', 'lib', '--format', 'json', '--no-gitignore', '--no-cache', '--workers', '0'],
  'parallel-tasks --workers 1': [cli, 'lint', 'lib', '--format', 'json', '--no-gitignore', '--no-cache', '--workers', '1'],
  'parallel-tasks --workers 2': [cli, 'lint', 'lib', '--format', 'json', '--no-gitignore', '--no-cache', '--workers', '2'],
};

/** Runs one contender and measures its wall time. */
function run(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: corpus, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', () => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ wallMs, stdout: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// 1. Same answers first.
const reference = await run(contenders['eslint --concurrency=off']);
const messages = JSON.parse(reference.stdout).reduce((n, r) => n + r.messages.length, 0);
for (const [name, args] of Object.entries(contenders)) {
  const out = await run(args);
  if (out.stdout !== reference.stdout) throw new Error(`${name} does not print the same JSON as eslint`);
}
console.error(`All contenders print identical JSON (${messages} messages). Timing ${runs} runs each…`);

// 2. Timing, in alternation so that drift affects all contenders alike.
const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(contenders)) times[name].push((await run(args)).wallMs);
}

const files = JSON.parse(reference.stdout).length;
const baseline = median(times['eslint --concurrency=off']);
const lines = [
  `Lint, ${files} files of ${CORPUS_PACKAGE}@${CORPUS_VERSION} lib/, ${messages} messages, median of ${runs} runs`,
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  '',
  '| contender | median wall (s) | vs eslint --concurrency=off |',
  '| --- | ---: | ---: |',
  ...Object.entries(times).map(([name, t]) => `| ${name} | ${(median(t) / 1000).toFixed(2)} | ${(median(t) / baseline).toFixed(2)} |`),
  '',
  `parallel-tasks 2 workers vs 1 worker: ${(median(times['parallel-tasks --workers 2']) / median(times['parallel-tasks --workers 1'])).toFixed(2)}`,
];
console.log(lines.join('\n'));
