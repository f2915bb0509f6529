import type { WebviewMessage } from '../../shared/protocol';
import { webviewMessageSchema } from '../../shared/protocol-schema';

/**
 * The only way a webview message enters the host: anything that does not
 * match the protocol exactly (extra keys included) is rejected.
 */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewMessage } | { ok: false; reason: string } {
  const result = webviewMessageSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  return { ok: false, reason: result.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.code}${'expected' in i ? ` (expected ${String(i.expected)})` : ''}`).join('; ').slice(0, 500) };
}
