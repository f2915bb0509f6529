// Worker for the pool-overhead scenario: the real batch loop and messages,
// with task kinds that do (almost) nothing, so what is measured is the pool.
import { serveBatches } from '../../src/worker/serve';
import { taskKinds } from './kinds';

serveBatches(taskKinds);
