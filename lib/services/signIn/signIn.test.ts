import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkInvalid, linkProblemOf } from './emailLinks';
import { signInLinkMail } from './linkMail';
import { commenterSignIn, signInMethods } from './methods';

test('the sign-in methods follow the configuration: email with SMTP_URL, the OpenID Connect providers listed, SSO with a key, password always', () => {
  assert.deepEqual(signInMethods({}), { email: false, oidc: [], sso: false, password: true });
  const methods = signInMethods({ smtpUrl: 'smtp://127.0.0.1:25', oidcProviders: [{ id: 'google', label: 'Google' }], ssoJwksUrl: 'https://news.example.com/jwks.json' });
  assert.deepEqual(methods, { email: true, oidc: [{ id: 'google', label: 'Google' }], sso: true, password: true });
  assert.equal(commenterSignIn(signInMethods({})), false);
  assert.equal(commenterSignIn(signInMethods({ smtpUrl: 'smtp://x' })), true);
  assert.equal(commenterSignIn(signInMethods({ oidcProviders: [{ id: 'kc', label: 'Newsroom' }] })), true);
});

test('the mail is in the reader’s language where we speak it (German), English otherwise; the link is escaped in its HTML', () => {
  const link = 'https://comments.example.com/signin/link?token=abc&x="<y>';
  const de = signInLinkMail({ to: 'a@b.test', link, locale: 'de', site: 'comments.example.com' });
  assert.match(de.subject, /^Ihr Anmeldelink/);
  assert.ok(de.text.includes(link));
  assert.match(de.text, /15 Minuten/);
  assert.ok(!de.html.includes('"<y>'), 'escaped');
  assert.ok(de.html.includes('&quot;&lt;y&gt;'));
  const fr = signInLinkMail({ to: 'a@b.test', link, locale: 'fr', site: 'comments.example.com' });
  assert.match(fr.subject, /^Your sign-in link/);
});

test('a refused link carries its reason in fields.link, and only a known reason is read back', () => {
  const error = linkInvalid('other_browser');
  assert.equal(error.code, 'sign_in_link_invalid');
  assert.deepEqual(error.toBody().fields, { link: ['other_browser'] });
  assert.equal(linkProblemOf(error), 'other_browser');
  assert.equal(linkProblemOf(linkInvalid('expired')), 'expired');
});
