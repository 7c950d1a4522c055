import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Server } from 'socket.io';
import { threadRoom } from '../../lib/contract/socket';
import { record, SocketPool, type ClientSocket } from '../testing/sockets';
import { waitFor } from '../testing/wait';
import { startPresence } from './presence';
import type { IoServer } from './types';

const FLUSH_MS = 100;
/** A room of 4 local readers then hears its count every 2 flushes, as a room of 2,000 does by default. */
const READERS_PER_FLUSH = 2;
const SLUG = 'storm';

let httpServer: http.Server;
let io: IoServer;
let url: string;
let stopPresence: () => void;
const pool = new SocketPool();

before(async () => {
  httpServer = http.createServer();
  io = new Server(httpServer, { serveClient: false }) as unknown as IoServer;
  // Just the room join, as thread:subscribe makes it: presence watches the adapter's rooms.
  io.on('connection', (socket) => {
    (socket as unknown as { on(event: string, listener: (slug: string, ack: () => void) => void): void }).on('test:join', (slug, ack) => {
      void Promise.resolve(socket.join(threadRoom(slug))).then(ack);
    });
  });
  stopPresence = startPresence({ io, nodeId: 'test', clustered: false, flushMs: FLUSH_MS, readersPerFlush: READERS_PER_FLUSH });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

after(async () => {
  pool.closeAll();
  stopPresence();
  await new Promise<void>((resolve) => void io.close(() => resolve()));
});

function join(socket: ClientSocket, slug: string): Promise<void> {
  return (socket as unknown as { timeout(ms: number): { emitWithAck(event: string, slug: string): Promise<void> } }).timeout(5000).emitWithAck('test:join', slug);
}

test('readers who arrive in a storm hear the count once, with their room, not in a message of their own first', async () => {
  const room = await Promise.all(Array.from({ length: 4 }, () => pool.connect(url)));
  const atRoom = room.map((socket) => record(socket, 'thread:presence'));
  await Promise.all(room.map((socket) => join(socket, SLUG)));
  // The room's first count went to the whole room: its next turn is 2 flushes later.
  await waitFor('the room to hear 4 reading', () => atRoom.every((r) => r.items.at(-1)?.reading === 4));

  const newcomers = await Promise.all(Array.from({ length: 4 }, () => pool.connect(url)));
  const atNewcomers = newcomers.map((socket) => record(socket, 'thread:presence'));
  await Promise.all(newcomers.map((socket) => join(socket, SLUG)));
  await waitFor('every newcomer to hear 8 reading', () => atNewcomers.every((r) => r.items.at(-1)?.reading === 8));
  await waitFor('the room to hear 8 reading', () => atRoom.every((r) => r.items.at(-1)?.reading === 8));

  // Told alone at the flush before the room's turn, each newcomer would have heard 8 twice.
  for (const heard of atNewcomers) assert.deepEqual(heard.items, [{ slug: SLUG, reading: 8 }]);
});

