import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../lib/contract/socket';

export type PageSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The page's one live connection, for what else on the page listens to it (the bell in the header):
 * a reader page opens a socket for its thread, and the bell hears the person's notices on the same one
 * rather than opening a second (every signed-in socket is in its account's room).
 */
let current: PageSocket | null = null;
const listeners = new Set<(socket: PageSocket) => void>();

export function sharePageSocket(socket: PageSocket): void {
  current = socket;
  for (const listener of listeners) listener(socket);
}

/** Calls `listener` with the page's socket now if there is one, and with each one shared later; returns the way to stop. */
export function onPageSocket(listener: (socket: PageSocket) => void): () => void {
  listeners.add(listener);
  if (current) listener(current);
  return () => listeners.delete(listener);
}
