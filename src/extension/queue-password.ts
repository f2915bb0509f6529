import * as vscode from 'vscode';

/**
 * Where the password of the queue at `display` (redis://host:port, no
 * credentials) is kept: VS Code's secret storage (the OS keychain), never
 * settings, and per host, so that pointing the setting elsewhere does not send
 * it there.
 */
export function queuePasswordKey(display: string): string {
  return `parallelTasks.queue.password:${display}`;
}

/**
 * `Parallel Tasks: Set Queue Password`: asks for the password of the Redis in
 * `parallelTasks.queue.url` (an empty answer removes it). A caller may pass
 * it instead (a script, the tests).
 */
export function registerQueuePassword(secrets: vscode.SecretStorage): vscode.Disposable {
  return vscode.commands.registerCommand('parallelTasks.setQueuePassword', async (given?: unknown) => {
    const url = vscode.workspace.getConfiguration('parallelTasks').get<string>('queue.url', '').trim();
    let display: string;
    try {
      display = queueDisplay(url);
    } catch {
      void vscode.window.showWarningMessage(vscode.l10n.t('Set parallelTasks.queue.url (redis://HOST:PORT) first: the password is kept for that queue.'));
      return false;
    }
    const password =
      typeof given === 'string'
        ? given
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Parallel Tasks: Queue Password'),
            prompt: vscode.l10n.t('The password of the Redis at {0}. It is kept in VS Code\'s secret storage, for this queue only. Leave empty to remove it.', display),
            password: true,
            ignoreFocusOut: true,
          });
    if (password === undefined) return false;
    if (password === '') await secrets.delete(queuePasswordKey(display));
    else await secrets.store(queuePasswordKey(display), password);
    return true;
  });
}

/**
 * redis://host:port[/db] of a URL, without credentials, as src/queue/connection.ts names a queue (not imported
 * here: that module belongs to the engine's bundle, loaded on the first run).
 */
function queueDisplay(text: string): string {
  const url = new URL(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error('not a Redis URL');
  const db = Number(url.pathname.replace(/^\//, '') || '0');
  return `${url.protocol}//${url.host}${db ? `/${db}` : ''}`;
}
