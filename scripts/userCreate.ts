/**
 * `npm run user:create -- --username NAME --role moderator|admin`: creates a
 * moderator or admin account, or sets a new password (and role) on an existing
 * one, ending its sessions. The password is read from standard input (the first
 * line), so it never shows in the shell's history or the process list.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsernameSchema } from '../lib/contract/api';
import { AppError } from '../lib/domain/errors';
import { fieldErrors } from '../lib/domain/validation';
import { createServices } from '../lib/services';
import { openStore } from '../lib/store';
import { ROLES } from '../lib/store/accountStore';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const ArgsSchema = z.object({
  username: UsernameSchema,
  role: z.enum(ROLES, { error: 'must be moderator or admin' }),
});

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (at least 12 characters): ');
  let input = '';
  for await (const chunk of process.stdin) {
    input += String(chunk);
    if (input.includes('\n')) break;
  }
  return input.split(/\r?\n/)[0] ?? '';
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { username: { type: 'string' }, role: { type: 'string' } } });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(fieldErrors(parsed.error))) console.error(`--${field}: ${messages.join('; ')}`);
    console.error('usage: echo "$PASSWORD" | npm run user:create -- --username NAME --role moderator|admin');
    return 2;
  }
  const password = await readPassword();
  const config = loadConfig(process.env, { server: false });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const services = createServices({ store, sessionSecret: 'unused-by-this-command-unused-by-this-command' });
  try {
    const { user, created } = await services.auth.upsertUser({ username: parsed.data.username, password, role: parsed.data.role });
    console.log(`${created ? 'created' : 'updated'} ${user.role} ${user.username}${created ? '' : ' (its sessions were ended)'}`);
    return 0;
  } catch (err) {
    if (AppError.is(err) && err.fields) {
      for (const [field, messages] of Object.entries(err.fields)) console.error(`${field}: ${messages.join('; ')}`);
      return 2;
    }
    throw err;
  } finally {
    await services.close();
    await store.close();
  }
}

runScript('user:create', main);
