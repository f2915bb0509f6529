import * as l10n from '@vscode/l10n';
import type { HostMessage, PanelRequest, WebviewMessage } from '../../src/shared/protocol';

export type PanelResponse = Extract<HostMessage, { type: 'response' }>;
type RequestMessage = Extract<WebviewMessage, { type: 'request' }>;

/** The host never answered: shown to the user instead of a view that waits for ever. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(l10n.t('The editor did not answer within {0} s. Try again.', Math.round(timeoutMs / 1000)));
  }
}

/** The view went away (or was reloaded) while a request was open. */
export class RequestCancelledError extends Error {
  override readonly name = 'RequestCancelledError';
  constructor() {
    super(l10n.t('The request was cancelled.'));
  }
}

interface Waiting {
  readonly resolve: (response: PanelResponse) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Requests from the webview to the host, matched to their `response` by id.
 * Every request ends: with the host's answer, or with a RequestTimeoutError
 * when none arrives in time (the host may have been busy, reloaded, or lost the
 * message). No DOM here, so it is unit-tested in plain mocha.
 */
export class HostRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly send: (message: RequestMessage) => void,
    private readonly timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {}

  /** How many requests are still waiting for an answer. */
  get pending(): number {
    return this.waiting.size;
  }

  request(body: PanelRequest): Promise<PanelResponse> {
    const id = this.nextId++;
    return new Promise<PanelResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new RequestTimeoutError(this.timeoutMs));
      }, this.timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      try {
        this.send({ type: 'request', id, request: body });
      } catch (error) {
        this.end(id)?.reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Hands a response to its request; false when nothing waits for it (late, after a timeout, or unknown). */
  settle(response: PanelResponse): boolean {
    const waiting = this.end(response.id);
    waiting?.resolve(response);
    return waiting !== undefined;
  }

  /** Rejects every open request and stops their timers. */
  dispose(): void {
    for (const id of [...this.waiting.keys()]) this.end(id)?.reject(new RequestCancelledError());
  }

  private end(id: number): Waiting | undefined {
    const waiting = this.waiting.get(id);
    if (!waiting) return undefined;
    clearTimeout(waiting.timer);
    this.waiting.delete(id);
    return waiting;
  }
}
