import type { DiscoveredFile } from '../../core/types';
import type { WorkerMemoryEstimate } from '../../core/task-api';
import { createESLint } from './eslint-loader';

const MiB = 1024 * 1024;

/**
 * Peak resident memory of one type-aware lint worker (typescript-eslint with
 * `projectService` or `project`: each worker builds the TypeScript program of
 * the project, with the types of what it imports): about 450 MB, plus 260 MB
 * per MB of source in the run. Fitted to the highest of repeated measurements
 * in bench/type-aware.mjs (this repository's src/ copied 1, 3 and 6 times:
 * 0.51, 1.52 and 3.05 MB of TypeScript; 566, 828 and 1246 MB for one worker
 * process). Those peaks are with a 4 GB heap cap, under which V8 collects
 * lazily, so the estimate errs high rather than low. The program holds the
 * whole project, so a run over part of a project needs more than its files
 * suggest: for such runs the estimate is a floor.
 */
export function typeAwareWorkerMb(sourceBytes: number): number {
  return 450 + (260 * sourceBytes) / MiB;
}

/** Files whose configs are looked at: type-aware configs cover whole projects, so a spread sample finds them. */
const SAMPLE = 24;

function sample(files: readonly DiscoveredFile[]): DiscoveredFile[] {
  const step = Math.max(1, Math.floor(files.length / SAMPLE));
  return files.filter((_, i) => i % step === 0).slice(0, SAMPLE);
}

/** Whether a computed config makes the parser build a TypeScript program. */
function isTypeAware(config: unknown): boolean {
  const languageOptions = (config as { languageOptions?: { parserOptions?: Record<string, unknown> } } | undefined)?.languageOptions;
  const parserOptions = languageOptions?.parserOptions;
  return Boolean(parserOptions && (parserOptions.projectService || parserOptions.project));
}

/**
 * Lint's memory estimate: applies when ESLint's config for any sampled file
 * is type-aware, as a fresh ESLint on this side computes it (built as the
 * workers build theirs, and only when the memory might not suffice).
 */
export function lintWorkerMemory(root: string, configFile: string | undefined): WorkerMemoryEstimate {
  return {
    what: 'type-aware lint worker',
    perWorkerMb: (files) => typeAwareWorkerMb(files.reduce((n, f) => n + f.size, 0)),
    applies: async (files) => {
      try {
        const { eslint } = await createESLint({ root, configFile, fix: false }, false);
        for (const file of sample(files)) if (isTypeAware(await eslint.calculateConfigForFile(file.path))) return true;
        return false;
      } catch {
        // No config, or a broken one: the workers lint with the default config or report the error.
        return false;
      }
    },
  };
}
