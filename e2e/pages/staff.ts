import { expect, type Page } from '@playwright/test';
import { firstAdminPassword, type ServerProcess } from '../serverProcess';

/** Signs in at /login as a moderator or admin would (the first admin by default) and waits for the desk. */
export async function signIn(page: Page, server: ServerProcess, account: { username: string; password: string } = { username: 'admin', password: firstAdminPassword(server) }): Promise<void> {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/moderate$/);
}
