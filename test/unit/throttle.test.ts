import * as assert from 'node:assert/strict';
import { throttle, type ThrottleClock } from '../../src/extension/throttle';

/**
 * A clock the test moves by hand: timers fire in due order as time is
 * advanced, so the assertions below hold on a loaded machine as on an idle one.
 */
class FakeClock implements ThrottleClock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers not yet fired. */
  pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
      if (!due) break;
      const [id, timer] = due;
      this.timers.delete(id);
      this.time = timer.at;
      timer.callback();
    }
    this.time = end;
  }
}

/** Like Date.now() at some moment: a throttle that has never run owes no wait. */
const T0 = 1_700_000_000_000;

describe('throttle (panel and status-bar updates)', () => {
  it('turns a flood of updates into one every 100 ms, always ending with the latest', () => {
    const clock = new FakeClock(T0);
    const deliveredAt: number[] = [];
    let lastSeen = -1;
    let value = 0;
    const update = throttle(
      () => {
        deliveredAt.push(clock.now() - T0);
        lastSeen = value;
      },
      100,
      clock,
    );
    // One request every millisecond for a second.
    for (let ms = 0; ms < 1000; ms++) {
      value++;
      update();
      clock.advance(1);
    }
    clock.advance(150);
    // The first request goes out at once, then one per interval; the request at 999 ms is delivered at 1000 ms.
    assert.deepEqual(deliveredAt, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    assert.equal(lastSeen, value, 'the final state is delivered');
    assert.equal(clock.pending(), 0, 'nothing is left scheduled once the flood is over');
  });

  it('delivers a lone request after a quiet spell at once', () => {
    const clock = new FakeClock(T0);
    let calls = 0;
    const update = throttle(() => calls++, 100, clock);
    update();
    clock.advance(0);
    assert.equal(calls, 1);
    clock.advance(500);
    update();
    clock.advance(0);
    assert.equal(calls, 2, 'no wait when the last delivery is more than an interval ago');
    update();
    clock.advance(99);
    assert.equal(calls, 2, 'a request within the interval waits for its end');
    clock.advance(1);
    assert.equal(calls, 3);
  });

  it('flush delivers at once and cancel drops a pending call', () => {
    const clock = new FakeClock(T0);
    let calls = 0;
    const update = throttle(() => calls++, 1000, clock);
    update();
    update.flush();
    assert.equal(calls, 1);
    assert.equal(clock.pending(), 0, 'flush takes the pending call over');
    update();
    assert.equal(clock.pending(), 1);
    update.cancel();
    assert.equal(clock.pending(), 0);
    clock.advance(1100);
    assert.equal(calls, 1);
  });

  it('uses the real clock when none is given', async () => {
    let calls = 0;
    const update = throttle(() => calls++, 10);
    update();
    update();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(calls, 1, 'two requests in one interval make one call');
  });
});
