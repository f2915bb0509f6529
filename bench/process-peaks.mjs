// Peak resident memory of each process under a root process, sampled from
// /proc: with `--isolation process` every worker is a process of its own, so
// this gives the memory one worker needs (tree-memory.mjs gives their sum).
import { INTERVAL_MS, processTree } from './tree-memory.mjs';

/** Samples every process under `pid`; `stop()` returns [{ pid, cmdline, peakKb }] (pid itself first). */
export function sampleProcessPeaks(pid) {
  const peaks = new Map();
  const sample = () => {
    for (const info of processTree(pid, true)) {
      const seen = peaks.get(info.pid);
      // A process that has exited (a zombie until reaped) reads as an empty command line: keep the first one seen.
      peaks.set(info.pid, { pid: info.pid, cmdline: seen?.cmdline || info.cmdline, peakKb: Math.max(seen?.peakKb ?? 0, Math.round(info.resident / 1024)) });
    }
  };
  const timer = setInterval(sample, INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      return [...peaks.values()];
    },
  };
}
