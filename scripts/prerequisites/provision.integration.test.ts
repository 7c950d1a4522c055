import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../server/testing/freePort';
import { accepts, provisionTestPrerequisites } from './provision';

// The machine's shared services are never stopped to test the "down" path: the checks are pointed
// at ports where nothing listens instead.
const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** One inline Redis command over a bare socket (no client library: this is about the process, not the client). */
function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.on('data', (d) => (reply += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(reply));
    socket.on('connect', () => socket.end(`${command}\r\n`));
  });
}

test('a Redis that is down on this machine is started on its port, then answers', async (t) => {
  const port = await freePort();
  t.after(async () => {
    await redisCommand(port, 'SHUTDOWN NOSAVE').catch(() => undefined);
    fs.rmSync(path.join(os.tmpdir(), `threadline-test-redis-${port}.log`), { force: true });
  });
  const said: string[] = [];
  const problems = await provisionTestPrerequisites({ pgAdminUrl: PG_ADMIN_URL, redisUrl: `redis://127.0.0.1:${port}`, chromiumPath: undefined, nginx: true, log: (m) => said.push(m) });
  assert.deepEqual(problems, []);
  assert.match(said.join('\n'), new RegExp(`starting Redis on 127\\.0\\.0\\.1:${port}: \\S*redis-server --daemonize yes`));
  assert.match(said.join('\n'), new RegExp(`Redis on 127\\.0\\.0\\.1:${port}: ready`));
  assert.equal(await redisCommand(port, 'PING'), '+PONG\r\n');
});

test('a PostgreSQL port where no cluster is: reported with what to do, and nothing is started', async () => {
  const port = await freePort();
  const said: string[] = [];
  const problems = await provisionTestPrerequisites({ pgAdminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, redisUrl: REDIS_URL, chromiumPath: undefined, nginx: true, log: (m) => said.push(m) });
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0]!, /PostgreSQL/);
  assert.match(problems[0]!, /TEST_PG_ADMIN_URL/);
  assert.deepEqual(said, []);
  assert.equal(await accepts({ host: '127.0.0.1', port }), false);
});

test('everything in place: one line says so, nothing is done', async () => {
  const said: string[] = [];
  assert.deepEqual(await provisionTestPrerequisites({ pgAdminUrl: PG_ADMIN_URL, redisUrl: REDIS_URL, chromiumPath: undefined, nginx: true, log: (m) => said.push(m) }), []);
  assert.deepEqual(said, ['PostgreSQL and Redis answer, nginx is installed.']);
});
