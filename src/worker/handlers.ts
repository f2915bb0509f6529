import type { FileHandler, HandlerLookup } from '../core/task-api';
import { taskKind } from '../tasks/registry';

const loaded = new Map<string, Promise<FileHandler>>();

/**
 * The handler of a batch's kind, from the registry, loaded on its first batch:
 * a worker that only analyzes never loads ESLint or Prettier.
 */
export const taskHandlers: HandlerLookup = (name) => {
  let handler = loaded.get(name);
  if (!handler) {
    const kind = taskKind(name);
    if (!kind.handler) throw new Error(`task kind "${name}" runs in its own executor, not in workers`);
    handler = kind.handler();
    loaded.set(name, handler);
  }
  return handler;
};
