import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { daemonStatus, openDaemon, stopDaemon } from '../daemon/client';
import { connectDaemon } from '../daemon/connection';
import { identityOf } from '../daemon/identity';
import { daemonPlace, DaemonUnavailableError, privateDir } from '../daemon/paths';
import { serveDaemon } from '../daemon/server';
import type { DaemonStatus } from '../daemon/wire';
import { workerBuild } from './job';

/** Ends an idle daemon and its pool after this long; `PARALLEL_TASKS_DAEMON_IDLE` (seconds) changes it. */
const DEFAULT_IDLE_SECONDS = 15 * 60;
export const DAEMON_IDLE_ENV = 'PARALLEL_TASKS_DAEMON_IDLE';

function idleTimeoutMs(): number {
  const seconds = Number(process.env[DAEMON_IDLE_ENV] ?? DEFAULT_IDLE_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 24 * 3600) : DEFAULT_IDLE_SECONDS) * 1000;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const err = (line: string): void => void process.stderr.write(`${line}\n`);

function describe(status: DaemonStatus): string[] {
  const up = Math.round((Date.now() - status.startedAt) / 1000);
  const pools = status.pools.map((p) => `  ${p.kind}: ${p.workers} ${p.isolation} worker(s) (heap cap ${p.heapMb} MB), ${p.live} started, ${p.busy} batch(es) running, fingerprint ${p.fingerprint}`);
  return [
    `daemon ${status.pid} for ${status.root}: up ${up} s, ${status.runs} run(s), ${status.batches} batch(es), ${status.connections} client(s) connected now`,
    `ends after ${Math.round(status.idleTimeoutMs / 1000)} s idle; log: ${status.log}`,
    ...(pools.length > 0 ? ['pools:', ...pools] : ['no warm pool yet']),
  ];
}

async function start(root: string): Promise<number> {
  const place = daemonPlace(root);
  const connection = await openDaemon(place, root, workerBuild(), true, err);
  if (!connection) return 2;
  out(`daemon ${connection.pid} serves ${root} (socket ${place.socket})`);
  connection.close();
  return 0;
}

async function stop(root: string): Promise<number> {
  const place = existsSync(privateDir()) ? daemonPlace(root) : undefined;
  const connection = place && (await connectDaemon(place));
  if (!connection) {
    out(`no daemon runs for ${root}`);
    return 0;
  }
  if (!(await stopDaemon(connection, place))) {
    err(`parallel-tasks: the daemon (pid ${connection.pid}) did not stop when asked; end it with: kill ${connection.pid}`);
    return 1;
  }
  out(`daemon ${connection.pid} stopped`);
  return 0;
}

async function status(root: string, json: boolean): Promise<number> {
  // Asking creates nothing: without the private folder, no daemon runs.
  const connection = existsSync(privateDir()) ? await connectDaemon(daemonPlace(root)) : undefined;
  const found = connection && (await daemonStatus(connection));
  connection?.close();
  if (json) out(JSON.stringify(found ?? null));
  else if (found) describe(found).forEach(out);
  else out(`no daemon runs for ${root}`);
  // Like `systemctl is-active`: a script can tell "not running" from the exit code.
  return found ? 0 : 3;
}

/** The daemon itself, started detached by a client (or by `daemon start`) in the workspace root. */
async function serve(root: string): Promise<number> {
  const stamp = (line: string): void => out(`${new Date().toISOString()} ${line}`);
  const served = await serveDaemon({ root, place: daemonPlace(root), workerScript: path.join(__dirname, 'worker.js'), identity: identityOf(workerBuild()), idleTimeoutMs: idleTimeoutMs(), log: stamp });
  // Everything is closed by now; should a stray handle keep the process alive, it ends anyway.
  setTimeout(() => process.exit(0), 2000).unref();
  // Not serving because another daemon already does is no failure: the client connects to that one.
  void served;
  return 0;
}

/** Runs a subcommand; a daemon that cannot be used safely is a one-line error (exit 2). */
async function guarded(action: () => Promise<number>): Promise<number> {
  if (process.platform === 'win32') {
    err('parallel-tasks: the daemon is not available on Windows (it needs Unix sockets in a folder only you can open)');
    return 2;
  }
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof DaemonUnavailableError)) throw error;
    err(`parallel-tasks: ${error.message}`);
    return 2;
  }
}

/** `parallel-tasks daemon start|stop|status` (and the hidden `serve`), for the workspace rooted at the current folder. */
export function addDaemonCommand(program: Command, setExit: (code: number) => void): void {
  const daemon = program
    .command('daemon')
    .description(`the warm worker pool runs use from this folder (started on first use, ended after ${DEFAULT_IDLE_SECONDS / 60} min idle or $${DAEMON_IDLE_ENV} s)`);
  daemon.command('start').description('start the daemon for the current folder, if none runs').action(async () => setExit(await guarded(() => start(process.cwd()))));
  daemon.command('stop').description('stop the daemon of the current folder and its workers').action(async () => setExit(await guarded(() => stop(process.cwd()))));
  daemon
    .command('status')
    .description('whether a daemon runs for the current folder, its pools and how many runs it served (exit 3: none runs)')
    .option('--json', 'as JSON (null: none runs)')
    .action(async (options: { json?: boolean }) => setExit(await guarded(() => status(process.cwd(), options.json === true))));
  daemon.addCommand(new Command('serve').description('run the daemon in the foreground (what a client starts, detached)').action(async () => setExit(await guarded(() => serve(process.cwd())))), { hidden: true });
}
