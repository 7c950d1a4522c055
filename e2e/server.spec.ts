import { expect, test } from '@playwright/test';
import { startServer } from './serverProcess';

test('SIGTERM closes sockets, pages and the store, and exits 0', async () => {
  const server = await startServer();
  const health = await fetch(`${server.baseUrl}/api/health`);
  expect(health.status).toBe(200);
  const code = await server.stop();
  expect(code).toBe(0);
  expect(server.output()).toContain('stopped cleanly');
});
