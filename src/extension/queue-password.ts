import * as vscode from 'vscode';

/** Where the queue's Redis password is kept: VS Code's secret storage (the OS keychain), never settings. */
export const QUEUE_PASSWORD_KEY = 'parallelTasks.queue.password';

/**
 * `Parallel Tasks: Set Queue Password`: asks for the password of the Redis in
 * `parallelTasks.queue.url` (an empty answer removes it). A caller may pass
 * it instead (a script, the tests).
 */
export function registerQueuePassword(secrets: vscode.SecretStorage): vscode.Disposable {
  return vscode.commands.registerCommand('parallelTasks.setQueuePassword', async (given?: unknown) => {
    const password =
      typeof given === 'string'
        ? given
        : await vscode.window.showInputBox({
            title: 'Parallel Tasks: Queue Password',
            prompt: 'The password of the Redis in parallelTasks.queue.url. It is kept in VS Code\'s secret storage. Leave empty to remove it.',
            password: true,
            ignoreFocusOut: true,
          });
    if (password === undefined) return false;
    if (password === '') await secrets.delete(QUEUE_PASSWORD_KEY);
    else await secrets.store(QUEUE_PASSWORD_KEY, password);
    return true;
  });
}
