import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldText, MIN_REPEATED_TEXT_LENGTH, textFingerprint } from './fingerprint';

const PITCH = 'Earn $500 a day from home with this one simple trick, ask me how';

test('the same pitch in other case, spacing or full-width letters has one fingerprint', () => {
  const variants = [PITCH, PITCH.toUpperCase(), `  ${PITCH.replace(/ /g, '\n\t  ')}  `, PITCH.replace('Earn', 'Ｅａｒｎ')];
  const prints = new Set(variants.map(textFingerprint));
  assert.equal(prints.size, 1, JSON.stringify([...prints]));
  assert.match([...prints][0]!, /^[0-9a-f]{64}$/, 'a SHA-256: the text itself is not stored');
  assert.notEqual(textFingerprint(`${PITCH}!`), textFingerprint(PITCH), 'another text has another fingerprint');
});

test('short texts everybody writes are never counted', () => {
  for (const text of ['Thank you!', '+1', 'Great article, well said.', 'x'.repeat(MIN_REPEATED_TEXT_LENGTH - 1)]) assert.equal(textFingerprint(text), null, text);
  assert.notEqual(textFingerprint('x'.repeat(MIN_REPEATED_TEXT_LENGTH)), null);
  assert.equal(foldText('  A\u00a0 B\nc '), 'a b c');
});
