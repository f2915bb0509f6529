import * as l10n from '@vscode/l10n';

/**
 * The one-line outcomes kinds share (the status bar, the CLI's last line).
 * Each is a whole message per case (one or many, with or without failed files):
 * translations cannot be put together from pieces.
 */

/** "no problems", "3 problems", with the files that failed. */
export function problemsLine(totals: { readonly errors: number; readonly warnings: number; readonly failed: number }): string {
  const problems = totals.errors + totals.warnings;
  const failed = totals.failed;
  if (failed === 0) {
    if (problems === 0) return l10n.t('no problems');
    return problems === 1 ? l10n.t('1 problem') : l10n.t('{0} problems', problems);
  }
  if (problems === 0) return failed === 1 ? l10n.t('no problems, 1 file failed') : l10n.t('no problems, {0} files failed', failed);
  if (problems === 1) return failed === 1 ? l10n.t('1 problem, 1 file failed') : l10n.t('1 problem, {0} files failed', failed);
  return failed === 1 ? l10n.t('{0} problems, 1 file failed', problems) : l10n.t('{0} problems, {1} files failed', problems, failed);
}

/** "12 files analyzed", with the files that failed. */
export function analyzedLine(totals: { readonly done: number; readonly failed: number }): string {
  const { done, failed } = totals;
  if (failed === 0) return done === 1 ? l10n.t('1 file analyzed') : l10n.t('{0} files analyzed', done);
  if (done === 1) return failed === 1 ? l10n.t('1 file analyzed, 1 file failed') : l10n.t('1 file analyzed, {0} files failed', failed);
  return failed === 1 ? l10n.t('{0} files analyzed, 1 file failed', done) : l10n.t('{0} files analyzed, {1} files failed', done, failed);
}

/** "2 files changed", with the files that failed. */
export function changedLine(totals: { readonly changed: number; readonly failed: number }): string {
  const { changed, failed } = totals;
  if (failed === 0) return changed === 1 ? l10n.t('1 file changed') : l10n.t('{0} files changed', changed);
  if (changed === 1) return failed === 1 ? l10n.t('1 file changed, 1 file failed') : l10n.t('1 file changed, {0} files failed', failed);
  return failed === 1 ? l10n.t('{0} files changed, 1 file failed', changed) : l10n.t('{0} files changed, {1} files failed', changed, failed);
}
