import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';
import type { TaskKind } from '../../core/task-api';
import { JS_TS_FILES } from '../file-types';
import { analyzedLine } from '../summary-lines';
import { cachedAnalyzeValue } from './cached-value';
import type { FileAnalysis } from './types';

/** No options yet (thresholds may come): anything else is refused rather than ignored. */
const analyzeOptionsSchema = z.strictObject({});

/** Line counts, complexity, nesting, imports and TODOs per file: a report, and the hotspot list. */
export const analyzeKind: TaskKind<z.infer<typeof analyzeOptionsSchema>, FileAnalysis> = {
  name: 'analyze',
  get title() {
    return l10n.t({ message: 'Analyze', comment: ['the name of a task kind, in titles'] });
  },
  pastTense: 'Analyzed',
  options: analyzeOptionsSchema,
  defaultInclude: () => [JS_TS_FILES],
  // It parses files and loads nothing from the workspace, so it runs the same everywhere, trusted or not.
  loadsWorkspaceCode: () => false,
  executedFiles: () => [],
  mapOptionPaths: (options) => options,
  // Figures name no file.
  mapValuePaths: (value) => value,
  isolation: () => ({ setting: 'analyze', fallback: 'auto' }),
  fragile: () => false,
  symlinks: 'follow',
  // The report is of the files as saved: what the repository holds.
  unsavedText: false,
  // Our own analyzer: the engine build in every key covers it.
  cache: { value: cachedAnalyzeValue, keyInputs: async () => ({ parts: [] }) },
  handler: async () => (await import('./handler')).analyzeFile,
  results: {
    view: 'report',
    // The report's figures are the analysis itself.
    row: (analysis) => analysis,
  },
  summaryLine: analyzedLine,
};
