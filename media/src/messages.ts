import * as l10n from '@vscode/l10n';

/**
 * The translated messages, which the host writes into the page as JSON (a
 * data block, which the CSP does not run). Imported first by main.ts, so that
 * every view's `l10n.t` already speaks the editor's language. Without a bundle
 * (English), `l10n.t` returns the messages as written.
 */
const data = document.getElementById('messages')?.textContent;
if (data) {
  try {
    l10n.config({ contents: JSON.parse(data) as Record<string, string> });
  } catch {
    // A bundle that cannot be read leaves the panel in English rather than empty.
  }
}
