import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { HISTORY_BYTES, parseHistory, serialize, type StoredRun } from './run-history';

const FILE_NAME = 'run-history.json';

/**
 * The run history on disk: a JSON file in the extension's workspace storage
 * (on the machine of the extension host, whatever the client), so it survives
 * a window reload and a restart. Whatever is in the file is checked before
 * use (run-history.ts); a missing, corrupt or oversized file means an empty
 * history and a line in the log, never a failed activation. Writes go one
 * after the other, each through a temporary file and a rename, so a crash
 * mid-write leaves the previous history.
 */
export class HistoryFile {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** Undefined without a workspace storage (no folder open): the history lives for the window only. */
    private readonly dir: vscode.Uri | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async load(): Promise<StoredRun[]> {
    if (!this.dir) return [];
    const file = vscode.Uri.joinPath(this.dir, FILE_NAME);
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(file);
    } catch {
      return []; // No history yet.
    }
    // Ours is never larger than HISTORY_BYTES (plus its escaping); a huge file is not ours to parse.
    if (bytes.byteLength > HISTORY_BYTES * 4) {
      this.log.warn(`Ignored the run history in ${file.fsPath}: ${bytes.byteLength} bytes is more than it can be`);
      return [];
    }
    try {
      return parseHistory(JSON.parse(new TextDecoder().decode(bytes)));
    } catch (error) {
      this.log.warn(`Ignored the run history in ${file.fsPath}: ${errorMessage(error)}`);
      return [];
    }
  }

  /** Queues a write of the whole history; the returned promise settles when it is on disk (or failed, logged). */
  save(history: readonly StoredRun[]): Promise<void> {
    const dir = this.dir;
    if (!dir) return Promise.resolve();
    const data = new TextEncoder().encode(JSON.stringify(serialize(history)));
    this.writing = this.writing.then(async () => {
      const file = vscode.Uri.joinPath(dir, FILE_NAME);
      const temp = vscode.Uri.joinPath(dir, `${FILE_NAME}.${process.pid}.tmp`);
      try {
        await vscode.workspace.fs.createDirectory(dir);
        await vscode.workspace.fs.writeFile(temp, data);
        await vscode.workspace.fs.rename(temp, file, { overwrite: true });
      } catch (error) {
        this.log.warn(`Could not save the run history to ${file.fsPath}: ${errorMessage(error)}`);
      }
    });
    return this.writing;
  }

  /** The last queued write, for deactivation and tests. */
  flushed(): Promise<void> {
    return this.writing;
  }
}
