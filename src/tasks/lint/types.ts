import type { ESLint } from 'eslint';
import * as z from 'zod/mini';
import type { ToolInfo } from '../tool-info';

export const lintOptionsSchema = z.strictObject({
  /** An explicit flat config file (`--config`); otherwise configs are looked up as the eslint CLI does. */
  configFile: z.optional(z.string()),
  /**
   * ESLint's own per-rule times (its `stats` option, what its TIMING variable shows) on each result.
   * They cost a little on every file, so only a run that asks for timings (`--timing`) sets this.
   */
  stats: z.optional(z.boolean()),
});

export type LintOptions = Readonly<z.infer<typeof lintOptionsSchema>>;

/** What the docs of a rule say, for links in diagnostics and SARIF. */
export interface RuleDocs {
  readonly description?: string;
  readonly url?: string;
}

export interface LintValue {
  /** Exactly ESLint's result object for the file, as its `json` formatter prints it. */
  readonly result: ESLint.LintResult;
  readonly rules: Readonly<Record<string, RuleDocs>>;
  /** Whether the workspace's own ESLint ran, or the bundled one. */
  readonly eslint: 'workspace' | 'bundled' | 'bundled-default-config';
  /** The ESLint that ran, its version and config file. */
  readonly tool: ToolInfo;
}
