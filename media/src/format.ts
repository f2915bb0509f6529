import * as l10n from '@vscode/l10n';

/** Milliseconds as a unit, on its own or after a file in a tooltip ("12 ms"). */
export function formatMs(ms: number): string {
  return l10n.t({ message: '{0} ms', args: [ms], comment: ['a duration in milliseconds'] });
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return formatMs(Math.round(ms));
  const s = ms / 1000;
  if (s < 60) return l10n.t({ message: '{0} s', args: [s.toFixed(1)], comment: ['a duration in seconds'] });
  return l10n.t({ message: '{0} min {1} s', args: [Math.floor(s / 60), Math.round(s % 60)], comment: ['a duration in minutes and seconds'] });
}
