import type { PanelCommand, WebviewMessage } from '../../src/shared/protocol';
import { HostRequests } from './requests';
import type { UiState } from './state';
import { PanelStore } from './store';

/**
 * The webview's side of the host connection. `acquireVsCodeApi` (typed by
 * @types/vscode-webview) may be called once per page, so it is called here and
 * nowhere else; views import `post`, `command`, `requests` and `store`.
 */
const vscode = acquireVsCodeApi<UiState>();

export const post = (message: WebviewMessage): void => vscode.postMessage(message);

export const command = (name: PanelCommand): void => post({ type: 'command', command: name });

export const requests = new HostRequests(post);

export const store = new PanelStore(vscode.getState(), (ui) => vscode.setState(ui));

/** Opens a file in the editor at a position (1-based, as the results carry it). */
export const openFile = (path: string, line = 1, column = 1): void => post({ type: 'open', path, line, column });
