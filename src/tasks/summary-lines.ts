/** The one-line outcomes kinds share (the status bar, the CLI's last line). */

/** "no problems", "3 problems", with the files that failed. */
export function problemsLine(totals: { readonly errors: number; readonly warnings: number; readonly failed: number }): string {
  const failed = totals.failed > 0 ? `, ${plural(totals.failed, 'file')} failed` : '';
  const problems = totals.errors + totals.warnings;
  return problems === 0 ? `no problems${failed}` : `${plural(problems, 'problem')}${failed}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
