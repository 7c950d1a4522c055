import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { postJson } from '../common/httpPost';
import type { ProcessSupervisor } from '../common/processSupervisor';
import type { RunningTarget } from '../common/targets/target';

const USERNAME = 'bench-moderator';
const USER_CREATE_TIMEOUT_MS = 60_000;
const SESSION_COOKIE = /^((?:__Host-)?tl_session=[^;]+)/;

export interface Moderator {
  username: string;
  /** The `Cookie` header to send: `tl_session=…`. */
  cookie: string;
}

/**
 * A moderator for the run: `scripts/userCreate.ts` against the nodes' store
 * (the password goes on stdin, as the script wants), then one sign-in. Sign-in
 * is rate limited (5 a minute per address, even with RATE_LIMITS=off), so the
 * run signs in once and every round reuses the session, which every node
 * accepts because they share PostgreSQL: checked here on each node.
 */
export async function signInModerator(args: { target: RunningTarget; supervisor: ProcessSupervisor; root: string; log: (message: string) => void }): Promise<Moderator> {
  const { target } = args;
  if (!target.storeEnv) throw new Error(`${target.name} has no store to create a moderator in`);
  const password = randomBytes(18).toString('base64url');
  const script = args.supervisor.spawn({
    name: 'user:create',
    command: process.execPath,
    args: ['--import', 'tsx', path.join('scripts', 'userCreate.ts'), '--username', USERNAME, '--role', 'moderator'],
    cwd: args.root,
    env: target.storeEnv,
    input: `${password}\n`,
  });
  const timer = setTimeout(() => void script.stop(), USER_CREATE_TIMEOUT_MS);
  const code = await script.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`scripts/userCreate.ts failed (exit ${code}):\n${script.tail()}`);

  const agent = new http.Agent({ keepAlive: false });
  try {
    const login = await postJson({ url: new URL('/api/auth/login', target.nodeUrls[0]), agent, body: JSON.stringify({ username: USERNAME, password }) });
    if (login.status !== 200) throw new Error(`POST /api/auth/login: HTTP ${login.status} ${login.body.slice(0, 300)}`);
    const cookie = (login.headers['set-cookie'] ?? []).map((c) => SESSION_COOKIE.exec(c)?.[1]).find((c) => c !== undefined);
    if (!cookie) throw new Error('POST /api/auth/login answered 200 without a tl_session cookie');
    for (const url of target.nodeUrls) {
      const me = await getWithCookie({ url: new URL('/api/auth/me', url), cookie });
      if (me.status !== 200 || !me.body.includes('"moderator"')) throw new Error(`GET ${url}/api/auth/me with the moderator's session: HTTP ${me.status} ${me.body.slice(0, 200)}`);
    }
    args.log(`moderator ${USERNAME} signed in; its session works on ${target.nodeUrls.length} nodes`);
    return { username: USERNAME, cookie };
  } finally {
    agent.destroy();
  }
}

function getWithCookie(args: { url: URL; cookie: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(args.url, { headers: { cookie: args.cookie }, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`GET ${args.url.pathname} timed out`));
      })
      .on('error', reject);
  });
}
