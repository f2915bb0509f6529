/**
 * The messages a webview may send to the host, as zod schemas: the single
 * source of both the check the host runs on every message (the webview is
 * untrusted input) and the TypeScript types both sides use, inferred from the
 * schemas, so the two cannot disagree.
 *
 * Only the host imports this file as code. The webview imports the types
 * through protocol.ts with `import type`, which is erased, so zod never
 * reaches the webview bundle.
 */

// zod/mini rather than zod: the same checks, but tree-shakable, so the
// extension bundle stays small and activation fast (the full zod was 730 KB of it).
import * as z from 'zod/mini';

/** Limits that keep a hostile webview from making the host do unbounded work. */
const MAX_PATH = 4096;
const MAX_PATHS = 10_000;

// No NUL: no file name has one, and Node refuses such paths with an exception.
const path = z.string().check(z.minLength(1), z.maxLength(MAX_PATH), z.regex(/^[^\0]*$/));
const position = z.int().check(z.minimum(0), z.maximum(10_000_000));

export const panelCommandSchema = z.enum(['cancel', 'retryFailed', 'runAgain', 'lintWorkspace', 'analyzeWorkspace', 'transform', 'runCustomTask', 'setWorkerCount', 'openWalkthrough', 'openInEditor']);

/** Requests the webview makes and the host answers with a `response` of the same id. */
export const panelRequestSchema = z.strictObject({ kind: z.literal('diff'), path });

// Strict objects throughout: a message with a key the protocol does not have is refused, not trimmed.
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('command'), command: panelCommandSchema }),
  z.strictObject({ type: z.literal('open'), path, line: position, column: position }),
  z.strictObject({
    type: z.literal('request'),
    id: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
    request: panelRequestSchema,
  }),
  z.strictObject({ type: z.literal('task'), action: z.enum(['stop', 'restart']), id: z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER)) }),
  z.strictObject({
    type: z.literal('transform'),
    action: z.enum(['apply', 'discard', 'diff']),
    paths: z.array(path).check(z.minLength(1), z.maxLength(MAX_PATHS)),
  }),
]);

/**
 * Messages are read, never changed, on either side: the inferred types are
 * made readonly all the way down, as the rest of the protocol is. (A type
 * only: `z.readonly` would also freeze every parsed message at run time.)
 */
type DeepReadonly<T> = T extends readonly (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type PanelCommand = z.infer<typeof panelCommandSchema>;
export type PanelRequest = DeepReadonly<z.infer<typeof panelRequestSchema>>;
/** Webview → host. */
export type WebviewMessage = DeepReadonly<z.infer<typeof webviewMessageSchema>>;
