import type { ErrorBody } from './errors';

/** Every acknowledgement has this shape: a handler either did the thing or says why not. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export interface ServerInfo {
  name: 'threadline';
  protocol: number;
  time: string;
}

/** Bumped when a change to these maps would break an older client. */
export const PROTOCOL_VERSION = 1;

/** Events a client sends (`entity:verb`). */
export interface ClientToServerEvents {
  'server:hello': (ack: (res: Ack<ServerInfo>) => void) => void;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  'server:welcome': (info: ServerInfo) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

export interface SocketData {
  connectedAt: number;
}
