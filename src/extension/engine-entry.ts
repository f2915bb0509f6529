/**
 * Everything the extension needs only once a run starts, bundled on its own
 * as dist/engine.js and loaded by `loadEngine` on the first run: VS Code
 * compiles the whole of dist/extension.js at activation, so what is not
 * needed then stays out of it.
 */
export { runJob } from '../core/engine';
export { PoolExecutor } from '../core/pool-executor';
export { ResultCache, sha256 } from '../core/result-cache';
export { cacheKeyFor } from '../tasks/cache-key';
export { configStamp } from '../tasks/config-stamp';
export { cachedValueSchema } from '../tasks/cached-values';
export { CommandExecutor } from '../tasks/custom/command-executor';
export { loadTasks, resolveTask, TASKS_FILE } from '../tasks/custom/definition';
// The panel's message check needs zod, which the engine bundles anyway: kept out of activation with the rest.
export { parseWebviewMessage } from './panel/validate';
