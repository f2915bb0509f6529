import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync, truncateSync } from 'node:fs';
import * as path from 'node:path';
import { connectDaemon, type DaemonConnection } from './connection';
import { identityOf, mismatch } from './identity';
import { DaemonUnavailableError, type DaemonPlace } from './paths';
import { socketAnswers } from './server';
import type { DaemonStatus } from './wire';

/** How long a client waits for a daemon it started to answer before it runs locally. */
const START_TIMEOUT_MS = 5000;
/** How long a stopped daemon may take to let go of its socket. */
const STOP_TIMEOUT_MS = 5000;
/** The log is cut when a new daemon starts and it has grown past this. */
const MAX_LOG_BYTES = 1 << 20;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the workspace's daemon: detached (a session of its own, so that the
 * terminal's Ctrl+C and hangup do not reach it), its output in a log file in
 * the private folder, its working folder the root. Resolves with a connection
 * once it answers.
 */
export async function startDaemon(place: DaemonPlace, root: string, build: string): Promise<DaemonConnection> {
  try {
    if (statSync(place.log).size > MAX_LOG_BYTES) truncateSync(place.log, 0);
  } catch {
    // No log yet.
  }
  const log = openSync(place.log, 'a', 0o600);
  const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), 'daemon', 'serve'], { cwd: root, detached: true, stdio: ['ignore', log, log] });
  child.unref();
  closeSync(log);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const connection = await connectDaemon(place);
    // Another client may have started one at the same moment: whichever daemon got the socket serves both.
    if (connection && !mismatch(connection.identity, identityOf(build))) return connection;
    connection?.close();
    if (exited !== null && !(await socketAnswers(place.socket))) throw new DaemonUnavailableError(`the daemon exited at start with code ${exited} (see ${place.log})`);
    await sleep(40);
  }
  throw new DaemonUnavailableError(`the daemon did not answer within ${START_TIMEOUT_MS / 1000} s (see ${place.log})`);
}

/** Asks a daemon to stop and waits until its socket no longer answers; false if it did not agree or let go in time. */
export async function stopDaemon(connection: DaemonConnection, place: DaemonPlace): Promise<boolean> {
  const agreed = await connection.ask({ type: 'stop' }, 'stopping');
  connection.close();
  if (!agreed) return false;
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (await socketAnswers(place.socket)) {
    if (Date.now() > deadline) return false;
    await sleep(40);
  }
  return true;
}

export async function daemonStatus(connection: DaemonConnection): Promise<DaemonStatus | undefined> {
  return (await connection.ask({ type: 'status' }, 'status'))?.status;
}

/**
 * The workspace's daemon, ready for batches: the running one if it is of this
 * build, Node and environment; otherwise (with `start`) a new one, after
 * stopping one of another build. Undefined when none runs and `start` is off.
 * Throws DaemonUnavailableError with the reason when it cannot be used.
 */
export async function openDaemon(place: DaemonPlace, root: string, build: string, start: boolean, log: (line: string) => void): Promise<DaemonConnection | undefined> {
  const running = await connectDaemon(place);
  if (running) {
    const why = mismatch(running.identity, identityOf(build));
    if (!why) return running;
    if (!start) {
      running.close();
      return undefined;
    }
    log(`parallel-tasks: replacing the daemon (pid ${running.pid}): ${why}`);
    if (!(await stopDaemon(running, place))) throw new DaemonUnavailableError(`the daemon (pid ${running.pid}) did not stop when asked`);
  }
  return start ? startDaemon(place, root, build) : undefined;
}
