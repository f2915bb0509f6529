import { readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { checkPrivate, DaemonUnavailableError, type DaemonPlace } from './paths';
import { readLines, send, type ClientMessage, type DaemonIdentity, type DaemonMessage } from './wire';

/** How long a connected daemon gets to answer the hello, a status or a stop: it is on this machine, so this is generous. */
const HELLO_TIMEOUT_MS = 3000;

/** An authenticated connection to a daemon. */
export class DaemonConnection {
  private listener: ((message: DaemonMessage) => void) | undefined;
  private closeListener: (() => void) | undefined;
  private closedFlag = false;

  constructor(
    private readonly socket: Socket,
    readonly pid: number,
    readonly identity: DaemonIdentity,
  ) {
    socket.on('close', () => {
      this.closedFlag = true;
      this.closeListener?.();
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Receives every message after the welcome. */
  onMessage(listener: (message: DaemonMessage) => void): void {
    this.listener = listener;
  }

  onClose(listener: () => void): void {
    this.closeListener = listener;
    if (this.closedFlag) listener();
  }

  send(message: ClientMessage): void {
    send(this.socket, message);
  }

  /** Asks one thing and waits for the answer of that type (status, stop); undefined if none comes in time. */
  ask<T extends DaemonMessage['type']>(message: ClientMessage, answer: T): Promise<Extract<DaemonMessage, { type: T }> | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), HELLO_TIMEOUT_MS);
      const settle = (reply: Extract<DaemonMessage, { type: T }> | undefined): void => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.onClose(() => settle(undefined));
      this.onMessage((reply) => {
        if (reply.type === answer) settle(reply as Extract<DaemonMessage, { type: T }>);
      });
      this.send(message);
    });
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  dispatch(message: DaemonMessage): void {
    this.listener?.(message);
  }
}

/** The token the daemon wrote, if the file is there and private. */
function readToken(place: DaemonPlace): string | undefined {
  try {
    checkPrivate(place.token, 'file');
    return readFileSync(place.token, 'utf8');
  } catch (error) {
    if (error instanceof DaemonUnavailableError) throw error;
    return undefined;
  }
}

/**
 * Connects to the workspace's daemon and presents the token. Undefined when
 * no daemon answers (no socket, or a file a killed daemon left), or it does
 * not take the token (it is starting and has not written it yet).
 */
export function connectDaemon(place: DaemonPlace): Promise<DaemonConnection | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(place.socket);
    let settled = false;
    const finish = (connection: DaemonConnection | undefined, error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!connection) socket.destroy();
      if (error) reject(error);
      else resolve(connection);
    };
    const timer = setTimeout(() => finish(undefined), HELLO_TIMEOUT_MS);
    let connection: DaemonConnection | undefined;
    socket.once('error', () => finish(undefined));
    socket.once('close', () => finish(undefined));
    socket.once('connect', () => {
      let token: string | undefined;
      try {
        token = readToken(place);
      } catch (error) {
        finish(undefined, error as Error);
        return;
      }
      if (token === undefined) return finish(undefined);
      send(socket, { type: 'hello', token });
    });
    readLines(
      socket,
      (raw) => {
        const message = raw as DaemonMessage;
        if (connection) return connection.dispatch(message);
        if (message.type !== 'welcome') return finish(undefined);
        connection = new DaemonConnection(socket, message.pid, message.identity);
        socket.on('error', () => undefined);
        finish(connection);
      },
      () => Number.MAX_SAFE_INTEGER,
    );
  });
}
