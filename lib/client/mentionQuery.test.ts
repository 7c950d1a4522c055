import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NAME_MAX } from '../contract/limits';
import { insertMention, mentionQueryAt as queryAt } from './mentionQuery';

const mentionQueryAt = (text: string, caret: number) => queryAt(text, caret, NAME_MAX);

const at = (text: string) => mentionQueryAt(text, text.length);

describe('mentionQueryAt: when the comment box suggests people', () => {
  test('an @ and what follows it up to the caret', () => {
    assert.deepEqual(at('hi @'), { start: 3, query: '' });
    assert.deepEqual(at('hi @An'), { start: 3, query: 'An' });
    assert.deepEqual(at('@Ann Le'), { start: 0, query: 'Ann Le' });
    assert.deepEqual(at('(@Ann'), { start: 1, query: 'Ann' });
    assert.deepEqual(at('\uff20Ann'), { start: 0, query: 'Ann' });
  });

  test('the caret decides, not the end of the text', () => {
    const text = 'hi @Ann and more';
    assert.deepEqual(mentionQueryAt(text, 7), { start: 3, query: 'Ann' });
    assert.equal(mentionQueryAt(text, 2), null);
  });

  test('not in an address, not across a line, not after two blanks, not for a name starting with a mark', () => {
    assert.equal(at('mail ann@exa'), null);
    assert.equal(at('@Ann\nLee'), null);
    assert.equal(at('@Ann  and'), null);
    assert.equal(at('@-x'), null);
    assert.equal(at('@@Ann'), null);
    assert.equal(at('no sign here'), null);
  });

  test('not past a display name’s length', () => {
    assert.equal(at(`@${'a'.repeat(60)}`), null);
    assert.deepEqual(at(`@${'a'.repeat(50)}`), { start: 0, query: 'a'.repeat(50) });
  });
});

describe('insertMention', () => {
  test('replaces the @query with @Name and a space, caret after it', () => {
    const text = 'thanks @An, see';
    const query = mentionQueryAt(text, 10)!;
    assert.deepEqual(insertMention(text, query, 'Ann Lee'), { text: 'thanks @Ann Lee , see', caret: 16 });
    assert.deepEqual(insertMention('@an', at('@an')!, 'Ann'), { text: '@Ann ', caret: 5 });
    assert.deepEqual(insertMention('@an more', mentionQueryAt('@an more', 3)!, 'Ann'), { text: '@Ann more', caret: 5 });
  });
});
