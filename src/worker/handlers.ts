import { analyzeFile } from '../tasks/analyze/handler';
import { lintFile } from '../tasks/lint/handler';
import { transformFile } from '../tasks/transform/handler';
import type { HandlerRegistry } from './run-batch';

/** The task kinds a worker can run, by the `kind` of a batch request. */
export const taskHandlers: HandlerRegistry = {
  lint: lintFile,
  transform: transformFile,
  analyze: analyzeFile,
};
