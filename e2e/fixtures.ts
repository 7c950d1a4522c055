import { test as base } from '@playwright/test';
import path from 'node:path';
import { startServer, type ServerProcess } from './serverProcess';

export const SEED_SLUG = 'jeff-sessions-fires-back-at-trumps-attack-as-potus-endorses-his-opponent';
export const SEED_TITLE = 'Jeff Sessions Fires Back at Trump’s Attack as POTUS Endorses His Opponent';

interface Servers {
  /** A fresh start on the embedded defaults with the real seed folder. */
  seeded: ServerProcess;
  /** A fresh start seeded with e2e/fixtures/seeds (a thread nested deeper than a page shows). */
  deep: ServerProcess;
}

/** Servers are per worker and start only when a test asks for one. */
export const test = base.extend<object, Servers>({
  seeded: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  deep: [
    async ({}, use) => {
      const server = await startServer({ seedsDir: path.join(__dirname, 'fixtures', 'seeds') });
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
