// Peak resident memory of each process under a root process, sampled from
// /proc: with `--isolation process` every worker is a process of its own, so
// this gives the memory one worker needs (tree-memory.mjs gives their sum).
import { readFileSync, readdirSync } from 'node:fs';

const PAGE = 4096;
const INTERVAL_MS = 100;

function snapshot() {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const resident = Number(readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ')[1]) * PAGE;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      all.set(Number(entry), { ppid, resident, cmdline });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return all;
}

/** Samples every process under `pid`; `stop()` returns [{ pid, cmdline, peakKb }] (pid itself first). */
export function sampleProcessPeaks(pid) {
  const peaks = new Map();
  const sample = () => {
    const all = snapshot();
    const tree = new Set([pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [p, info] of all) {
        if (!tree.has(p) && tree.has(info.ppid)) {
          tree.add(p);
          grew = true;
        }
      }
    }
    for (const p of tree) {
      const info = all.get(p);
      if (!info) continue;
      const seen = peaks.get(p);
      // A process that has exited (a zombie until reaped) reads as an empty command line: keep the first one seen.
      peaks.set(p, { pid: p, cmdline: seen?.cmdline || info.cmdline, peakKb: Math.max(seen?.peakKb ?? 0, Math.round(info.resident / 1024)) });
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
