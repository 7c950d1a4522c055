import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { firstAdminPassword, type ServerProcess } from '../serverProcess';

export interface StaffAccount {
  username: string;
  password: string;
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

const firstAdmin = (server: ServerProcess): StaffAccount => ({ username: 'admin', password: firstAdminPassword(server) });

/** Signs in at /login as a moderator or admin would (the first admin by default) and waits for the desk. */
export async function signIn(page: Page, server: ServerProcess, account: StaffAccount = firstAdmin(server)): Promise<void> {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/moderate$/);
}

/**
 * Sessions signed in once per server and account in this worker. Sign-in is limited to 5 a minute
 * per address (the production limit), and every spec's browser is 127.0.0.1 on
 * the worker's shared servers: signing in through the form for each page would let one spec's
 * sign-ins refuse another's, depending on which ran within the same minute. A server is known by
 * its data folder, which no later server reuses (a port may be).
 */
const sessions = new Map<string, Promise<StorageState>>();

async function signedInState(browser: Browser, server: ServerProcess, account: StaffAccount): Promise<StorageState> {
  const context = await browser.newContext();
  try {
    await signIn(await context.newPage(), server, account);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/**
 * A browser context of its own, signed in as `account` (the first admin by default), with
 * `options` (a locale, a colour scheme): the caller closes it. The sign-in form is used once per
 * server and account; later contexts start with that session's cookie.
 */
/** After a test signs the worker's session out (revoked on the server): the next context signs in again. */
export function forgetStaffSession(server: ServerProcess, account: StaffAccount = firstAdmin(server)): void {
  sessions.delete(`${server.dataDir}\n${account.username}`);
}

export async function staffContext(
  browser: Browser,
  server: ServerProcess,
  options: { account?: StaffAccount } & Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const { account = firstAdmin(server), ...contextOptions } = options;
  const key = `${server.dataDir}\n${account.username}`;
  let state = sessions.get(key);
  if (!state) {
    state = signedInState(browser, server, account);
    sessions.set(key, state);
    // A failed sign-in is not remembered: the next caller tries again (and sees why it fails).
    state.catch(() => sessions.delete(key));
  }
  return browser.newContext({ ...contextOptions, storageState: await state });
}
