import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Where the webview may load from: the built webview assets only. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

/**
 * The panel's page: a strict CSP with a fresh nonce per load, no inline
 * script, styles and fonts only from the extension's built assets.
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const root = webviewRoot(extensionUri);
  const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  // The translated messages for the page's @vscode/l10n (media/src/messages.ts); `<` escaped so that no
  // message can close the block.
  const messages = vscode.l10n.bundle ? JSON.stringify(vscode.l10n.bundle).replace(/</g, '\\u003c') : '';
  return `<!DOCTYPE html>
<html lang="${vscode.env.language.replace(/[^A-Za-z0-9-]/g, '')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('panel.css')}">
<title>Parallel Tasks</title>
</head>
<body>
<main id="app"></main>
<script type="application/json" id="messages">${messages}</script>
<script type="module" nonce="${nonce}" src="${asset('panel.js')}"></script>
</body>
</html>`;
}
