import type { Socket } from 'node:net';
import type { Isolation } from '../core/pool-executor';
import type { BatchRequest, WorkerMessage } from '../core/types';

/**
 * What must match for a client to use a daemon: the worker bundle (our
 * handlers), Node (the workers run on the daemon's), and the environment the
 * daemon's workers inherit (a config may read it), without the variables that
 * differ between terminals of one user and decide nothing (see identity.ts).
 */
export interface DaemonIdentity {
  readonly build: string;
  readonly node: string;
  readonly env: string;
}

/** Which warm pool a batch runs on; a different fingerprint for the same pool makes the daemon replace it. */
export interface PoolSpec {
  readonly kind: string;
  readonly options: unknown;
  readonly isolation: Isolation;
  readonly workers: number;
  readonly heapMb: number;
  /** The run's configuration (see fingerprint.ts): a pool that loaded another must not answer. */
  readonly fingerprint: string;
}

export interface DaemonStatus {
  readonly pid: number;
  readonly root: string;
  readonly identity: DaemonIdentity;
  readonly startedAt: number;
  readonly idleTimeoutMs: number;
  /** Client runs that sent at least one batch. */
  readonly runs: number;
  readonly batches: number;
  /** Clients connected besides the one asking. */
  readonly connections: number;
  readonly pools: readonly {
    readonly kind: string;
    readonly isolation: Isolation;
    readonly workers: number;
    readonly heapMb: number;
    readonly fingerprint: string;
    readonly busy: number;
    /** Workers started (workerpool starts them on demand). */
    readonly live: number;
  }[];
  readonly log: string;
}

export type ClientMessage =
  | { readonly type: 'hello'; readonly token: string }
  /** `configs`: the stamp of the config files in each folder from the batch's files up to the root (fingerprint.ts). */
  | { readonly type: 'batch'; readonly id: number; readonly pool: PoolSpec; readonly configs: Readonly<Record<string, string>>; readonly request: BatchRequest }
  | { readonly type: 'cancel'; readonly id: number }
  | { readonly type: 'status' }
  | { readonly type: 'stop' };

export type DaemonMessage =
  | { readonly type: 'welcome'; readonly pid: number; readonly identity: DaemonIdentity }
  | { readonly type: 'refused'; readonly reason: string }
  | { readonly type: 'message'; readonly id: number; readonly message: WorkerMessage<unknown> }
  | { readonly type: 'done'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly error: { readonly name?: string; readonly message: string } }
  | { readonly type: 'status'; readonly status: DaemonStatus }
  | { readonly type: 'stopping' };

/** Before the token, a peer gets no more than this to say: nothing unauthenticated is buffered without bound. */
export const MAX_HELLO_BYTES = 4096;

/** One JSON value per line, both ways: the messages are plain data, and a batch's file texts are escaped by JSON. */
export function send(socket: Socket, message: ClientMessage | DaemonMessage): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}

/**
 * Calls `onMessage` for each line the socket receives. `limit` bounds the
 * bytes buffered without a newline (checked again by the caller as trust grows).
 */
export function readLines(socket: Socket, onMessage: (message: unknown) => void, limit: () => number): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        socket.destroy();
        return;
      }
      onMessage(message);
      if (socket.destroyed) return;
      newline = buffered.indexOf('\n');
    }
    if (buffered.length > limit()) socket.destroy();
  });
}
