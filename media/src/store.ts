import type { HostMessage, PanelState } from '../../src/shared/protocol';
import { emptyPanel, reduce, restoreUi, type UiState } from './state';

type PanelUpdate = Extract<HostMessage, { type: 'snapshot' | 'delta' | 'tasks' | 'live' }>;

/**
 * The webview's one owner of state: the run as the host reports it, and the
 * view's own settings (saved across hide/show). Views read it and are told
 * when it changes; no DOM here.
 */
export class PanelStore {
  private panelState: PanelState = emptyPanel;
  private uiState: UiState;
  private readonly listeners = new Set<() => void>();

  constructor(
    savedUi: unknown,
    private readonly saveUi: (ui: UiState) => void,
  ) {
    this.uiState = restoreUi(savedUi);
  }

  get panel(): PanelState {
    return this.panelState;
  }

  get ui(): UiState {
    return this.uiState;
  }

  apply(message: PanelUpdate): void {
    this.panelState = reduce(this.panelState, message);
    this.emit();
  }

  setUi(next: Partial<UiState>): void {
    this.uiState = { ...this.uiState, ...next };
    this.saveUi(this.uiState);
    this.emit();
  }

  /** Calls `listener` after every change; the returned function unsubscribes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
