import * as assert from 'node:assert/strict';
import { throttle } from '../../src/extension/throttle';

describe('throttle (panel and status-bar updates)', () => {
  it('turns a flood of updates into about ten a second, always ending with the latest', async () => {
    let calls = 0;
    let lastSeen = -1;
    let value = 0;
    const update = throttle(() => {
      calls++;
      lastSeen = value;
    }, 100);
    const started = Date.now();
    while (Date.now() - started < 1000) {
      value++;
      update();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.ok(calls >= 8 && calls <= 12, `${calls} updates in one second`);
    assert.equal(lastSeen, value, 'the final state is delivered');
  });

  it('flush delivers at once and cancel drops a pending call', async () => {
    let calls = 0;
    const update = throttle(() => calls++, 1000);
    update();
    update.flush();
    assert.equal(calls, 1);
    update();
    update.cancel();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(calls, 1);
  });
});
