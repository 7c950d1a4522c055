import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerInfo,
  type ServerToClientEvents,
  type SocketData,
} from '../../lib/contract/socket';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

function serverInfo(): ServerInfo {
  return { name: 'threadline', protocol: PROTOCOL_VERSION, time: new Date().toISOString() };
}

/** Socket.IO on the same HTTP server (and port) as the pages and the API. */
export function createIo(httpServer: HttpServer): IoServer {
  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    // Comments are small; anything bigger than this is not a comment.
    maxHttpBufferSize: 64 * 1024,
    // Other upgrades on this port (Next.js's dev reload) are routed by the app, not killed here.
    destroyUpgrade: false,
  });

  io.on('connection', (socket) => {
    socket.data.connectedAt = Date.now();
    socket.emit('server:welcome', serverInfo());
    socket.on('server:hello', (ack) => {
      if (typeof ack === 'function') ack({ ok: true, data: serverInfo() });
    });
  });

  return io;
}
