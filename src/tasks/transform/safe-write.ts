import { constants, type Stats } from 'node:fs';
import { access, link, lstat, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { tempFileFor } from '../../core/temp-files';
import { sha256 } from '../../core/hash';

/**
 * The sequence of file-system calls that replaces a file with a transform's
 * output without ever losing what the user has on disk.
 *
 * The transform ran on the bytes whose hash is `expectedHash`; the user may
 * have changed the file since, and may change it while we write. POSIX has no
 * compare-and-swap for files, so every check leaves a window; this order keeps
 * each one as short as the file system allows and catches what lands in it:
 *
 *  1. read + hash (cheap refusal before any temporary file exists);
 *  2. write the new content to a temporary file beside it, completely (mode,
 *     owner, fsync), so the swap below is a single rename;
 *  3. hard-link the original to a second temporary name ("aside") and verify
 *     the hash through it. A link, not a rename: the file's own name never
 *     disappears, so a writer that opens it by name (`>>`, an editor) never
 *     creates a fresh file in a gap;
 *  4. rename the new file over the name (atomic: readers see old or new);
 *  5. read the aside inode once more. An edit that landed between 3 and 4
 *     (or a writer holding the file open) went to that old inode: it grew or
 *     changed, so it is put back — the user's edit wins over ours.
 *
 * A file with other hard links is written in place instead (renaming would
 * split it from its other names), as is a file in a folder we may not create
 * files in; both are what the prettier CLI does.
 */

export type WriteResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The file changed between the transform's read and this write (also said by apply.ts). */
export function changedBeforeReason(): string {
  return l10n.t('changed on disk since it was read; not written');
}

function changedDuringReason(): string {
  return l10n.t('changed on disk while being written; not written');
}

function refuse(reason: string): WriteResult {
  return { ok: false, reason };
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Writes `content` to `file` if the file still holds the bytes that hash to `expectedHash`; never throws for I/O. */
export async function safeWrite(file: string, expectedHash: string, content: Buffer): Promise<WriteResult> {
  try {
    // Never through a symbolic link: discovery does not offer links (nor files in linked folders that
    // lead outside), and a link swapped in after it looked must not send the write elsewhere.
    if ((await lstat(file)).isSymbolicLink()) return refuse(l10n.t('is a symbolic link (to {0}); not written', await realpath(file)));
    const target = await realpath(file);
    try {
      // The kernel's own decision for this user. Needed because rename()
      // replaces a read-only file as long as the folder is writable.
      await access(target, constants.W_OK);
    } catch (error) {
      return refuse(l10n.t('not writable ({0}); not written', codeOf(error)));
    }
    const info = await stat(target);
    if (!info.isFile()) return refuse(l10n.t('not a regular file; not written'));
    if (info.nlink > 1) return await writeInPlace(target, expectedHash, content);
    return await replace(target, expectedHash, content, info);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return refuse(l10n.t('no longer exists; not written'));
    return refuse(l10n.t('cannot be written ({0}); not written', codeOf(error)));
  }
}

/**
 * The verdict on bytes that do not hash to what the transform read: nothing to
 * do if they already are the new content (a second hard link to a file just
 * written), otherwise someone else's change that must be kept.
 */
function mismatch(current: Buffer, content: Buffer): WriteResult {
  return current.equals(content) ? { ok: true } : refuse(changedBeforeReason());
}

async function replace(target: string, expectedHash: string, content: Buffer, info: Stats): Promise<WriteResult> {
  const current = await readFile(target);
  if (sha256(current) !== expectedHash) return mismatch(current, content);
  const temp = tempFileFor(target);
  try {
    try {
      await writeTemporary(temp, content, info);
    } catch (error) {
      // The folder does not let us create a file, but the file itself is writable.
      if (codeOf(error) === 'EACCES' || codeOf(error) === 'EPERM') return await writeInPlace(target, expectedHash, content);
      throw error;
    }
    return await swapIn(target, temp, expectedHash, content);
  } finally {
    // Still there only when it was not renamed into place.
    await unlink(temp).catch(() => undefined);
  }
}

async function writeTemporary(temp: string, content: Buffer, info: Stats): Promise<void> {
  const mode = info.mode & 0o7777;
  // 'wx': never follow or clobber something already at that name.
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content);
    // Root rewriting a user's file must leave it theirs (write-file-atomic does the same).
    if (process.getuid?.() === 0) await handle.chown(info.uid, info.gid);
    // After chown, which clears set-id bits; open() applied the umask: the file keeps its own mode.
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function swapIn(target: string, temp: string, expectedHash: string, content: Buffer): Promise<WriteResult> {
  const aside = tempFileFor(target);
  try {
    await link(target, aside);
  } catch (error) {
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(codeOf(error))) return await verifyThenRename(target, temp, expectedHash);
    throw error;
  }
  try {
    const verified = await readFile(aside);
    if (sha256(verified) !== expectedHash) return refuse(changedBeforeReason());
    // Replaced by another writer's rename since the link? Renaming now would destroy their file.
    const [asideInfo, targetInfo] = await Promise.all([stat(aside), stat(target)]);
    if (asideInfo.ino !== targetInfo.ino || asideInfo.dev !== targetInfo.dev) return refuse(changedBeforeReason());
    await rename(temp, target);
    const after = await readFile(aside);
    if (after.equals(verified)) return { ok: true };
    return await restore(target, aside, content);
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/** The old inode changed while it was being replaced: that change is the user's and goes back in place. */
async function restore(target: string, aside: string, written: Buffer): Promise<WriteResult> {
  if ((await readFile(target)).equals(written)) {
    await rename(aside, target);
    return refuse(changedDuringReason());
  }
  // Someone changed the new file too: neither version may be dropped, so the
  // old one is kept beside it, under a name no run removes or picks up.
  const kept = path.join(path.dirname(target), `.${path.basename(target)}.parallel-tasks-kept-${randomBytes(4).toString('hex')}`);
  await rename(aside, kept);
  return refuse(l10n.t('changed on disk while being written and again after; the version with the earlier change is kept as {0}', path.basename(kept)));
}

/** For file systems without hard links: the window shrinks to this one read. */
async function verifyThenRename(target: string, temp: string, expectedHash: string): Promise<WriteResult> {
  if (sha256(await readFile(target)) !== expectedHash) return refuse(changedBeforeReason());
  await rename(temp, target);
  return { ok: true };
}

/**
 * Writes through the file's own descriptor, so every hard link keeps seeing
 * it and the inode, mode and owner stay. Not atomic (a crash half way leaves a
 * mix), which is why only the cases that need it come here.
 */
async function writeInPlace(target: string, expectedHash: string, content: Buffer): Promise<WriteResult> {
  const handle = await open(target, 'r+');
  try {
    const verified = await handle.readFile();
    if (sha256(verified) !== expectedHash) return mismatch(verified, content);
    // An append since the read would be cut off by the truncate below.
    if ((await handle.stat()).size !== verified.length) return refuse(changedBeforeReason());
    await handle.write(content, 0, content.length, 0);
    await handle.truncate(content.length);
    await handle.sync();
    return { ok: true };
  } finally {
    await handle.close();
  }
}
