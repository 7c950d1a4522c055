import { PROTOCOL_VERSION } from '../contract/events';
import type { GuestIdentity } from '../contract/socket';

/**
 * Whether the server's `server:welcome` announces the protocol this page was
 * built for. During a rolling deploy an open page can reconnect to a newer
 * node: any other version (or a welcome this page cannot read) means it may
 * misread what that server sends, so it stops applying it (docs/protocol.md).
 */
export function speaksOurProtocol(welcome: unknown, ours: number = PROTOCOL_VERSION): boolean {
  return typeof welcome === 'object' && welcome !== null && (welcome as { protocol?: unknown }).protocol === ours;
}

/**
 * The identity a `server:welcome` says this connection has. A welcome that does not say (a node
 * from before it did) means the reader is as they always were: lasting.
 */
export function welcomedIdentity(welcome: unknown): GuestIdentity {
  return typeof welcome === 'object' && welcome !== null && (welcome as { identity?: unknown }).identity === 'connection' ? 'connection' : 'lasting';
}
