// The benchmark suite: each scenario compares parallel-tasks with the real
// alternative on the same files in one session, after checking that they give
// the same answers. Prints Markdown for BENCHMARKS.md.
//
//   node scripts/build.mjs --bench && node bench/run.mjs [--runs N] [--only overhead,analyze,lint,prettier,daemon,cache,isolation,limits,editor,queue,queue-hop,daemon,scaling,type-aware,startup,tuning]
//   [--sizes 100,1000,10000] (scaling: file counts) [--copies 1,3] (type-aware: copies of src/ in the project)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCorpus, CORPUS_PACKAGE, CORPUS_VERSION } from './corpus.mjs';
import { compare, machine, measure, table } from './measure.mjs';
import { queueScenario } from './queue.mjs';
import { queueHopScenario } from './queue-hop.mjs';
import { daemonScenario } from './daemon.mjs';
import { startupScenario } from './startup.mjs';
import { tuningScenario } from './tuning.mjs';
import { scalingScenario } from './scaling.mjs';
import { typeAwareScenario } from './type-aware.mjs';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, sizes: { type: 'string', default: '100,1000,10000' }, copies: { type: 'string', default: '1,3' }, only: { type: 'string', default: 'overhead,analyze,lint,prettier,daemon,cache,isolation,limits,editor' } } });
const runs = Number(values.runs);
const only = new Set(values.only.split(','));
const corpus = ensureCorpus();
const cli = path.join(root, 'dist', 'cli.js');
const bin = (rel) => path.join(root, 'node_modules', rel);
const out = [`# Benchmark run`, '', `Corpus: ${CORPUS_PACKAGE}@${CORPUS_VERSION} lib/ · ${machine()} · median of ${runs} runs after a warm-up, contenders in alternation.`, ''];
const say = (line = '') => {
  out.push(line);
  process.stderr.write(`${line}\n`);
};
// The corpus sits in .cache/, which our .gitignore ignores; the other tools do not read .gitignore either.
const common = ['--no-gitignore', '--no-cache'];
// No run may start or use a daemon (it would outlive the bench and serve the next contender warm) unless it says
// --daemon, which wins over this: only the daemon scenario does.
process.env.PARALLEL_TASKS_DAEMON = '0';

if (only.has('overhead')) {
  say('## Pool overhead (no-op and small tasks through the scheduler)');
  say();
  const driver = path.join(root, 'out', 'bench', 'driver.js');
  say(execFileSync(process.execPath, [driver, '--runs', String(Math.max(3, runs))], { encoding: 'utf8' }).trim());
  say();
}

if (only.has('analyze')) {
  const results = await compare(
    {
      'analyze --workers 0': [cli, 'analyze', 'lib', '--format', 'json', ...common, '--workers', '0'],
      'analyze --workers 1': [cli, 'analyze', 'lib', '--format', 'json', ...common, '--workers', '1'],
      'analyze --workers 2': [cli, 'analyze', 'lib', '--format', 'json', ...common, '--workers', '2'],
    },
    corpus,
    runs,
  );
  const sources = readdirSync(path.join(corpus, 'lib'), { recursive: true }).map((f) => path.join(corpus, 'lib', String(f))).filter((f) => f.endsWith('.js'));
  const bytes = sources.reduce((n, f) => n + statSync(f).size, 0);
  say('## Analyze');
  say();
  say(table(results, 'analyze --workers 1'));
  say();
  say(`MB/s with 2 workers: ${(bytes / 2 ** 20 / (results['analyze --workers 2'].wallMs / 1000)).toFixed(2)}; 2 vs 1 workers (first bar ≤ 0.60, aim ≤ 0.52): ${(results['analyze --workers 2'].wallMs / results['analyze --workers 1'].wallMs).toFixed(2)}`);
  // Issue 14's start, measured when it was filed (b161b37, typescript-estree, same corpus and machine): 790 files in 7.7 s.
  const filesPerSecond = sources.length / (results['analyze --workers 1'].wallMs / 1000);
  say(`Files/s with 1 worker: ${filesPerSecond.toFixed(0)}, ${(filesPerSecond / (790 / 7.7)).toFixed(1)}× the issue's start of 103 files/s (first bar ≥ 2.5, aim ≥ 5)`);
  say();
}

if (only.has('lint')) {
  const contenders = {
    'eslint --concurrency=off': [bin('eslint/bin/eslint.js'), '--format', 'json', '--concurrency=off', 'lib'],
    'eslint --concurrency=2': [bin('eslint/bin/eslint.js'), '--format', 'json', '--concurrency=2', 'lib'],
    'parallel-tasks --workers 1': [cli, 'lint', 'lib', '--format', 'json', ...common, '--workers', '1'],
    'parallel-tasks --workers 2': [cli, 'lint', 'lib', '--format', 'json', ...common, '--workers', '2'],
    // What the default (auto: processes for a run this size) is measured against.
    'parallel-tasks --workers 2 --isolation thread': [cli, 'lint', 'lib', '--format', 'json', ...common, '--workers', '2', '--isolation', 'thread'],
  };
  const reference = (await measure(contenders['eslint --concurrency=off'], corpus)).stdout;
  for (const [name, args] of Object.entries(contenders)) {
    if ((await measure(args, corpus)).stdout !== reference) throw new Error(`${name} does not print the same JSON as eslint`);
  }
  const results = await compare(contenders, corpus, runs);
  const w2 = results['parallel-tasks --workers 2'];
  say('## Lint (identical JSON checked first)');
  say();
  say(table(results, 'eslint --concurrency=off'));
  say();
  const off = results['eslint --concurrency=off'];
  const w1 = results['parallel-tasks --workers 1'];
  const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : '–');
  say(`Issue 14 (first bar / aim): 2 workers vs eslint --concurrency=off (≤ 0.90 / 0.75): ${ratio(w2.wallMs, off.wallMs)}; vs --concurrency=2 (≤ 0.85 / 0.70): ${ratio(w2.wallMs, results['eslint --concurrency=2'].wallMs)}; CPU of 1 worker vs eslint's (≤ 1.05 / 1.00): ${ratio(w1.cpuMs, off.cpuMs)}; peak memory of 2 workers vs eslint's (≤ 1.2 / 1.0): ${ratio(w2.peakKb, off.peakKb)}`);
  say();
}

if (only.has('queue')) {
  await queueScenario({ cli, corpus, runs, bin, common, say });
}

if (only.has('tuning')) {
  await tuningScenario({ cli, corpus, runs, common, say });
}

if (only.has('startup')) {
  await startupScenario({ cli, corpus, runs, common, say });
}

if (only.has('queue-hop')) {
  await queueHopScenario({ cli, corpus, runs, common, say });
}

if (only.has('daemon')) {
  await daemonScenario({ cli, corpus, runs, bin, common, say });
}

if (only.has('scaling')) {
  await scalingScenario({ cli, corpus, runs, bin, common, say, sizes: values.sizes.split(',').map(Number) });
}

if (only.has('type-aware')) {
  await typeAwareScenario({ cli, runs, bin, common, say, copies: values.copies.split(',').map(Number) });
}

if (only.has('prettier')) {
  // Both write into their own copy; outputs are compared byte for byte afterwards.
  const copy = (name) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `pt-bench-${name}-`));
    cpSync(path.join(corpus, 'lib'), path.join(dir, 'lib'), { recursive: true });
    return dir;
  };
  // Prettier's experimental CLI reads .gitignore files up to the repository's root, and ours ignores .cache/
  // where the corpus is: without its own ignore file named it would check no file and say all is well.
  const experimental = [bin('prettier/bin/prettier.cjs'), '--experimental-cli', '--no-cache', '--ignore-path=.prettierignore'];
  const a = copy('cli');
  const b = copy('pt');
  const c = copy('experimental');
  await measure([bin('prettier/bin/prettier.cjs'), '--write', 'lib'], a);
  await measure([cli, 'transform', '--prettier', '--write', 'lib', ...common, '--workers', '2'], b);
  await measure([...experimental, '--write', 'lib'], c);
  for (const other of [b, c]) {
    const differing = readdirSync(path.join(a, 'lib'), { recursive: true })
      .map(String)
      .filter((f) => statSync(path.join(a, 'lib', f)).isFile())
      .filter((f) => !readFileSync(path.join(a, 'lib', f)).equals(readFileSync(path.join(other, 'lib', f))));
    if (differing.length) throw new Error(`prettier outputs differ: ${differing.slice(0, 5).join(', ')}`);
  }
  for (const dir of [a, b, c]) rmSync(dir, { recursive: true, force: true });
  // Timed with --check, which formats every file and writes nothing, so runs can repeat on the same files.
  const results = await compare(
    {
      'prettier --check': [bin('prettier/bin/prettier.cjs'), '--check', 'lib'],
      'prettier --experimental-cli --no-cache --check': [...experimental, '--check', 'lib'],
      'parallel-tasks --prettier --check, 1 worker': [cli, 'transform', '--prettier', '--check', 'lib', ...common, '--workers', '1'],
      'parallel-tasks --prettier --check, 2 workers': [cli, 'transform', '--prettier', '--check', 'lib', ...common, '--workers', '2'],
    },
    corpus,
    runs,
  );
  say('## Prettier (byte-identical --write output checked first)');
  say();
  say(table(results, 'prettier --check'));
  say();
  const ours = results['parallel-tasks --prettier --check, 2 workers'].wallMs;
  say(`Issue 14 (first bar / aim): 2 workers vs prettier --check (≤ 0.90 / 0.75): ${(ours / results['prettier --check'].wallMs).toFixed(2)}; vs its experimental parallel CLI, no caches (≤ 1.00 / 0.85): ${(ours / results['prettier --experimental-cli --no-cache --check'].wallMs).toFixed(2)}`);
  say();
}

if (only.has('cache')) {
  const cacheFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'pt-bench-cache-')), 'lint.json');
  const args = [cli, 'lint', 'lib', '--format', 'json', '--no-gitignore', '--workers', '2', '--cache-location', cacheFile];
  const touched = path.join(corpus, 'lib', 'Cache.js');
  const original = readFileSync(touched, 'utf8');
  const results = await compare({ 'cold (no cache file)': args, 'warm, nothing changed': args, 'warm, one file changed': args }, corpus, runs, async (name) => {
    if (name.startsWith('cold')) rmSync(cacheFile, { force: true });
    writeFileSync(touched, name === 'warm, one file changed' ? `${original}// edited ${Date.now()}\n` : original);
  });
  writeFileSync(touched, original);
  say('## Repeat runs with the result cache (lint, 2 workers)');
  say();
  say(table(results, 'cold (no cache file)'));
  say();
  say(`Target warm/cold ≤ 0.10: ${(results['warm, nothing changed'].wallMs / results['cold (no cache file)'].wallMs).toFixed(3)}`);
  say();
}

if (only.has('isolation')) {
  // The same codemod (a jscodeshift transform in TypeScript) over the corpus,
  // in worker threads and in worker processes; --check writes nothing.
  const codemod = path.join(root, 'test', 'fixtures', 'codemods', 'rename-foo.ts');
  const run = (isolation) => [cli, 'transform', '--codemod', codemod, '--check', 'lib', ...common, '--workers', '2', '--isolation', isolation];
  const results = await compare({ 'codemod, 2 worker threads': run('thread'), 'codemod, 2 worker processes': run('process') }, corpus, runs);
  say('## Isolation: one codemod in worker threads and in worker processes');
  say();
  say(table(results, 'codemod, 2 worker threads'));
  say();
  say(`Processes vs threads: ${(results['codemod, 2 worker processes'].wallMs / results['codemod, 2 worker threads'].wallMs).toFixed(2)} of the wall time, ${(results['codemod, 2 worker processes'].peakKb / results['codemod, 2 worker threads'].peakKb).toFixed(2)} of the peak memory (of the CLI's own process: GNU time reports the largest single process).`);
  say();
}

if (only.has('limits')) {
  // What bounds the 2-worker runs: the same contenders with V8's helper
  // threads (concurrent GC, background compilation) turned off, so that all
  // the work lands on the JavaScript threads and can be compared directly.
  const single = (args) => ['--single-threaded', ...args];
  const contenders = {
    'eslint --concurrency=off': [bin('eslint/bin/eslint.js'), '--format', 'json', '--concurrency=off', 'lib'],
    'lint --workers 1': [cli, 'lint', 'lib', '--format', 'json', ...common, '--workers', '1'],
    'lint --workers 2': [cli, 'lint', 'lib', '--format', 'json', ...common, '--workers', '2'],
    'analyze --workers 1': [cli, 'analyze', 'lib', '--format', 'json', ...common, '--workers', '1'],
    'analyze --workers 2': [cli, 'analyze', 'lib', '--format', 'json', ...common, '--workers', '2'],
  };
  const both = {};
  for (const [name, args] of Object.entries(contenders)) {
    both[name] = args;
    both[`${name}, node --single-threaded`] = single(args);
  }
  const results = await compare(both, corpus, runs);
  say('## What limits two workers on this machine');
  say();
  say(table(results, 'eslint --concurrency=off'));
  say();
  const r = (a, b) => (results[a].wallMs / results[b].wallMs).toFixed(2);
  const cpu = (name) => (results[name].cpuMs / 1000).toFixed(1);
  say(`- Work done by helper threads: eslint uses ${cpu('eslint --concurrency=off')} s of CPU in ${(results['eslint --concurrency=off'].wallMs / 1000).toFixed(1)} s; with --single-threaded the same work takes ${(results['eslint --concurrency=off, node --single-threaded'].wallMs / 1000).toFixed(1)} s of wall.`);
  say(`- Lint 2 vs 1 worker: ${r('lint --workers 2', 'lint --workers 1')} normally, ${r('lint --workers 2, node --single-threaded', 'lint --workers 1, node --single-threaded')} single-threaded. Analyze: ${r('analyze --workers 2', 'analyze --workers 1')} and ${r('analyze --workers 2, node --single-threaded', 'analyze --workers 1, node --single-threaded')}.`);
  say(`- Lower bound for 2 workers (their CPU / 2 cores): lint ${(results['lint --workers 2'].cpuMs / 2000).toFixed(1)} s, analyze ${(results['analyze --workers 2'].cpuMs / 2000).toFixed(1)} s.`);
  say();
}

if (only.has('editor')) {
  // In the real VS Code host (code-server, installed by the test harness):
  // each round starts a fresh host and runs the suite's measurement tests,
  // which put their figures in their titles.
  execFileSync(process.execPath, ['scripts/build.mjs', '--tests'], { cwd: root, stdio: 'ignore' });
  const activation = [];
  const firstResult = [];
  const saveToProblems = [];
  for (let round = -1; round < runs; round++) {
    const log = execFileSync(process.execPath, [bin('mocha/bin/mocha.js'), '--no-config', '--timeout', '0', 'out/test/e2e/vscode-host.test.js', '--grep', 'extension host \\(trusted'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PT_TEST_GREP: 'activates cheaply|fills Problems|first result|edited and saved file' },
    });
    const a = /\[activation: ([\d.]+) ms\]/.exec(log);
    const f = /\[first result: ([\d.]+) ms\]/.exec(log);
    const s = /\[save to Problems: ([\d.]+) ms; from the saved event: ([\d.]+) ms; the pass: ([\d.]+) ms\]/.exec(log);
    if (!a || !f || !s) throw new Error(`the host suite reported no measurement:\n${log.slice(-3000)}`);
    if (round >= 0) {
      activation.push(Number(a[1]));
      firstResult.push(Number(f[1]));
      saveToProblems.push(s.slice(1, 4).map(Number));
    }
  }
  const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  say('## Editor (code-server 4.100.3 = VS Code 1.100.3, real extension host)');
  say();
  say('| measurement | median (ms) | runs (ms) | target |');
  say('| --- | ---: | --- | --- |');
  say(`| activation (load the bundle + activate) | ${med(activation).toFixed(1)} | ${activation.map((x) => x.toFixed(1)).join(', ')} | < 50 |`);
  say(`| first result, one edited file, warm pool (command to Problems) | ${med(firstResult).toFixed(0)} | ${firstResult.map((x) => x.toFixed(0)).join(', ')} | < 500 |`);
  const saves = (i) => saveToProblems.map((x) => x[i]);
  say(`| save to Problems, lint.keepCurrent onSave, warm pool: from the call to save (VS Code's save included; median of a round's saves) | ${med(saves(0)).toFixed(0)} | ${saves(0).map((x) => x.toFixed(0)).join(', ')} | |`);
  say(`| the same, from VS Code's saved event (the file is on disk) to Problems | ${med(saves(1)).toFixed(0)} | ${saves(1).map((x) => x.toFixed(0)).join(', ')} | < 200 |`);
  say(`| the same, the pass alone (off the queue to Problems set) | ${med(saves(2)).toFixed(0)} | ${saves(2).map((x) => x.toFixed(0)).join(', ')} | |`);
  say();
}

process.stdout.write(`${out.join('\n')}\n`);
