/** Entry point of the worker bundle (dist/worker.js): one per worker thread. */
import { taskHandlers } from './handlers';
import { serveBatches } from './serve';

serveBatches(taskHandlers);
