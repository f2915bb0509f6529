/**
 * Calls `fn` at most once per `intervalMs`, always including a final call
 * after the last request: a run emits thousands of events, the UI needs ~10
 * updates a second.
 */
export function throttle(fn: () => void, intervalMs: number): { (): void; flush(): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  const run = (): void => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const throttled = (): void => {
    if (timer) return;
    const wait = Math.max(0, last + intervalMs - Date.now());
    timer = setTimeout(run, wait);
  };
  throttled.flush = (): void => {
    if (timer) clearTimeout(timer);
    run();
  };
  throttled.cancel = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}
