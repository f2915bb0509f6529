import { randomBytes } from 'node:crypto';
import { readdir, unlink } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Temporary files that `transform --write` creates beside the files it writes.
 *
 * They are dot-files (hidden from `ls`, from editors' default file trees and
 * from discovery, which does not match dot-files unless asked) and carry our
 * name and the writer's pid, so that a later run can tell a leftover of a
 * killed writer from the live temporary of a run still going, and never
 * touches a file that is not ours.
 */

/** Discovery never reports these, even for a glob that asks for dot-files. */
export const TEMP_FILE_GLOB = '**/.*.parallel-tasks-*.tmp';

/** `.<name>.parallel-tasks-<pid>-<8 hex digits>.tmp`, nothing looser. */
const TEMP_FILE_NAME = /^\.(.+)\.parallel-tasks-(\d+)-[0-9a-f]{8}\.tmp$/;

/** A fresh temporary name in the same folder as `file` (a rename across folders could cross file systems). */
export function tempFileFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.parallel-tasks-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** The pid of the process that made this temporary file, or undefined when the name is not one of ours. */
export function tempFileOwner(name: string): number | undefined {
  const match = TEMP_FILE_NAME.exec(path.basename(name));
  return match ? Number(match[2]) : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes our temporary files left in `folders` by writers that no longer run
 * (a SIGKILL gives no chance to clean up). A temporary file of a live process
 * is left alone, and so is anything whose name does not match ours exactly.
 * Returns the files removed; a folder that cannot be read is skipped.
 */
export async function removeStaleTempFiles(folders: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of new Set(folders)) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      const owner = tempFileOwner(name);
      if (owner === undefined || isAlive(owner)) continue;
      const file = path.join(folder, name);
      // Already gone (another run cleaning the same folder) is as good as removed by us.
      await unlink(file).then(
        () => removed.push(file),
        () => undefined,
      );
    }
  }
  return removed;
}
