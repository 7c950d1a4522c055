import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CODES } from '../../lib/contract/errors';
import { errorMessage, signInErrorKey } from './errorMessage';
import { CATALOGS } from './catalogs';
import { LOCALES, negotiateLocale, translatorFor } from './locales';
import { en } from './messages/en';
import { createTranslator, type Message } from './translator';

function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [...new Set(texts.flatMap((t) => [...(t ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

test('every locale has every key of the English catalog, with the same placeholders and kind', () => {
  for (const locale of LOCALES) {
    const catalog = CATALOGS[locale] as Record<string, Message>;
    assert.deepEqual(Object.keys(catalog).sort(), Object.keys(en).sort(), `${locale}: keys`);
    for (const [key, reference] of Object.entries(en) as [string, Message][]) {
      const message = catalog[key]!;
      assert.equal(typeof message, typeof reference, `${locale} ${key}: a plural where English has a string, or the reverse`);
      // A plural's "one" may spell the number out ("one comment"): placeholders are compared on the whole message.
      const expected = placeholders(reference).filter((p) => typeof reference === 'string' || p !== 'count');
      const got = placeholders(message).filter((p) => typeof reference === 'string' || p !== 'count');
      assert.deepEqual(got, expected, `${locale} ${key}: placeholders`);
      if (typeof message !== 'string') assert.ok(message.other, `${locale} ${key}: a plural needs "other"`);
    }
  }
});

test('every error code a client can receive has a message in every locale', () => {
  for (const locale of LOCALES) {
    const catalog = CATALOGS[locale] as Record<string, Message>;
    for (const code of ERROR_CODES) assert.ok(catalog[`error.${code}`], `${locale}: error.${code}`);
  }
  const de = translatorFor('de');
  assert.equal(errorMessage(de, { code: 'rate_limited' }), 'Sie schreiben zu schnell. Bitte warten Sie einen Moment.');
  assert.equal(errorMessage(de, { code: 'no_such_code' }), 'Das hat nicht geklappt.');
  assert.equal(errorMessage(de, null, 'error.offline'), de.t('error.offline'));
});

test('a refusal at sign-in speaks of signing in, not of posting', () => {
  const en = translatorFor('en');
  assert.match(en.t(signInErrorKey('rate_limited')), /sign-in attempts/);
  assert.equal(signInErrorKey('invalid_credentials'), 'error.invalid_credentials');
  assert.equal(signInErrorKey(undefined), 'error.generic');
});

test('Accept-Language picks the best locale we speak, by quality, region ignored, English otherwise', () => {
  assert.equal(negotiateLocale(null), 'en');
  assert.equal(negotiateLocale(''), 'en');
  assert.equal(negotiateLocale('de-AT,de;q=0.9,en;q=0.8'), 'de');
  assert.equal(negotiateLocale('fr-FR, en;q=0.5, de;q=0.7'), 'de');
  assert.equal(negotiateLocale('en-GB;q=0.9, de;q=0.8'), 'en');
  assert.equal(negotiateLocale('ja, *;q=0.1'), 'en');
  assert.equal(negotiateLocale('de;q=0, en'), 'en');
  assert.equal(negotiateLocale('garbage;;;q=x, DE'), 'de');
});

test('plurals and numbers follow the locale', () => {
  const en = translatorFor('en');
  const de = translatorFor('de');
  assert.equal(en.t('count.comments', { count: 1 }), '1 comment');
  assert.equal(en.t('count.comments', { count: 1234 }), '1,234 comments');
  assert.equal(en.t('count.comments', { count: 0 }), '0 comments');
  assert.equal(en.t('form.charsLeft', { count: -1 }), '-1 characters left');
  assert.equal(de.t('count.comments', { count: 1 }), '1 Kommentar');
  assert.equal(de.t('count.comments', { count: 1234 }), '1.234 Kommentare');
  assert.equal(de.t('count.newComments', { count: 3 }), '3 neue Kommentare');
  assert.equal(de.t('thread.wait', { seconds: 12 }), 'Langsamer Modus: Sie können in 12 s wieder schreiben.');
});

test('relative times in the locale, the date in the reader’s time zone after a week', () => {
  const now = Date.parse('2026-11-27T12:00:00.000Z');
  const en = translatorFor('en');
  const de = translatorFor('de');
  const inAuckland = (locale: 'en' | 'de') => createTranslator({ locale, catalog: CATALOGS[locale], timeZone: 'Pacific/Auckland' });
  assert.equal(en.relativeTime('2026-11-27T11:59:40.000Z', now), 'just now');
  assert.equal(en.relativeTime('2026-11-27T11:57:00.000Z', now), '3 min. ago');
  assert.equal(de.relativeTime('2026-11-27T11:57:00.000Z', now), 'vor 3 Min.');
  assert.equal(de.relativeTime('2026-11-27T09:00:00.000Z', now), 'vor 3 Std.');
  assert.equal(de.relativeTime('2026-11-26T12:00:00.000Z', now), 'gestern');
  assert.equal(de.relativeTime('2026-11-27T11:59:50.000Z', now), 'gerade eben');
  // 08:30 UTC on 1 October is 21:30 in Auckland (NZDT, UTC+13): the reader's own clock, no zone named.
  assert.equal(inAuckland('de').relativeTime('2026-10-01T08:30:00.000Z', now), '01.10.2026, 21:30');
  assert.match(inAuckland('en').relativeTime('2026-10-01T08:30:00.000Z', now), /^Oct 1, 2026, 9:30\sPM$/);
  assert.match(inAuckland('en').localDate('2026-10-01T08:30:00.000Z', { long: true }), /^Thursday, October 1, 2026 at 9:30\sPM GMT\+13$/);
  // What the server renders (before the page is live) is in UTC, and says so.
  assert.match(en.formatDate('2026-10-01T08:30:00.000Z'), /^Oct 1, 2026, 8:30\sAM UTC$/);
  assert.match(de.formatDate('2026-10-01T08:30:00.000Z'), /^01\.10\.2026, 08:30 UTC$/);
});

test('placeholders are filled from the parameters (numbers in the locale), the same text twice alike, an unknown one left as written', () => {
  const t = createTranslator({ locale: 'en', catalog: { ...en, 'comment.by': 'by {name} and {name}, {count} {missing}' } });
  for (let i = 0; i < 2; i++) assert.equal(t.t('comment.by', { name: 'Ann', count: 12345 }), 'by Ann and Ann, 12,345 {missing}');
  assert.equal(t.t('comment.by'), 'by {name} and {name}, {count} {missing}');
});
