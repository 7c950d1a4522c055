import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { ErrorResponseSchema } from '../../lib/contract/errors';
import { limitRule } from '../../lib/services/limits';
import type { PasswordCost } from '../../lib/services/passwords';
import { DEVICE_COOKIE } from '../../lib/domain/deviceToken';
import { STAFF_COOKIE } from '../http/staffSession';
import { loopbackAddress, requestFrom, type AddressedResult } from '../testing/fromAddress';
import { TEST_PASSWORD_COST } from '../testing/nodes';
import { createAccount, type Account } from '../testing/staff';
import { DATABASE_KINDS, useNodes } from '../testing/suites';

/**
 * Sign-in under attack, as an attacker would make it (issue 14, point 2;
 * docs/security.md, "Sign-in under attack"): real sockets from many client
 * addresses (Linux routes all of 127/8 to loopback), real HTTP.
 */

/** Big enough that a flood is real work (32 MiB and tens of ms a hash), small enough for a test. */
const FLOOD_COST: PasswordCost = { N: 2 ** 15, r: 8, p: 1 };
const FLOOD_SIZE = 100;
/** The per-minute ceiling on password checks the flood test sets, so that what it accepts is known. */
const FLOOD_CEILING = 20;

/** Stands in for Next.js: an HTML page gzipped by a zlib stream, as Next's compression middleware does it (on libuv's thread pool). */
const PAGE_MARKER = 'the page under the flood';
function gzipPage(req: IncomingMessage, res: ServerResponse): void {
  if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return void res.writeHead(406).end();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
  const gzip = zlib.createGzip();
  gzip.pipe(res);
  gzip.end(`<!doctype html><title>${PAGE_MARKER}</title>${'<p>Lorem ipsum dolor sit amet.</p>'.repeat(2000)}`);
}

const signInFrom = (address: string, baseUrl: string, account: { username: string; password: string }, cookie?: string) =>
  requestFrom(address, `${baseUrl}/api/auth/login`, { json: { username: account.username, password: account.password }, ...(cookie && { cookie }) });

function errorOf(res: AddressedResult, status: number, what: string) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.json)}`);
  const { error } = ErrorResponseSchema.parse(res.json);
  assert.ok(error.retryAfter !== undefined && error.retryAfter >= 1, `${what}: retryAfter ${error.retryAfter}`);
  assert.equal(res.headers['retry-after'], String(error.retryAfter), `${what}: Retry-After`);
  return error;
}

function signedIn(res: AddressedResult, what: string): string {
  assert.equal(res.status, 200, `${what}: expected 200, got ${res.status} ${JSON.stringify(res.json)}`);
  const session = res.cookies.find((c) => c.startsWith(`${STAFF_COOKIE}=`));
  assert.ok(session, `${what}: a session cookie`);
  return res.cookies.join('; ');
}

for (const kind of DATABASE_KINDS) {
  describe(`sign-in under attack (${kind})`, () => {
    const suite = useNodes({ kind, closeNodes: 'afterEach' });

    test("14.2 an attacker's wrong passwords from one address do not lock the owner out: the owner signs in from another at once, the attacker stays limited", async () => {
      // The production limits: nothing here is loosened for the test.
      const n = await suite.start({ passwordCost: TEST_PASSWORD_COST });
      const owner: Account = await createAccount(n, 'admin');
      const [attacker, ownersDesk] = ['127.0.2.1', '127.0.2.2'];
      const guess = () => signInFrom(attacker, n.baseUrl, { username: owner.username, password: `guess-${randomBytes(4).toString('hex')}` });

      let refusedAfter = 0;
      for (;;) {
        const res = await guess();
        if (res.status === 429) break;
        assert.equal(res.status, 401, `guess ${refusedAfter + 1}: ${JSON.stringify(res.json)}`);
        refusedAfter += 1;
        assert.ok(refusedAfter <= 10, 'the attacker is limited after a handful of guesses');
      }
      // The attacker, from its address, is refused even with the right password (the limit says nothing about it)…
      const error = errorOf(await signInFrom(attacker, n.baseUrl, owner), 429, 'the right password from the attacker’s address');
      assert.equal(error.code, 'rate_limited');
      // …while the owner, elsewhere, signs in at once, and the session works.
      const cookie = signedIn(await signInFrom(ownersDesk, n.baseUrl, owner), 'the owner from another address');
      const me = await requestFrom(ownersDesk, `${n.baseUrl}/api/auth/me`, { cookie });
      assert.equal(me.status, 200);
      assert.deepEqual(me.json, { user: { username: owner.username, role: 'admin' } });
    });

    test('14.2 a browser that signed in before gets a device cookie: it is limited by its own failures, and worth nothing for another account', async () => {
      const n = await suite.start({ passwordCost: TEST_PASSWORD_COST, limits: { loginFailures: limitRule('3/900') } });
      const [owner, other] = [await createAccount(n, 'admin'), await createAccount(n, 'moderator')];
      const desk = '127.0.5.1';
      const first = await signInFrom(desk, n.baseUrl, owner);
      signedIn(first, 'the first sign-in');
      const devices = (first.headers['set-cookie'] ?? []).filter((c) => c.startsWith(`${DEVICE_COOKIE}=`));
      // One for each sign-in (a browser sends a cookie only under its path): the JSON API's and the no-JavaScript form's.
      assert.deepEqual(
        devices.map((c) => /; Path=([^;]+); Max-Age=\d+; HttpOnly; SameSite=Strict$/.exec(c)?.[1]),
        ['/api/auth/login', '/login'],
        'sent to the sign-ins only, never from another site, unreadable by scripts',
      );
      const cookie = devices[0]!.split(';')[0]!;
      assert.equal(devices[1]!.split(';')[0], cookie, 'the same token on both paths');

      // Someone at the same browser guessing is limited by that browser's own failures…
      for (let i = 0; i < 3; i++) assert.equal((await signInFrom(desk, n.baseUrl, { username: owner.username, password: 'wrong-wrong' }, cookie)).status, 401);
      assert.equal(errorOf(await signInFrom(desk, n.baseUrl, owner, cookie), 429, 'a 4th attempt from that browser').code, 'rate_limited');
      // …which are not the address's: the same address without that cookie is a stranger with budgets of its own.
      signedIn(await signInFrom(desk, n.baseUrl, owner), 'the owner from the same address in another browser');
      // The cookie was given for the owner's account: for another it is ignored, and that sign-in is a stranger's.
      const elsewhere = await signInFrom(desk, n.baseUrl, other, cookie);
      signedIn(elsewhere, 'another account from the browser');
    });

    test('14.2 the device cookie works for the no-JavaScript sign-in form too: strangers at the address have used up its failures, the owner still signs in', async () => {
      // The form's routes are served beside the pages.
      const n = await suite.start({ passwordCost: TEST_PASSWORD_COST, limits: { loginFailures: limitRule('3/900') }, pageHandler: (_req, res) => void res.end('page') });
      const owner = await createAccount(n, 'admin');
      const office = '127.0.6.1';
      const first = await signInFrom(office, n.baseUrl, owner);
      signedIn(first, 'the first sign-in');
      // What a browser sends to POST /login: only cookies whose path covers it.
      const sentToForm = (first.headers['set-cookie'] ?? []).filter((c) => c.startsWith(`${DEVICE_COOKIE}=`) && /; Path=\/login;/.test(c));
      assert.equal(sentToForm.length, 1, 'a device cookie the form’s request carries');
      const device = sentToForm[0]!.split(';')[0]!;

      const formSignIn = (password: string, cookie?: string) =>
        requestFrom(office, `${n.baseUrl}/login`, { form: { username: owner.username, password, next: '/moderate' }, ...(cookie && { cookie }) });
      for (let i = 0; i < 3; i++) {
        const res = await formSignIn('wrong-wrong');
        assert.match(res.headers.location ?? '', /error=invalid_credentials/, `stranger ${i + 1}: ${res.status} ${res.raw.toString().slice(0, 200)}`);
      }
      const stranger = await formSignIn(owner.password);
      assert.equal(stranger.status, 303);
      assert.match(stranger.headers.location ?? '', /error=rate_limited/, 'the address without the cookie is limited');

      const known = await formSignIn(owner.password, device);
      assert.equal(known.status, 303);
      assert.equal(known.headers.location, '/moderate', `the owner's browser signs in: ${known.headers.location}`);
      assert.ok(known.cookies.some((c) => c.startsWith(`${STAFF_COOKIE}=`)), 'with a session');
    });

    test('14.2 a sign-in flood from many addresses: beyond a bounded queue it is refused at once (503 and Retry-After); gzipped pages and the owner are served while it runs', async () => {
      const n = await suite.start({
        passwordCost: FLOOD_COST,
        pageHandler: gzipPage,
        // The defaults (SIGNIN_HASH_WORKERS=1, SIGNIN_HASH_QUEUE=8) but for the cost and the ceiling.
        limits: { loginHashes: limitRule(`${FLOOD_CEILING}/60`) },
      });
      const owner = await createAccount(n, 'admin');
      const ownersDesk = '127.0.3.1';
      // The owner has signed in from this browser before (it holds what the server gave it then).
      const known = signedIn(await signInFrom(ownersDesk, n.baseUrl, owner), 'the owner before the flood');
      const browser = known
        .split('; ')
        .filter((c) => !c.startsWith(`${STAFF_COOKIE}=`))
        .join('; ');

      // Each address tries one unknown username once: every attempt is within every per-address and per-username limit.
      const flood = Array.from({ length: FLOOD_SIZE }, (_, i) =>
        signInFrom(loopbackAddress(4, i), n.baseUrl, { username: `victim-${randomBytes(4).toString('hex')}`, password: 'hunter2-hunter2' }),
      );
      // The flood is under way once its first answer is in: the page and the owner come now.
      await Promise.race(flood);
      const page = requestFrom('127.0.3.2', `${n.baseUrl}/articles/anything`, { headers: { 'accept-encoding': 'gzip' } });
      const ownerAgain = signInFrom(ownersDesk, n.baseUrl, owner, browser || undefined);
      const answers = await Promise.all(flood);

      const checked = answers.filter((a) => a.status === 401);
      const refused = answers.filter((a) => a.status !== 401);
      for (const res of refused) assert.equal(errorOf(res, 503, 'a refused attempt').code, 'sign_in_busy');
      assert.ok(refused.length > 0, 'the overflow is refused');
      assert.ok(checked.length >= 1 && checked.length <= FLOOD_CEILING, `checked ${checked.length}: at most the per-minute ceiling`);
      // "At once" and "not behind the flood", said without a clock: answered before half the accepted attempts were checked.
      const checkedBefore = (answer: AddressedResult) => checked.filter((a) => a.order < answer.order).length;
      const early = (answer: AddressedResult) => checkedBefore(answer) < checked.length / 2;
      assert.ok(refused.every(early), `every refusal comes at once, not after the checks: ${refused.map(checkedBefore).join(' ')} of ${checked.length}`);

      const pageAnswer = await page;
      assert.equal(pageAnswer.status, 200);
      assert.equal(pageAnswer.headers['content-encoding'], 'gzip');
      assert.match(zlib.gunzipSync(pageAnswer.raw).toString('utf8'), new RegExp(PAGE_MARKER));
      assert.ok(early(pageAnswer), `the gzipped page is served during the flood, not after it: ${checkedBefore(pageAnswer)} of ${checked.length} checks came first`);

      const ownerAnswer = await ownerAgain;
      const cookie = signedIn(ownerAnswer, 'the owner during the flood, from a browser it signed in from before');
      assert.ok(early(ownerAnswer), `the owner is not queued behind the flood: ${checkedBefore(ownerAnswer)} of ${checked.length} checks came first`);
      assert.equal((await requestFrom(ownersDesk, `${n.baseUrl}/api/auth/me`, { cookie })).status, 200);
    });
  });
}
