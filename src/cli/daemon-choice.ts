import * as path from 'node:path';
import type { Executor } from '../core/executor';
import type { PlannedJob } from '../core/job-planner';
import { TunedPool } from '../core/tuned-pool';
import { openDaemon } from '../daemon/client';
import type { DaemonConnection } from '../daemon/connection';
import { DaemonExecutor } from '../daemon/daemon-executor';
import { ConfigStamps, poolFingerprint } from '../daemon/fingerprint';
import { daemonPlace, type DaemonPlace } from '../daemon/paths';
import { workerBuild } from './job';

/** `0`/`false`/`off` turns the daemon off, `1`/`true`/`on` on (even under CI); the flags win over it. */
export const DAEMON_ENV = 'PARALLEL_TASKS_DAEMON';

export interface DaemonFlags {
  /** `--daemon` (true), `--no-daemon` (false), or neither. */
  readonly daemon?: boolean;
}

const OFF = ['0', 'false', 'off', 'no'];

/**
 * Whether a run may use the daemon: the flag, else the environment variable,
 * else on, except under CI (CI=true): a CI job runs once on a fresh machine,
 * where a daemon would only outlive the job. Never on Windows (no Unix sockets
 * with owner-only folders there; the daemon is for the edit-lint loop anyway).
 */
export function daemonWanted(flags: DaemonFlags): boolean {
  if (process.platform === 'win32') return false;
  if (flags.daemon !== undefined) return flags.daemon;
  const env = process.env[DAEMON_ENV];
  if (env) return !OFF.includes(env.toLowerCase());
  const ci = process.env.CI;
  return !ci || OFF.includes(ci.toLowerCase());
}

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * The executor of a run through the workspace's daemon, or undefined when the
 * run does not go there: custom tasks (their commands run from the client),
 * `--workers 0`, or the daemon turned off or unusable (one line says why).
 * `warm`: a daemon of this build already runs. A run the engine finds too
 * small for workers goes to it only then: its warm pool answers faster than
 * loading the tool in-process, but starting a daemon (and cold workers) for a
 * small run would cost it more than it saves, so a small run never starts one.
 */
export async function daemonExecutor(plan: PlannedJob, flags: DaemonFlags, root: string): Promise<{ executor: Executor; warm: boolean } | undefined> {
  if (plan.external || plan.workers === 0 || !daemonWanted(flags)) return undefined;
  let place: DaemonPlace;
  let running: DaemonConnection | undefined;
  const build = workerBuild();
  try {
    place = daemonPlace(root);
    running = await openDaemon(place, root, build, false, say);
  } catch (error) {
    say(`parallel-tasks: not using the daemon: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const localPool = (): TunedPool => new TunedPool({ script: path.join(__dirname, 'worker.js'), workers: plan.workers, isolation: plan.isolation, maxOldGenerationSizeMb: plan.heapCapMb });
  // A warm pool serves runs of every size, so `auto` is what pays over many runs: processes, with their tuned
  // flags (their start-up is paid once; threads would share one V8 with the daemon).
  const isolation = plan.isolation === 'auto' ? 'process' : plan.isolation;
  const executor = new DaemonExecutor({
    open: async () => running ?? openDaemon(place, root, build, true, say),
    pool: { kind: plan.kind.name, options: plan.options, isolation, workers: plan.workers, heapMb: plan.heapCapMb },
    fingerprint: () => poolFingerprint(plan.kind.name, plan.options, root),
    stamps: new ConfigStamps(),
    localPool,
    log: say,
  });
  return { executor, warm: running !== undefined };
}
