import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { runJob, type JobResult } from '../../src/core/engine';
import type { Executor } from '../../src/core/executor';
import { RunState } from '../../src/core/run-state';
import type { SchedulerOptions } from '../../src/core/scheduler';
import { tempFileOwner } from '../../src/core/temp-files';
import { PoolExecutor } from '../../src/core/pool-executor';
import type { FileAnalysis } from '../../src/tasks/analyze/types';
import type { LintValue } from '../../src/tasks/lint/types';
import type { TransformValue } from '../../src/tasks/transform/types';
import { behaviourWorker, cliScript, repoRoot, tempDir, workerScript, writeFiles } from '../helpers/files';

/**
 * Fault injection: each case breaks something on purpose and checks that the
 * run finishes, every other file gets its result, the broken one is reported
 * with a reason, and the pool is idle and usable afterwards. The tally is
 * printed at the end for the record.
 */
const tally = { faults: 0, runs: 0, finished: 0, lostOrCorrupted: 0 };

describe('fault injection', function () {
  this.timeout(120_000);
  let executors: Executor[] = [];
  const cleanups: (() => void)[] = [];

  afterEach(async () => {
    await Promise.all(executors.map((e) => e.terminate()));
    executors = [];
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  after(() => {
    process.stdout.write(
      `      fault injection: ${tally.faults} faults injected, ${tally.runs} runs, ${tally.finished} finished, ${tally.lostOrCorrupted} files lost or corrupted\n`,
    );
  });

  function pool(script: string, workers: number, maxOldGenerationSizeMb?: number): Executor {
    const executor = new PoolExecutor({ script, workers, maxOldGenerationSizeMb });
    executors.push(executor);
    return executor;
  }

  function folder(files: Record<string, string | Buffer>): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFiles(dir, files);
    return dir;
  }

  async function run<R>(
    executor: Executor,
    dir: string,
    kind: string,
    options: unknown = {},
    extra: { scheduler?: Partial<SchedulerOptions>; maxFileSize?: number; batchBytes?: number; signal?: AbortSignal; state?: RunState<R> } = {},
  ): Promise<JobResult<R>> {
    tally.runs++;
    const result = await runJob<R>(
      executor,
      {
        kind,
        root: dir,
        options,
        discovery: { cwd: dir, paths: [], include: ['**/*'], exclude: [], gitignore: false, maxFileSize: extra.maxFileSize ?? 1 << 20 },
        scheduler: { fileTimeoutMs: 20_000, cancelGraceMs: 0, ...extra.scheduler },
        batchBytes: extra.batchBytes,
        signal: extra.signal,
      },
      extra.state,
    );
    // Counted once the engine has returned: a run that hung would never get here.
    tally.finished++;
    return result;
  }

  function assertHealthy<R>(executor: Executor, result: JobResult<R>): void {
    const stats = executor.stats();
    assert.equal(stats.busy, 0, 'no worker is left busy');
    assert.equal(stats.pending, 0, 'no task is left queued');
    const { counts } = result.state.snapshot();
    assert.equal(counts.pending + counts.running, 0, 'no file is left pending or running');
    assert.equal(counts.done + counts.failed + counts.skipped + counts.cancelled, counts.total, 'every file is accounted for');
  }

  function byName<R>(result: JobResult<R>): Map<string, { status: string; message?: string; value?: R }> {
    return new Map(
      result.state.results().map((r) => [
        path.basename(r.path),
        {
          status: r.status,
          ...(r.outcome?.status === 'error' ? { message: r.outcome.message } : r.outcome?.status === 'skipped' ? { message: r.outcome.reason } : {}),
          ...(r.outcome?.status === 'ok' ? { value: r.outcome.value } : {}),
        },
      ]),
    );
  }

  const oks = (count: number): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`ok${String(i).padStart(2, '0')}.txt`, `ok ${'x'.repeat(i)}`]));

  /** Files whose result must be unaffected by a fault elsewhere: all done, with their byte count as value. */
  function assertOthersDone(result: JobResult<number>, count: number): void {
    const results = byName(result);
    for (let i = 0; i < count; i++) {
      const name = `ok${String(i).padStart(2, '0')}.txt`;
      const record = results.get(name);
      if (record?.status !== 'done' || record.value !== 3 + i) tally.lostOrCorrupted++;
      assert.equal(record?.status, 'done', name);
      assert.equal(record?.value, 3 + i, `${name} has its own result`);
    }
  }

  describe('workers that fail', () => {
    const cases: { name: string; content: string; reason: RegExp; limitMb?: number }[] = [
      { name: 'throws', content: 'throw', reason: /boom in/ },
      { name: 'calls process.exit', content: 'exit', reason: /crashed while processing this file, 2 times/ },
      { name: 'runs out of memory (worker resourceLimits)', content: 'oom', reason: /memory/i, limitMb: 64 },
      { name: 'loops forever (timeout, then termination)', content: 'spin', reason: /Timed out after .*2 times; the worker was terminated/ },
    ];
    for (const fault of cases) {
      it(`a worker that ${fault.name}: the file is reported, the others are done, the pool is usable`, async () => {
        const executor = pool(behaviourWorker, 2, fault.limitMb);
        const dir = folder({ ...oks(12), 'bad.txt': fault.content });
        tally.faults++;
        const result = await run<number>(executor, dir, 'fixture', {}, { scheduler: { fileTimeoutMs: 1000 }, batchBytes: 1 << 20 });
        assert.equal(result.outcome.phase, 'completed');
        const bad = byName(result).get('bad.txt');
        assert.equal(bad?.status, 'failed');
        assert.match(bad?.message ?? '', fault.reason);
        assertOthersDone(result, 12);
        assertHealthy(executor, result);
        const again = await run<number>(executor, folder(oks(4)), 'fixture');
        assert.equal(again.state.snapshot().counts.done, 4, 'the same pool runs the next job');
      });
    }

    it('stops restarting workers after too many losses in a short time, and says so', async () => {
      const executor = pool(behaviourWorker, 2);
      const crashing = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`crash${i}.txt`, 'exit']));
      const dir = folder({ ...oks(5), ...crashing });
      tally.faults += 10;
      const result = await run<number>(executor, dir, 'fixture', {}, { scheduler: { crashLimit: { crashes: 4, windowMs: 60_000 } }, batchBytes: 1 });
      assert.equal(result.outcome.phase, 'failed');
      assert.match(result.outcome.error ?? '', /Workers were lost 4 times within 60 s .*stopped restarting them for this run/);
      const restarts = result.state.snapshot().workers.reduce((n, w) => n + w.restarts, 0);
      assert.ok(restarts <= 4 + 1, `${restarts} restarts: the limit held (one more may have been in flight)`);
      assertHealthy(executor, result);
      const again = await run<number>(executor, folder(oks(3)), 'fixture');
      assert.equal(again.state.snapshot().counts.done, 3, 'the next run starts afresh');
    });
  });

  describe('bad input with the real tools', () => {
    // One folder with every kind of awkward file next to good ones.
    const good = {
      'good-a.js': 'export function add(a, b) {\n  return a + b;\n}\n',
      'good-b.js': 'const unused = 1;\nif (x == 2) console.log("eq");\n',
    };
    const bad: Record<string, string | Buffer> = {
      'broken.js': 'function (\n',
      'binary.js': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0, 0xff, 0xfe]),
      'empty.js': '',
      'latin1.js': Buffer.from('// caf\xe9 cr\xe8me\nexport const s = "\xe9";\n', 'latin1'),
      'long-line.js': `export const data = [${Array.from({ length: 15_000 }, (_, i) => i).join(', ')}];\n`,
      'under-limit.js': `export const s = "${'a'.repeat(120_000 - 30)}";\n`,
      'over-limit.js': `export const s = "${'a'.repeat(140_000)}";\n`,
    };
    const limit = 128 * 1024;

    function expectCommon<R>(result: JobResult<R>): Map<string, { status: string; message?: string; value?: R }> {
      tally.faults += Object.keys(bad).length;
      assert.equal(result.outcome.phase, 'completed');
      const results = byName(result);
      if (process.env.PT_DEBUG) console.log([...results].map(([k, v]) => `${k} ${v.status} ${v.message ?? ''}`).join('\n'));
      assert.equal(results.get('binary.js')?.status, 'skipped');
      assert.match(results.get('binary.js')?.message ?? '', /binary/);
      assert.equal(results.get('over-limit.js')?.status, 'skipped');
      assert.match(results.get('over-limit.js')?.message ?? '', /larger than|size|limit/i);
      for (const name of ['empty.js', 'under-limit.js', 'long-line.js', 'good-a.js', 'good-b.js']) assert.equal(results.get(name)?.status, 'done', name);
      return results;
    }

    it('analyze: a parse error is reported at its position; everything else is measured', async () => {
      const executor = pool(workerScript, 2);
      const result = await run<FileAnalysis>(executor, folder({ ...good, ...bad }), 'analyze', {}, { maxFileSize: limit });
      const results = expectCommon(result);
      assert.equal(results.get('broken.js')?.status, 'failed');
      assert.match(results.get('broken.js')?.message ?? '', /Parse error at 1:\d+/);
      assert.equal(results.get('latin1.js')?.status, 'done', 'reading tools decode leniently, as ESLint does');
      assert.equal(results.get('empty.js')?.value?.lines.total, 0);
      assert.equal(results.get('long-line.js')?.value?.lines.code, 1);
      const alone = await run<FileAnalysis>(executor, folder(good), 'analyze');
      for (const name of Object.keys(good)) assert.deepEqual(results.get(name)?.value, byName(alone).get(name)?.value, `${name}: same result as without the bad files`);
      assertHealthy(executor, result);
    });

    it('lint: the parse error is ESLint\'s own fatal message; the other files get the same messages as alone', async () => {
      const executor = pool(workerScript, 2);
      const result = await run<LintValue>(executor, folder({ ...good, ...bad }), 'lint', {}, { maxFileSize: limit });
      const results = expectCommon(result);
      const broken = results.get('broken.js')?.value?.result.messages[0];
      assert.equal(broken?.fatal, true);
      assert.match(broken?.message ?? '', /Parsing error/);
      const alone = await run<LintValue>(executor, folder(good), 'lint');
      const messages = (value: LintValue | undefined): unknown => value?.result.messages.map((m) => [m.ruleId, m.line, m.column, m.message]);
      for (const name of Object.keys(good)) assert.deepEqual(messages(results.get(name)?.value), messages(byName(alone).get(name)?.value), name);
      assertHealthy(executor, result);
    });

    it('Prettier: the parse error is reported; a non-UTF-8 file is left alone rather than corrupted', async () => {
      const executor = pool(workerScript, 2);
      const result = await run<TransformValue>(executor, folder({ ...good, ...bad }), 'transform', { mode: 'prettier' }, { maxFileSize: limit });
      const results = expectCommon(result);
      assert.equal(results.get('broken.js')?.status, 'failed');
      assert.match(results.get('broken.js')?.message ?? '', /Unexpected token|SyntaxError/);
      assert.equal(results.get('latin1.js')?.status, 'skipped');
      assert.match(results.get('latin1.js')?.message ?? '', /not UTF-8/);
      assert.equal(results.get('empty.js')?.value?.changed, false);
      assert.equal(results.get('long-line.js')?.value?.changed, true);
      assertHealthy(executor, result);
    });
  });

  describe('files that change while the run goes', () => {
    it('a file deleted, renamed or edited before its turn: reported or read as it is then; nothing else is affected', async () => {
      const executor = pool(workerScript, 1);
      // One file per batch, largest first: the three targets are the smallest, so they come last.
      const big = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`big${i}.js`, `export const v${i} = [${'1, '.repeat(4000 + i)}];\n`]));
      const dir = folder({ ...big, 'z-deleted.js': 'a;\n', 'z-renamed.js': 'b;\n', 'z-edited.js': 'c;\n' });
      const state = new RunState<FileAnalysis>();
      let changed = false;
      state.subscribe((event) => {
        if (event.type === 'file-done' && !changed) {
          changed = true;
          rmSync(path.join(dir, 'z-deleted.js'));
          renameSync(path.join(dir, 'z-renamed.js'), path.join(dir, 'z-renamed-now.js'));
          writeFileSync(path.join(dir, 'z-edited.js'), 'c;\n// a comment added\n// and another\n');
        }
      });
      tally.faults += 3;
      const result = await run<FileAnalysis>(executor, dir, 'analyze', {}, { batchBytes: 1, state });
      const results = byName(result);
      assert.equal(results.get('z-deleted.js')?.status, 'failed');
      assert.equal(results.get('z-deleted.js')?.message, 'File no longer exists');
      assert.equal(results.get('z-renamed.js')?.message, 'File no longer exists');
      assert.equal(results.get('z-edited.js')?.value?.lines.comment, 2, 'the edited file is analysed as it is when read');
      for (let i = 0; i < 8; i++) assert.equal(results.get(`big${i}.js`)?.status, 'done');
      assertHealthy(executor, result);
    });
  });

  describe('cancellation and long sessions', () => {
    it('cancels at 30 random points of a long run: no busy or leaked worker, counts always add up', async () => {
      const executor = pool(behaviourWorker, 2);
      // About 3 s of sleeping over two workers, 1.5 s at best: far longer than the latest cancel (400 ms, plus 100 ms of grace), so every cancel lands while files are still to do.
      const dir = folder(Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}.txt`, `sleep ${20 + (i % 7) * 10}`])));
      let seed = 7;
      const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
      const baseline = threadCount();
      for (let i = 0; i < 30; i++) {
        const controller = new AbortController();
        const at = Math.floor(random() * 400);
        const timer = setTimeout(() => controller.abort(), at);
        tally.faults++;
        const result = await run<number>(executor, dir, 'fixture', {}, { signal: controller.signal, scheduler: { cancelGraceMs: Math.floor(random() * 3) * 50 }, batchBytes: 1 + Math.floor(random() * 64) });
        clearTimeout(timer);
        const counts = result.state.snapshot().counts;
        assert.equal(result.outcome.phase, 'cancelled', `cancel at ${at} ms`);
        assert.ok(counts.done < counts.total, `cancel at ${at} ms stopped the run: ${counts.done} of ${counts.total} files done`);
        assert.ok(counts.cancelled > 0, `cancel at ${at} ms left files cancelled`);
        assert.equal(counts.failed, 0, 'a cancelled file is not a failure');
        assertHealthy(executor, result);
        assert.ok(executor.stats().workers <= 2, 'never more workers than asked for');
      }
      assert.ok(threadCount() <= baseline + 2, 'no threads leaked beyond the two workers');
    });

    it('50 runs in a row on one pool: threads and memory come back to where they were', async () => {
      const executor = pool(behaviourWorker, 2);
      const dir = folder(oks(40));
      const gc = collectGarbage();
      await run<number>(executor, dir, 'fixture');
      gc();
      const threadsBefore = threadCount();
      const heapBefore = process.memoryUsage().heapUsed;
      for (let i = 0; i < 50; i++) {
        const result = await run<number>(executor, dir, 'fixture');
        assert.equal(result.state.snapshot().counts.done, 40);
      }
      gc();
      const grown = process.memoryUsage().heapUsed - heapBefore;
      assert.equal(threadCount(), threadsBefore, 'the same threads as after the first run');
      assert.ok(grown < 8 << 20, `heap grew by ${(grown / 2 ** 20).toFixed(1)} MB over 50 runs`);
      const live = executor.stats().workers;
      assert.ok(live >= 1);
      await executor.terminate();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(threadCount() <= threadsBefore - live, `terminating the pool ends its ${live} worker threads (${threadsBefore} before, ${threadCount()} after)`);
    });
  });

  describe('no data loss', () => {
    it('killing the CLI (SIGKILL) in the middle of --write leaves every file either old or new, never a mix', async function () {
      this.timeout(300_000);
      // Prettier's output for each file, computed once with Prettier itself.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const prettier = require(path.join(repoRoot, 'node_modules', 'prettier', 'index.cjs')) as { format: (text: string, options: { filepath: string }) => Promise<string> };
      const originals: Record<string, string> = {};
      for (let i = 0; i < 300; i++) originals[`src/m${String(i).padStart(3, '0')}.js`] = `const   a${i} = {x:1,   y:[1,2,3], k${'k'.repeat(i % 40)}: "v"}\nexport   function f${i}(a,b){return a+b+${'1+'.repeat(200 + i)}0}\n`;
      const formatted = Object.fromEntries(await Promise.all(Object.entries(originals).map(async ([name, text]) => [name, await prettier.format(text, { filepath: name })] as const)));
      const rounds: string[] = [];
      for (const killAfterWrites of [1, 20, 60]) {
        const dir = folder(originals);
        tally.faults++;
        const child = spawn(process.execPath, [cliScript, 'transform', '--prettier', '--write', 'src', '--workers', '2', '--no-cache'], { cwd: dir, stdio: 'ignore' });
        // Kill it with SIGKILL (no cleanup) once enough files have been rewritten.
        const killed = await new Promise<boolean>((resolve) => {
          const poll = setInterval(() => {
            const written = Object.keys(originals).filter((name) => readFileSync(path.join(dir, name), 'utf8') !== originals[name]).length;
            if (written >= killAfterWrites) {
              clearInterval(poll);
              child.kill('SIGKILL');
              resolve(true);
            }
          }, 5);
          child.on('exit', () => {
            clearInterval(poll);
            resolve(false);
          });
        });
        await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.on('exit', resolve)));
        let old = 0;
        let fresh = 0;
        for (const name of Object.keys(originals)) {
          const text = readFileSync(path.join(dir, name), 'utf8');
          if (text === originals[name]) old++;
          else if (text === formatted[name]) fresh++;
          else tally.lostOrCorrupted++;
        }
        assert.equal(old + fresh, Object.keys(originals).length, `every file is old or new (killed: ${killed})`);
        assert.ok(killed, 'the CLI was killed while it was writing');
        assert.ok(old > 0 && fresh >= killAfterWrites, `killed half way: ${fresh} written, ${old} not yet`);
        rounds.push(`${fresh}/${old}`);
        const leftovers = readdirSync(path.join(dir, 'src')).filter((f) => !f.endsWith('.js'));
        // Only our own temporaries (hidden, never picked up by another run, removed by the next --write).
        assert.ok(leftovers.every((f) => tempFileOwner(f) !== undefined), leftovers.join(', '));
      }
      if (this.test) this.test.title += ` [written/untouched at each kill: ${rounds.join(', ')}]`;
    });
  });
});

/** Threads of this process, from /proc (Linux): worker threads that were not ended show up here. */
function threadCount(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}

/** A full garbage collection, so that heap figures compare live data only. */
function collectGarbage(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
