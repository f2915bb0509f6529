import * as l10n from '@vscode/l10n';

/**
 * Where a worker finds the translated messages: the path of the editor's
 * @vscode/l10n bundle (`vscode.l10n.uri`), set by the pool that starts it.
 * The CLI sets nothing, and its workers speak English.
 */
export const MESSAGES_FILE_ENV = 'PARALLEL_TASKS_MESSAGES_FILE';

/**
 * Makes this thread's `l10n.t` use the bundle named in the environment. A
 * bundle that cannot be read leaves the English messages: a run must not fail
 * for want of a translation.
 */
export function useMessagesFromEnvironment(): void {
  const file = process.env[MESSAGES_FILE_ENV];
  if (!file) return;
  try {
    l10n.config({ fsPath: file });
  } catch {
    // English it is.
  }
}
