import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ParallelTasksApi } from '../../src/extension/extension';
import type { RunSummary } from '../../src/extension/run-types';
import { startRedis, type RedisServer } from '../helpers/redis-server';

const EXTENSION_ID = 'parallel-tasks.parallel-tasks';
const PASSWORD = 'host-test-secret';

/**
 * The editor's runs through a queue (parallelTasks.queue.url): a real
 * redis-server with a password, a real `parallel-tasks worker` process in the
 * workspace, the password from VS Code's secret storage.
 */
describe('runs through a queue on Redis, in the real VS Code host', function () {
  this.timeout(180_000);
  if (!vscode.workspace.isTrusted) return;

  let redis: RedisServer;
  let worker: ChildProcess | undefined;
  let workerLog = '';
  let extension: ParallelTasksApi;
  let extensionPath = '';
  let root = '';
  const others: ChildProcess[] = [];

  /** A `parallel-tasks worker` process in the workspace, as a user starts one; resolves once it serves the queue. */
  const startWorker = async (name: string, extra: string[], onLog?: (log: string) => void): Promise<ChildProcess> => {
    const child = spawn(process.execPath, [path.join(extensionPath, 'dist', 'cli.js'), 'worker', '--name', name, '--concurrency', '1', ...extra], {
      cwd: root,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', PARALLEL_TASKS_QUEUE: redis.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    others.push(child);
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      onLog?.(log);
    });
    for (let i = 0; i < 200 && !log.includes('serving'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(log, /serving redis:\/\/127\.0\.0\.1/, log);
    return child;
  };
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('parallelTasks');

  before(async () => {
    const found = vscode.extensions.getExtension<ParallelTasksApi>(EXTENSION_ID);
    assert.ok(found, 'the extension is installed');
    extension = await found.activate();
    extensionPath = found.extensionPath;
    root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(root);
    redis = await startRedis({ password: PASSWORD });
    // The worker a user starts in a checkout: the same build as the extension, so their batches match.
    worker = spawn(process.execPath, [path.join(found.extensionPath, 'dist', 'cli.js'), 'worker', '--name', 'host-test', '--concurrency', '1'], {
      cwd: root,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', PARALLEL_TASKS_QUEUE: redis.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    worker.stderr?.on('data', (chunk: Buffer) => (workerLog += chunk.toString('utf8')));
    for (let i = 0; i < 200 && !workerLog.includes('serving'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(workerLog, /serving redis:\/\/127\.0\.0\.1/);
  });

  afterEach(async () => {
    for (const url of [`redis://127.0.0.1:${redis.port}`, 'redis://127.0.0.1:1']) {
      await config().update('queue.url', url, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('parallelTasks.setQueuePassword', '');
    }
    await config().update('queue.url', undefined, vscode.ConfigurationTarget.Global);
    await config().update('cache', undefined, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    worker?.kill('SIGKILL');
    for (const child of others) child.kill('SIGKILL');
    await redis?.stop();
  });

  const lint = async (): Promise<RunSummary> => (await vscode.commands.executeCommand<RunSummary>('parallelTasks.lintWorkspace')) as RunSummary;

  it('lints through the queue with the password from secret storage: the same problems as here; the run\'s view (what the status bar reads) and the panel name the queue and its remote workers', async () => {
    const local = await lint();
    assert.equal(local.phase, 'completed', local.error);
    const localProblems = vscode.languages.getDiagnostics().flatMap(([uri, list]) => list.filter((d) => d.source === 'eslint').map((d) => `${uri.fsPath}:${d.range.start.line}:${d.message}`)).sort();

    await config().update('queue.url', `redis://127.0.0.1:${redis.port}`, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('parallelTasks.setQueuePassword', PASSWORD), true);
    // Every file through the queue, none from this machine's cache.
    await config().update('cache', false, vscode.ConfigurationTarget.Workspace);
    const before = workerLog.length;
    const queued = await lint();
    assert.equal(queued.phase, 'completed', queued.error);
    assert.equal(queued.cached, 0);
    assert.equal(queued.errors, local.errors);
    assert.equal(queued.warnings, local.warnings);
    assert.equal(queued.done, local.done);
    const queuedProblems = vscode.languages.getDiagnostics().flatMap(([uri, list]) => list.filter((d) => d.source === 'eslint').map((d) => `${uri.fsPath}:${d.range.start.line}:${d.message}`)).sort();
    assert.deepEqual(queuedProblems, localProblems);
    for (let i = 0; i < 50 && !workerLog.slice(before).includes('finished batch'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(workerLog.slice(before), /finished batch/, 'the worker process ran the batches');
    const view = extension.view();
    assert.equal(view?.remote?.queue, `redis://127.0.0.1:${redis.port}`);
    assert.deepEqual(view?.remote?.workers.map((w) => w.worker.name), ['host-test']);
    // The panel: one lane per remote worker, by host and name.
    const panel = extension.panelState();
    assert.equal(panel.remote?.queue, `redis://127.0.0.1:${redis.port}`);
    assert.deepEqual(panel.remote?.lanes.map((l) => [l.name, l.host, l.goneAtMs]), [['host-test', os.hostname(), undefined]]);
  });

  it('a password is kept for its own queue: set for another, it is not sent, and the run fails saying why', async () => {
    await config().update('queue.url', 'redis://127.0.0.1:1', vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('parallelTasks.setQueuePassword', PASSWORD), true);
    await config().update('queue.url', `redis://127.0.0.1:${redis.port}`, vscode.ConfigurationTarget.Global);
    const refused = await lint();
    assert.equal(refused.phase, 'failed');
    assert.match(refused.error ?? '', /cannot use the queue at redis:\/\/127\.0\.0\.1:\d+: .*(NOAUTH|Authentication)/i);
    assert.ok(!JSON.stringify(config().inspect('queue.url')).includes(PASSWORD));
  });

  it('a remote worker killed mid-batch: its lane is marked gone and its batch stalled, another worker finishes, the problems are complete', async () => {
    const local = await lint();
    assert.equal(local.phase, 'completed', local.error);
    await config().update('queue.url', `redis://127.0.0.1:${redis.port}`, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('parallelTasks.setQueuePassword', PASSWORD), true);
    await config().update('cache', false, vscode.ConfigurationTarget.Workspace);
    // Only the doomed worker serves the queue when the run starts, so it takes a batch; a short lock brings that batch back soon.
    worker?.kill('SIGTERM');
    await new Promise((resolve) => worker?.once('exit', resolve));
    // Killed from its own log's first "running batch": the holder is filled once the process exists.
    const doomed: { process?: ChildProcess } = {};
    let killed = false;
    doomed.process = await startWorker('doomed', ['--lock-duration', '2000'], (log) => {
      if (!killed && log.includes('running batch')) {
        killed = true;
        doomed.process?.kill('SIGKILL');
      }
    });
    const run = lint();
    const sleep = (ms: number): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, ms));
    for (let i = 0; i < 300 && !killed; i++) await sleep(100);
    assert.ok(killed, 'the doomed worker began a batch');
    // Its presence lapses (5 s) while the run waits for a worker: the panel marks its lane gone.
    const doomedLane = () => extension.panelState().remote?.lanes.find((l) => l.name === 'doomed');
    for (let i = 0; i < 150 && doomedLane()?.goneAtMs === undefined; i++) await sleep(100);
    await startWorker('survivor', ['--stalled-interval', '1000']);
    const queued = await run;
    assert.equal(queued.phase, 'completed', queued.error);
    assert.deepEqual([queued.done, queued.errors, queued.warnings], [local.done, local.errors, local.warnings], 'every file once, with its problems');
    const lanes = extension.panelState().remote?.lanes ?? [];
    const gone = doomedLane();
    assert.ok(gone?.goneAtMs !== undefined, `the doomed lane is marked gone: ${JSON.stringify(lanes)}`);
    assert.equal(gone?.stalledAtMs.length, 1, 'its batch is marked where it stalled and went back to the queue');
    assert.equal(gone?.spans.length, 1, 'and when it held the batch, from when it took it until the batch stalled');
    const survivor = lanes.find((l) => l.name === 'survivor');
    assert.ok(survivor && survivor.goneAtMs === undefined && survivor.spans.length >= 1, 'the survivor ran the batch');
  });
});
