import * as path from 'node:path';

export type Engine = typeof import('./engine-entry');

let engine: Engine | undefined;

/** dist/engine.js, beside this bundle; see engine-entry.ts. */
export function loadEngine(): Engine {
  // A computed path, so that the bundler leaves this require to run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require(path.join(__dirname, 'engine.js')) as Engine;
  return engine;
}
