/**
 * Everything the extension needs only once a run starts, bundled on its own
 * as dist/engine.js and loaded by `loadEngine` on the first run: VS Code
 * compiles the whole of dist/extension.js at activation, so what is not
 * needed then stays out of it.
 */
export { runJob } from '../core/engine';
// Runs through a queue on Redis (parallelTasks.queue.url): BullMQ is evaluated with the first such run only.
export const loadQueue = (): Promise<typeof import('./queue-entry')> => import('./queue-entry');
export { TunedPool } from '../core/tuned-pool';
export { ResultCache } from '../core/result-cache';
export { sha256 } from '../core/hash';
export { cacheFileName, parseOptions, planJob } from '../core/job-planner';
export { cacheKeyFor } from '../tasks/cache-key';
export { configStamp } from '../tasks/config-stamp';
// "Lint Changed Files": git is asked only when such a command runs.
export { changedFiles, changedInside, describeChanged, describeNested } from '../core/changed-files';
export { loadTasks, TASKS_FILE } from '../tasks/custom/definition';
// Task kinds are looked up here, on the first run, not at activation: a kind brings its tools' glue code.
export { registerTaskKind, taskKind, taskKindNames } from '../tasks/registry';
// The panel's message check needs zod, which the engine bundles anyway: kept out of activation with the rest.
export { parseWebviewMessage } from './panel/validate';
// Keeping Problems current: which saved files a workspace run would take.
export { walkFilter } from '../core/walk-filter';
