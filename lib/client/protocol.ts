import { PROTOCOL_VERSION } from '../contract/socket';

/**
 * Whether the server's `server:welcome` announces the protocol this page was
 * built for. During a rolling deploy an open page can reconnect to a newer
 * node: any other version (or a welcome this page cannot read) means it may
 * misread what that server sends, so it stops applying it (docs/protocol.md).
 */
export function speaksOurProtocol(welcome: unknown, ours: number = PROTOCOL_VERSION): boolean {
  return typeof welcome === 'object' && welcome !== null && (welcome as { protocol?: unknown }).protocol === ours;
}
