import * as z from 'zod/mini';
import type { ToolInfo } from '../tool-info';

export const transformOptionsSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('prettier') }),
  z.strictObject({ mode: z.literal('eslint-fix'), configFile: z.optional(z.string()) }),
  z.strictObject({
    mode: z.literal('codemod'),
    /** Absolute path of a JS or TS module exporting a jscodeshift-compatible transform. */
    codemod: z.string(),
    codemodOptions: z.optional(z.record(z.string(), z.unknown())),
  }),
  z.strictObject({ mode: z.literal('replace'), pattern: z.string(), flags: z.string(), replacement: z.string() }),
]);

export type TransformOptions = Readonly<z.infer<typeof transformOptionsSchema>>;

export interface TransformValue {
  readonly changed: boolean;
  /** The new content, present only when it differs from what was read. */
  readonly output?: string;
  /** SHA-256 of the content the transform read: a writer refuses if the file no longer matches. */
  readonly hash: string;
  /** The tool that computed the output (Prettier, ESLint, jscodeshift); absent for search and replace. */
  readonly tool?: ToolInfo;
  /** ESLint autofix: errors left in the file after every fix was applied, as `eslint --fix` reports them. */
  readonly remainingErrors?: number;
}
