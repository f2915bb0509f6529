import * as vscode from 'vscode';
import type { RunController } from './run-controller';

/** Runs shorter than this finish before a notification would be worth showing. */
const SHOW_AFTER_MS = 1000;

/**
 * A cancellable progress notification for long runs. Its cancel button is
 * wired to the same cancellation as the Cancel Run command.
 */
export function reportProgress(controller: RunController, done: Promise<unknown>): void {
  const timer = setTimeout(() => {
    if (!controller.running) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t({ message: 'Parallel Tasks', comment: ["the extension's name"] }), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.cancel());
        let reported = 0;
        const update = (): void => {
          const view = controller.view();
          if (!view?.running) return;
          const { counts } = view.snapshot;
          const finished = counts.done + counts.failed + counts.skipped + counts.cancelled;
          const percent = counts.total > 0 ? (finished / counts.total) * 100 : 0;
          progress.report({ message: vscode.l10n.t('{0}: {1}/{2} files', view.request.label, finished, counts.total), increment: Math.max(0, percent - reported) });
          reported = Math.max(reported, percent);
        };
        let finished: () => void = () => undefined;
        const stopped = new Promise<void>((resolve) => (finished = resolve));
        const subscription = controller.onDidChange(() => (controller.running ? update() : finished()));
        update();
        try {
          // Close when the workers are done, even if the run still waits for the user (a refactor preview).
          await Promise.race([done, stopped]);
        } finally {
          subscription.dispose();
        }
      },
    );
  }, SHOW_AFTER_MS);
  void done.finally(() => clearTimeout(timer));
}
