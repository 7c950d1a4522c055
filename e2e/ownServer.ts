import { test } from '@playwright/test';
import { createServices, type Services } from '../lib/services';
import { openStore, type Store } from '../lib/store';
import { startServer, type ServerProcess } from './serverProcess';

/** A spec's own server, with its database opened beside it (serverWithItsStore). */
export interface ServerWithItsStore {
  readonly server: ServerProcess;
  /** Services on the server's own database: accounts and sessions made the way a sign-in method makes them, so no method needs configuring. */
  readonly services: Services;
}

/**
 * Starts a server of the spec's own before its tests, and opens its database beside it (the store and
 * services of this process: `services.auth.signInWith` makes a session the server accepts); stops both
 * after. Call it at the top of a spec file.
 */
export function serverWithItsStore(label: string): ServerWithItsStore {
  let server: ServerProcess | undefined;
  let store: Store | undefined;
  let services: Services | undefined;
  test.beforeAll(async () => {
    server = await startServer();
    store = await openStore({ dataDir: server.dataDir });
    services = createServices({ store, sessionSecret: `e2e-${label}-spec-secret-not-the-servers` });
  });
  test.afterAll(async () => {
    await services?.close();
    await store?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('serverWithItsStore: used before its beforeAll ran');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get services() {
      return started(services);
    },
  };
}
