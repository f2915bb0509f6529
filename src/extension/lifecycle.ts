import type * as vscode from 'vscode';

/**
 * Holds everything the extension creates and disposes it in reverse order of
 * creation, so that nothing outlives what it depends on.
 */
export class DisposableStore implements vscode.Disposable {
  private readonly items: vscode.Disposable[] = [];
  private disposed = false;

  add<T extends vscode.Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.push(item);
    }
    return item;
  }

  dispose(): void {
    this.disposed = true;
    while (this.items.length > 0) {
      try {
        this.items.pop()?.dispose();
      } catch {
        // One failing disposal must not keep the others from running.
      }
    }
  }
}
