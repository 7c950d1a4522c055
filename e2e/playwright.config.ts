import { defineConfig } from '@playwright/test';

/**
 * Playwright drives Debian's Chromium (Playwright's own browser download cannot
 * work here). Each test file starts its own Threadline servers on free ports
 * with their own data (see fixtures.ts).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results/e2e',
  fullyParallel: false,
  // Two cores: one for the server under test, one for the browser.
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // The only screenshot assertions are the README's pictures (readme.spec.ts): they live where the README shows them.
  snapshotPathTemplate: '../docs/screenshots/{arg}{ext}',
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e-results.json' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
