/**
 * `npm run user:role -- <display name, email or username> <commenter|moderator|admin>`: gives a
 * person another role, for example a reporter who signs in through the newsroom's provider
 * (OpenID Connect, SSO) and should get the desk. Audited; their sessions keep going with the new
 * rights from their next request (PUT /api/people/:id/role does the same for an admin in the app).
 */
import { ACCOUNT_ROLES, type AccountRole } from '../lib/domain/identity';
import { createServices } from '../lib/services';
import { openStore } from '../lib/store';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const USAGE = 'usage: npm run user:role -- "<display name, email or username>" commenter|moderator|admin';

async function main(): Promise<number> {
  const [name, role] = process.argv.slice(2);
  if (!name || !role || !(ACCOUNT_ROLES as readonly string[]).includes(role)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, { server: false });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const services = createServices({ store, sessionSecret: 'unused-by-this-command-unused-by-this-command' });
  try {
    const found = await store.accounts.findPeopleByNameOrEmail(name);
    if (found.length !== 1) {
      console.error(found.length === 0 ? `no account goes by ${JSON.stringify(name)} or has that address` : `${found.length} accounts match ${JSON.stringify(name)}: use the email or username`);
      return 1;
    }
    const user = await services.auth.setRole({ userId: found[0]!.id, role: role as AccountRole, actor: 'command line' });
    console.log(`${user.displayName} (${user.id}) is now ${user.role}`);
    return 0;
  } finally {
    await services.close();
    await store.close();
  }
}

runScript('user:role', main);
