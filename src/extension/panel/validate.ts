import { z } from 'zod';
import type { PanelCommand, WebviewMessage } from '../../shared/protocol';

/** Limits that keep a hostile webview from making the host do unbounded work. */
const MAX_PATH = 4096;
const MAX_PATHS = 10_000;

const command = z.enum(['cancel', 'retryFailed', 'runAgain', 'lintWorkspace', 'analyzeWorkspace', 'transform', 'openInEditor'] satisfies readonly PanelCommand[]);

const schema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('command'), command }),
  z.strictObject({
    type: z.literal('open'),
    path: z.string().min(1).max(MAX_PATH),
    line: z.number().int().min(0).max(10_000_000),
    column: z.number().int().min(0).max(10_000_000),
  }),
  z.strictObject({
    type: z.literal('request'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    request: z.strictObject({ kind: z.literal('diff'), path: z.string().min(1).max(MAX_PATH) }),
  }),
  z.strictObject({
    type: z.literal('transform'),
    action: z.enum(['apply', 'discard', 'diff']),
    paths: z.array(z.string().min(1).max(MAX_PATH)).min(1).max(MAX_PATHS),
  }),
]);

/**
 * The only way a webview message enters the host: anything that does not
 * match the protocol exactly (extra keys included) is rejected.
 */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewMessage } | { ok: false; reason: string } {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  return { ok: false, reason: result.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ').slice(0, 500) };
}
