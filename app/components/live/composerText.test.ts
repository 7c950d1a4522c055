import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translatorFor } from '../../i18n/locales';
import { statusText, tooLongText } from './composerText';

const en = translatorFor('en');
const de = translatorFor('de');
const top = { reply: false, waiting: false };

test('each setback is said in words that fit its cause', () => {
  assert.equal(statusText(en, { state: 'idle' }, top), null);
  assert.equal(statusText(en, { state: 'sending' }, top), null);
  assert.match(statusText(en, { state: 'held', offline: true, retryAt: 0 }, top)!, /offline — your comment will be sent when you’re back/);
  assert.match(statusText(en, { state: 'held', offline: false, retryAt: 0 }, top)!, /cannot take your comment right now/);
  assert.match(statusText(en, { state: 'invalid', problem: { field: 'body', rule: 'empty' } }, top)!, /nothing to post/);
  assert.match(statusText(en, { state: 'invalid', problem: { field: 'body', rule: 'invisible' } }, top)!, /nothing to post/);
  assert.match(statusText(en, { state: 'invalid', problem: { field: 'authorName', rule: 'empty' } }, top)!, /Add your name/);
  assert.match(statusText(en, { state: 'invalid', problem: { field: 'authorName', rule: 'bidi' } }, top)!, /direction of text/);
  assert.match(statusText(en, { state: 'refused', code: 'thread_locked' }, top)!, /^Your comment was not posted: This thread is locked/);
  assert.match(statusText(en, { state: 'refused', code: 'no_such_code' }, top)!, /^Your comment was not posted: That did not work\.$/);
  assert.equal(tooLongText(en), 'Too long to post: a comment can have at most 5,000 characters.');
  assert.equal(tooLongText(de), 'Zu lang zum Senden: Ein Kommentar darf höchstens 5.000 Zeichen haben.');
});

test('a rule both fields share names the field, in the reader’s language', () => {
  const control = { state: 'invalid', problem: { field: 'body', rule: 'control' } } as const;
  assert.match(statusText(en, control, top)!, /^Your comment contains control characters/);
  assert.match(statusText(en, control, { ...top, reply: true })!, /^Your reply contains control characters/);
  assert.match(statusText(de, { state: 'invalid', problem: { field: 'authorName', rule: 'marks' } }, top)!, /^Ihr Name stapelt/);
});

test('a refusal about when is said only while the wait lasts', () => {
  assert.equal(statusText(en, { state: 'refused', code: 'slow_mode' }, top), null);
  assert.equal(statusText(en, { state: 'refused', code: 'slow_mode' }, { ...top, waiting: true }), 'Not posted yet: slow mode is on in this discussion.');
  assert.equal(statusText(en, { state: 'refused', code: 'rate_limited' }, { ...top, waiting: true }), 'Not posted yet: you are posting too fast.');
});
