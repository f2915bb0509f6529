import { chmodSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256 } from '../core/hash';

/** Where one workspace's daemon is reached: all in the user's private folder. */
export interface DaemonPlace {
  readonly dir: string;
  readonly socket: string;
  /** The secret a connection presents first (0600: only this user can read it). */
  readonly token: string;
  /** The daemon's stdout and stderr. */
  readonly log: string;
}

/** The longest Unix socket path Linux takes (sun_path holds 108 bytes with the final NUL). */
const MAX_SOCKET_PATH = 107;

/** The daemon could not be used safely or at all: said in one line, and the run goes on locally. */
export class DaemonUnavailableError extends Error {
  override readonly name = 'DaemonUnavailableError';
}

function uid(): number {
  return process.getuid?.() ?? -1;
}

/**
 * The folder that holds the user's daemon sockets. $XDG_RUNTIME_DIR is the
 * user's own (0700, emptied at logout); else one named after the uid in the
 * temp folder, which anyone can write to: hence the checks in `checkPrivate`.
 */
export function privateDir(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime)) return path.join(runtime, 'parallel-tasks');
  return path.join(os.tmpdir(), `parallel-tasks-${uid()}`);
}

/**
 * Refuses a path that another user could have put there or could reach into:
 * not ours, a symbolic link (which could point anywhere), or open to group
 * or others. Another user who created /tmp/parallel-tasks-<uid> first could
 * otherwise read our tokens or stand in for our daemon.
 */
export function checkPrivate(file: string, kind: 'folder' | 'file'): void {
  const info = lstatSync(file);
  if (info.isSymbolicLink()) throw new DaemonUnavailableError(`${file} is a symbolic link; refusing to use it`);
  if (kind === 'folder' ? !info.isDirectory() : !info.isFile()) throw new DaemonUnavailableError(`${file} is not a ${kind}; refusing to use it`);
  if (info.uid !== uid()) throw new DaemonUnavailableError(`${file} belongs to uid ${info.uid}, not to this user (uid ${uid()}); refusing to use it`);
  if ((info.mode & 0o077) !== 0) {
    throw new DaemonUnavailableError(`${file} is open to other users (mode ${(info.mode & 0o777).toString(8)}); refusing to use it (it must be ${kind === 'folder' ? '700' : '600'})`);
  }
}

/** The private folder, created 0700 if missing, and checked either way. */
export function ensurePrivateDir(): string {
  const dir = privateDir();
  try {
    mkdirSync(dir, { mode: 0o700 });
    // The umask may have taken bits away, never added any; set it exactly anyway.
    chmodSync(dir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new DaemonUnavailableError(`cannot create ${dir}: ${(error as Error).message}`);
  }
  checkPrivate(dir, 'folder');
  return dir;
}

/**
 * One daemon per user (the folder is theirs) and workspace root (the names
 * hash its real path, so that a link to the same folder finds the same
 * daemon). Short names: a Unix socket's path is limited to about 100 bytes.
 */
export function daemonPlace(root: string, dir = ensurePrivateDir()): DaemonPlace {
  let real = root;
  try {
    real = realpathSync(root);
  } catch {
    // A root that cannot be resolved is named as given.
  }
  const name = `d-${sha256(real).slice(0, 16)}`;
  const socket = path.join(dir, `${name}.sock`);
  // Longer, and Node binds a socket at a cut-off path that no client finds.
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) throw new DaemonUnavailableError(`the socket's path would be too long (${Buffer.byteLength(socket)} bytes, at most ${MAX_SOCKET_PATH}): ${dir}; set XDG_RUNTIME_DIR to a shorter folder`);
  return { dir, socket, token: path.join(dir, `${name}.token`), log: path.join(dir, `${name}.log`) };
}
