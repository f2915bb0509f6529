import { writeSync } from 'node:fs';

/**
 * Code we load runs in the CLI's own process on a small in-process run (an
 * ESLint config or plugin, a Prettier plugin). If it calls `process.exit(0)`,
 * the CLI would end with no output and exit code 0: a green run that checked
 * nothing; an uncaught error would exit 1, which reads as "problems found".
 * Until the CLI has finished on its own, any exit is reported and becomes 2.
 */
let finished = false;

function onExit(code: number): void {
  if (finished) return;
  // Synchronous: nothing asynchronous runs once the process is exiting.
  writeSync(2, `parallel-tasks: the run ended before the CLI had finished (exit code ${code}: process.exit() or an uncaught error in a config, plugin or codemod it loaded); its results are incomplete\n`);
  // 0 would read as clean and 1 as "problems found": neither is what happened.
  if (code < 128) process.exitCode = 2;
}

export function guardExit(): void {
  finished = false;
  process.on('exit', onExit);
}

/** The CLI is done: the exit that follows is ours. */
export function releaseExit(): void {
  finished = true;
  process.off('exit', onExit);
}

/** Ends the process now with `code`, on purpose (a second Ctrl+C, a termination signal). */
export function exitNow(code: number): never {
  releaseExit();
  process.exit(code);
}
