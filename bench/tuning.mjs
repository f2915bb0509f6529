// Worker processes with and without their tuned V8 flags, against worker
// threads, for each kind, 2 workers (what `--isolation auto` picks for a run
// this size is the first process row). Flags are set through
// PARALLEL_TASKS_WORKER_FLAGS (src/core/worker-tuning.ts).
import { compare, measure, table } from './measure.mjs';

const VARIANTS = {
  'threads': { isolation: 'thread' },
  'processes, default flags': { isolation: 'process' },
  'processes, no flags': { isolation: 'process', flags: '' },
  'processes, --single-threaded only': { isolation: 'process', flags: '--single-threaded' },
  'processes, --heap-growing-percent=100 only': { isolation: 'process', flags: '--heap-growing-percent=100' },
};

const COMMANDS = {
  lint: ['lint', 'lib', '--format', 'json'],
  analyze: ['analyze', 'lib', '--format', 'json'],
  prettier: ['transform', '--prettier', '--check', 'lib'],
};

export async function tuningScenario({ cli, corpus, runs, common, say, kinds = Object.keys(COMMANDS) }) {
  say('## Workers tuned per process: 2 workers, threads against processes with and without their flags');
  say();
  for (const kind of kinds) {
    const contenders = {};
    for (const [name, v] of Object.entries(VARIANTS)) contenders[`${kind}, ${name}`] = [cli, ...COMMANDS[kind], ...common, '--workers', '2', '--isolation', v.isolation];
    const flagsOf = (name) => VARIANTS[name.slice(kind.length + 2)].flags;
    const setFlags = async (name) => {
      const flags = flagsOf(name);
      if (flags === undefined) delete process.env.PARALLEL_TASKS_WORKER_FLAGS;
      else process.env.PARALLEL_TASKS_WORKER_FLAGS = flags;
    };
    // The same answers first: where a run goes must not change what it finds.
    let reference;
    for (const [name, args] of Object.entries(contenders)) {
      await setFlags(name);
      const { stdout } = await measure(args, corpus);
      reference ??= stdout;
      if (stdout !== reference) throw new Error(`${name} does not print what ${kind} on threads prints`);
    }
    const results = await compare(contenders, corpus, runs, setFlags);
    delete process.env.PARALLEL_TASKS_WORKER_FLAGS;
    say(table(results, `${kind}, threads`));
    say();
  }
}
