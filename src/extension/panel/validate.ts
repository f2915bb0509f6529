// zod/mini rather than zod: the same checks, but tree-shakable, so the
// extension bundle stays small and activation fast (the full zod was 730 KB of it).
import * as z from 'zod/mini';
import type { PanelCommand, WebviewMessage } from '../../shared/protocol';

/** Limits that keep a hostile webview from making the host do unbounded work. */
const MAX_PATH = 4096;
const MAX_PATHS = 10_000;

// No NUL: no file name has one, and Node refuses such paths with an exception.
const path = z.string().check(z.minLength(1), z.maxLength(MAX_PATH), z.regex(/^[^\0]*$/));
const position = z.int().check(z.minimum(0), z.maximum(10_000_000));

const command = z.enum(['cancel', 'retryFailed', 'runAgain', 'lintWorkspace', 'analyzeWorkspace', 'transform', 'openInEditor'] satisfies readonly PanelCommand[]);

const schema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('command'), command }),
  z.strictObject({ type: z.literal('open'), path, line: position, column: position }),
  z.strictObject({
    type: z.literal('request'),
    id: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
    request: z.strictObject({ kind: z.literal('diff'), path }),
  }),
  z.strictObject({ type: z.literal('task'), action: z.enum(['stop', 'restart']), id: z.int().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER)) }),
  z.strictObject({
    type: z.literal('transform'),
    action: z.enum(['apply', 'discard', 'diff']),
    paths: z.array(path).check(z.minLength(1), z.maxLength(MAX_PATHS)),
  }),
]);

/**
 * The only way a webview message enters the host: anything that does not
 * match the protocol exactly (extra keys included) is rejected.
 */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewMessage } | { ok: false; reason: string } {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  return { ok: false, reason: result.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.code}${'expected' in i ? ` (expected ${String(i.expected)})` : ''}`).join('; ').slice(0, 500) };
}
