import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureLog } from '../testing/logCapture';

test('cookies, authorization headers, set-cookie and passwords are redacted wherever they are logged', () => {
  const out = captureLog();
  const log = out.log;
  log.error('GET /x failed', new Error('boom'), {
    req: { method: 'GET', headers: { cookie: 'tl_guest=SECRET-COOKIE', authorization: 'Bearer SECRET-BEARER', 'user-agent': 'test' } },
    res: { status: 500, headers: { 'set-cookie': ['tl_staff=SECRET-SET-COOKIE'] } },
  });
  log.info('sign-in attempt', { password: 'SECRET-PASSWORD', body: { password: 'SECRET-NESTED' } });
  log.warn('headers alone', { headers: { cookie: 'SECRET-BARE', authorization: 'Basic SECRET-BASIC' } });
  const text = out.text();
  assert.doesNotMatch(text, /SECRET/);
  const [first, second] = out.entries();
  assert.equal(first!.level, 'error');
  assert.equal(first!.msg, 'GET /x failed');
  assert.equal(first!.req?.headers?.cookie, '[redacted]');
  assert.equal(first!.req?.headers?.authorization, '[redacted]');
  assert.equal(first!.req?.headers?.['user-agent'], 'test', 'other headers stay');
  assert.equal(first!.res?.headers?.['set-cookie'], '[redacted]');
  assert.equal(first!.err?.message, 'boom');
  assert.match(first!.err?.stack ?? '', /log\.test\.ts/);
  assert.equal(second!.password, '[redacted]');
  assert.equal(second!.body?.password, '[redacted]');
});

test('JSON lines by default; compact text lines on request; the level filters', () => {
  const json = captureLog();
  json.log.info('hello', { path: '/a' });
  const entry = json.entries()[0]!;
  assert.equal(entry.msg, 'hello');
  assert.equal(entry.path, '/a');
  assert.equal(entry.service, 'threadline');
  assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT/);

  const text = captureLog({ format: 'text', level: 'warn' });
  const log = text.log;
  log.info('not shown');
  log.warn('shown', { path: '/b', headers: { cookie: 'SECRET' } });
  assert.equal(text.lines().length, 1);
  assert.match(text.lines()[0]!, /^\d\d:\d\d:\d\d WARN shown path=\/b headers=\{"cookie":"\[redacted\]"\}$/);
});

test('a trusted request line reads as an info line would, and respects the level', () => {
  const out = captureLog();
  const fields = { req: { method: 'POST', path: '/api/threads/a/comments' }, res: { status: 201 }, route: '/api/threads/:slug/comments', durationMs: 1.2 };
  out.log.infoTrusted!('POST /api/threads/a/comments 201 1.2ms', fields);
  out.log.info('POST /api/threads/a/comments 201 1.2ms', fields);
  const [trusted, plain] = out.entries().map(({ time: _time, ...rest }) => rest);
  assert.deepEqual(trusted, plain);
  assert.equal(trusted!.level, 'info');
  const quiet = captureLog({ level: 'warn' });
  quiet.log.infoTrusted!('not shown', fields);
  assert.equal(quiet.lines().length, 0);
});
