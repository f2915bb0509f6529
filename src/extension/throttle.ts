/** The time source a throttle reads and schedules with: the real one by default, a fake one in tests (so they never wait on the wall clock). */
export interface ThrottleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Calls `fn` at most once per `intervalMs`, always including a final call
 * after the last request: a run emits thousands of events, the UI needs ~10
 * updates a second.
 */
export function throttle(fn: () => void, intervalMs: number, clock: ThrottleClock = realClock): { (): void; flush(): void; cancel(): void } {
  let timer: unknown;
  let last = 0;
  const run = (): void => {
    timer = undefined;
    last = clock.now();
    fn();
  };
  const throttled = (): void => {
    if (timer !== undefined) return;
    const wait = Math.max(0, last + intervalMs - clock.now());
    timer = clock.setTimeout(run, wait);
  };
  throttled.flush = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    run();
  };
  throttled.cancel = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}
