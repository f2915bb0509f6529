// First: the views' messages are translated from their first render.
import './messages';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { HostMessage } from '../../src/shared/protocol';
import { post, requests, store } from './host';
import './views/app-view';

/**
 * The panel's webview: messages from the host go to the request table
 * (answers) or the store (state); the views follow the store.
 */
window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message?.type === 'response') {
    requests.settle(message);
    return;
  }
  if (!message || (message.type !== 'snapshot' && message.type !== 'delta' && message.type !== 'tasks' && message.type !== 'live')) return;
  store.apply(message);
});
// A reload or a closed view must not leave timers behind for answers that will never be shown.
window.addEventListener('pagehide', () => requests.dispose());

document.getElementById('app')?.append(document.createElement('pt-app'));
post({ type: 'ready' });
