import { sha256 } from '../core/hash';
import type { DaemonIdentity } from './wire';

/**
 * Variables that differ between two terminals (or two runs) of one user and
 * that no tool's result depends on; counting them would make every new shell
 * replace the daemon. Our own variables decide whether and where the daemon
 * runs, not what it computes.
 */
const VOLATILE = new Set(['PWD', 'OLDPWD', 'SHLVL', '_', 'WINDOWID', 'COLUMNS', 'LINES', 'GPG_TTY', 'TMUX', 'TMUX_PANE', 'STY', 'XDG_RUNTIME_DIR', 'CI', 'NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE', 'INIT_CWD']);
/** `npm_`: what npm and npx set for a script (its name, its command line), which differ between `npm run lint` and `npm run lint:ci`. */
const VOLATILE_PREFIXES = ['PARALLEL_TASKS_', 'TERM_', 'SSH_', 'VSCODE_', 'XDG_SESSION_', 'npm_'];

/**
 * A hash of the environment the daemon's workers would see. The daemon's
 * workers inherit the daemon's environment, not the client's: a config that
 * reads `process.env` (NODE_ENV, a feature flag) would otherwise lint with the
 * values of whichever run started the daemon.
 */
export function environmentHash(env: NodeJS.ProcessEnv = process.env): string {
  const kept = Object.keys(env)
    .filter((name) => !VOLATILE.has(name) && !VOLATILE_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .sort()
    .map((name) => `${name}=${env[name] ?? ''}`);
  return sha256(kept.join('\0'));
}

export function identityOf(build: string): DaemonIdentity {
  return { build, node: process.version, env: environmentHash() };
}

/** Why a daemon of this identity cannot serve a client of `mine`, or undefined when it can. */
export function mismatch(theirs: DaemonIdentity, mine: DaemonIdentity): string | undefined {
  if (theirs.build !== mine.build) return 'it runs another build of parallel-tasks';
  if (theirs.node !== mine.node) return `it runs on Node ${theirs.node}, this run on ${mine.node}`;
  if (theirs.env !== mine.env) return 'it was started with other environment variables';
  return undefined;
}
