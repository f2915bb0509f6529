// Peak memory of a process and everything it started. GNU time's %M is the
// largest single process's peak, so a run on worker processes looked as
// small as its biggest worker; this samples the resident memory of the whole
// tree from /proc every 100 ms and keeps the largest sum. Shared pages (Node's
// own code) count once per process, so for several processes this errs high;
// a peak shorter than the interval can be missed.
import { readFileSync, readdirSync } from 'node:fs';

const PAGE = 4096;
export const INTERVAL_MS = 100;

/** Parent pid and resident bytes of every process (and its command line when asked), read from /proc. */
function processes(withCommandLine) {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The name in parentheses may hold spaces; the fields after it are plain.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const resident = Number(readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ')[1]) * PAGE;
      const cmdline = withCommandLine ? readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ') : '';
      all.set(Number(entry), { ppid, resident, cmdline });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return all;
}

/** Every process under `root` (itself included) now, with what /proc says of each. */
export function processTree(root, withCommandLine = false) {
  const all = processes(withCommandLine);
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
  return [...tree].filter((pid) => all.has(pid)).map((pid) => ({ pid, ...all.get(pid) }));
}

/** Starts sampling the tree under `pid`; `stop()` returns the peak in KiB, or undefined where /proc is missing. */
export function sampleTreeMemory(pid) {
  if (process.platform !== 'linux') return { stop: () => undefined };
  let peak = 0;
  const sample = () => {
    peak = Math.max(
      peak,
      processTree(pid).reduce((sum, p) => sum + p.resident, 0),
    );
  };
  const timer = setInterval(sample, INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      return peak ? Math.round(peak / 1024) : undefined;
    },
  };
}
