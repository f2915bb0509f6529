import * as assert from 'node:assert/strict';
import { fixtureRuns, assertIdle, many } from '../helpers/fixture-runs';

/** The scheduler's slow cases (seconds each: a spinning thread is only stopped by terminating it), on the behaviour fixture. */
describe('Scheduler over a real workerpool: terminating stuck workers', () => {
  const { threads, folder, run } = fixtureRuns();

  it('terminates a worker stuck in a synchronous loop at the per-file timeout', async () => {
    const executor = threads(2);
    const dir = folder({ ...many(10, () => 'ok'), 'stuck.txt': 'spin' });
    const started = Date.now();
    const result = await run(executor, dir, { fileTimeoutMs: 400 });
    assert.ok(Date.now() - started < 15_000);
    const stuck = result.state.results().find((r) => r.path.endsWith('stuck.txt'));
    assert.equal(stuck?.status, 'failed');
    assert.match(stuck?.outcome?.status === 'error' ? stuck.outcome.message : '', /Timed out after .* 2 times/);
    assert.equal(result.state.snapshot().counts.done, 10);
    assertIdle(executor, result);
  });
});
