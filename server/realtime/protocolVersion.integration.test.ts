import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import { createServices } from '../../lib/services';
import { openStore } from '../../lib/store';
import { createTestDatabase } from '../../lib/store/testDatabases';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerInfo, type ServerToClientEvents } from '../../lib/contract/socket';
import { createApp } from '../app';
import { silentLogger } from '../log';

/** What a node announces, in its welcome and its hello: its build's version, or the one a test gives it (a newer node in a rolling deploy). */
async function announced(protocolVersion: number | undefined): Promise<{ welcome: ServerInfo; hello: unknown }> {
  const db = await createTestDatabase('sqlite');
  const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  const app = createApp({ services: createServices({ store, sessionSecret: 'test-secret-test-secret-test-secret!' }), log: silentLogger, protocolVersion });
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' });
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
  try {
    const welcome = await new Promise<ServerInfo>((resolve, reject) => {
      socket.once('server:welcome', resolve);
      socket.once('connect_error', reject);
    });
    const hello = await socket.timeout(5000).emitWithAck('server:hello');
    return { welcome, hello };
  } finally {
    socket.disconnect();
    await app.close();
    await store.close();
    await db.cleanup();
  }
}

test('a node announces its own protocol version unless told another', async () => {
  const own = await announced(undefined);
  assert.equal(own.welcome.protocol, PROTOCOL_VERSION);
  assert.equal((own.hello as { data: ServerInfo }).data.protocol, PROTOCOL_VERSION);

  const newer = await announced(PROTOCOL_VERSION + 1);
  assert.equal(newer.welcome.protocol, PROTOCOL_VERSION + 1);
  assert.equal((newer.hello as { data: ServerInfo }).data.protocol, PROTOCOL_VERSION + 1);
});
