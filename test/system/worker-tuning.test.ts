import * as assert from 'node:assert/strict';
import { PROCESS_RUN_MS, WORKER_FLAGS_ENV, workerProcessFlags } from '../../src/core/worker-tuning';
import { tempDir, writeFiles } from '../helpers/files';
import { spawnCli } from './cli';

/**
 * A config whose one rule reports where it ran: the worker's own flags (but the heap cap, which depends on the
 * machine's memory) and whether on a thread or a process's main thread. What the worker really started with,
 * seen from inside it.
 */
const PROBE_CONFIG = `import { isMainThread } from 'node:worker_threads';
const flags = process.execArgv.filter((f) => !f.startsWith('--max-old-space-size')).join(' ');
const where = { create: (context) => ({ Program: (node) => context.report({ node, message: (isMainThread ? 'process' : 'thread') + ' [' + flags + ']' }) }) };
export default [{ files: ['**/*.js'], plugins: { probe: { rules: { where } } }, rules: { 'probe/where': 'warn' } }];
`;

interface EslintJson {
  readonly filePath: string;
  readonly messages: readonly { readonly message: string }[];
}

describe('workers tuned per run (CLI)', function () {
  this.timeout(120_000);
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  /** `count` files of about `bytes` each: the batcher expects ~1 ms of work per KB before it has measured any. */
  function project(count: number, bytes: number): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const filler = `// ${'x'.repeat(76)}\n`.repeat(Math.ceil(bytes / 80));
    const files: Record<string, string> = { 'eslint.config.mjs': PROBE_CONFIG };
    for (let i = 0; i < count; i++) files[`src/f${i}.js`] = `${filler}export const value${i} = ${i};\n`;
    writeFiles(dir, files);
    return dir;
  }

  function lint(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): { places: Set<string>; files: number; stderr: string; status: number | null } {
    const run = spawnCli(['lint', '--format', 'json', '--no-cache', '--workers', '2', ...args], dir, { env: { ...process.env, ...env } });
    const results = JSON.parse(run.stdout) as EslintJson[];
    return { places: new Set(results.flatMap((r) => r.messages.map((m) => m.message))), files: results.length, stderr: run.stderr, status: run.status };
  }

  const tuned = workerProcessFlags(2).join(' ');
  /** Files of 10 KB enough for twice the expected work that sends a run to processes (1 ms per KB, before any is measured). */
  const large = (): string => project(Math.ceil((2 * PROCESS_RUN_MS * 1024) / 10_000), 10_000);

  it('a run of a second or more of work goes to worker processes started with the tuned flags', () => {
    const run = lint(large(), []);
    assert.equal(run.files, Math.ceil((2 * PROCESS_RUN_MS * 1024) / 10_000) + 1, 'the files and the config');
    assert.deepEqual([...run.places], [`process [${tuned}]`]);
    assert.equal(run.status, 0, 'warnings only, as eslint exits');
  });

  it('a small run stays on worker threads, which start sooner', () => {
    const run = lint(project(3, 1000), []);
    assert.equal(run.files, 4, 'the 3 files and the config');
    assert.deepEqual([...run.places].map((p) => p.split(' ')[0]), ['thread']);
  });

  it('--isolation thread keeps a large run on threads', () => {
    const run = lint(large(), ['--isolation', 'thread']);
    assert.deepEqual([...run.places].map((p) => p.split(' ')[0]), ['thread']);
  });

  it('a flag that would start something other than a worker is refused before anything runs', () => {
    const run = spawnCli(['lint', '--no-cache', '--workers', '2'], large(), { env: { ...process.env, [WORKER_FLAGS_ENV]: '--single-threaded --require=/tmp/x.js' } });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /PARALLEL_TASKS_WORKER_FLAGS: "--require=\/tmp\/x.js" is not a V8 or Node tuning flag/);
  });

  it('flags this Node refuses: the workers start without them, the run says so and checks every file', () => {
    const run = lint(large(), [], { [WORKER_FLAGS_ENV]: '--no-such-v8-flag' });
    assert.equal(run.files, Math.ceil((2 * PROCESS_RUN_MS * 1024) / 10_000) + 1, 'the files and the config');
    assert.deepEqual([...run.places], ['process []']);
    assert.match(run.stderr, /worker processes start without their tuned flags \(--no-such-v8-flag\): this Node refused them/);
  });
});
