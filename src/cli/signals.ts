import * as os from 'node:os';
import { exitNow } from './exit-guard';

/** SIGTERM is what service managers, `timeout` and `kill` send; SIGHUP what a closing terminal sends. */
const TERMINATION_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

/** If stopping hangs, exit anyway after this long: the caller asked us to go. */
const STOP_LIMIT_MS = 5000;

/**
 * Until disposed, a SIGTERM or SIGHUP makes the CLI say so in one line, run
 * `stop` (which ends the workers and every process they started: Node's
 * default for these signals would exit at once and leave them running), and
 * exit with 128 + the signal's number, as a shell reports a process the
 * signal killed. A second signal exits at once.
 */
export function exitOnTerminationSignals(stop: () => Promise<void>): { dispose(): void; readonly stopping: boolean } {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const status = 128 + os.constants.signals[signal];
    if (stopping) exitNow(status);
    stopping = true;
    process.stderr.write(`parallel-tasks: ${signal} received, stopping the workers and the processes they started\n`);
    setTimeout(() => exitNow(status), STOP_LIMIT_MS);
    stop().then(
      () => exitNow(status),
      () => exitNow(status),
    );
  };
  for (const signal of TERMINATION_SIGNALS) process.on(signal, onSignal);
  return {
    dispose: () => {
      for (const signal of TERMINATION_SIGNALS) process.off(signal, onSignal);
    },
    get stopping() {
      return stopping;
    },
  };
}
