import type { ToolInfo } from '../tool-info';

export type TransformOptions =
  | { readonly mode: 'prettier' }
  | { readonly mode: 'eslint-fix'; readonly configFile?: string }
  | {
      readonly mode: 'codemod';
      /** Absolute path of a JS or TS module exporting a jscodeshift-compatible transform. */
      readonly codemod: string;
      readonly codemodOptions?: Readonly<Record<string, unknown>>;
    }
  | { readonly mode: 'replace'; readonly pattern: string; readonly flags: string; readonly replacement: string };

export type TransformMode = TransformOptions['mode'];

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
