// Peak memory of a process and everything it started. GNU time's %M is the
// largest single process's peak, so a run on worker processes looked as
// small as its biggest worker; this samples the resident memory of the whole
// tree from /proc every 100 ms and keeps the largest sum. Shared pages (Node's
// own code) count once per process, so for several processes this errs high;
// a peak shorter than the interval can be missed.
import { readFileSync, readdirSync } from 'node:fs';

const PAGE = 4096;
const INTERVAL_MS = 100;

/** Parent pid and resident bytes of every process, read from /proc. */
function processes() {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The name in parentheses may hold spaces; the fields after it are plain.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const resident = Number(readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ')[1]) * PAGE;
      all.set(Number(entry), { ppid, resident });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return all;
}

function treeResident(root) {
  const all = processes();
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of all) {
      if (!tree.has(pid) && tree.has(p.ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let sum = 0;
  for (const pid of tree) sum += all.get(pid)?.resident ?? 0;
  return sum;
}

/** Starts sampling the tree under `pid`; `stop()` returns the peak in KiB, or undefined where /proc is missing. */
export function sampleTreeMemory(pid) {
  if (process.platform !== 'linux') return { stop: () => undefined };
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, treeResident(pid));
  };
  const timer = setInterval(sample, INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      return peak ? Math.round(peak / 1024) : undefined;
    },
  };
}
