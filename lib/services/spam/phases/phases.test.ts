import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SpamFacts } from '../../../store/spamStore';
import { DEFAULT_SPAM_RULES } from '..';
import type { PhaseContext, SpamInput, SpamRules } from '../types';
import { BUILT_IN_PHASES } from '.';
import { linkInFirstComment } from './linkInFirstComment';
import { newGuestBurst } from './newGuestBurst';
import { repeatedText } from './repeatedText';

/** A new guest's first post, nothing repeated, alone on its address: what every signal lets through. */
const NEW_GUEST: SpamFacts = { published: false, threadsWithText: 1, guestIsNew: true, newGuestsFromAddress: 1 };

function context(options: { input?: Partial<SpamInput>; facts?: Partial<SpamFacts>; rules?: Partial<SpamRules> } = {}): PhaseContext {
  const input: SpamInput = {
    kind: 'post',
    sender: { guestId: 'g1', address: '192.0.2.7' },
    client: { ip: '192.0.2.7', userAgent: 'Mozilla/5.0', referrer: '', site: 'https://news.example' },
    thread: { id: 't1', slug: 'an-article' },
    authorName: 'Ann',
    body: 'A thoughtful comment about the article.',
    previousBody: null,
    commentId: null,
    at: '2025-01-01T12:00:00.000Z',
    ...options.input,
  };
  return { input, facts: { ...NEW_GUEST, ...options.facts }, rules: { ...DEFAULT_SPAM_RULES, ...options.rules } };
}

const edit = (previousBody: string, body: string): Partial<SpamInput> => ({ kind: 'edit', previousBody, body, commentId: 'c1' });

describe('spam phase: a link in a first comment', () => {
  const judge = (options: Parameters<typeof context>[0]) => linkInFirstComment.judge(context(options));
  const HELD = { spam: true, reason: 'spam_link_first_comment' };

  test('every kind of link the page would make holds a new guest’s first comment', () => {
    for (const body of [
      'Cheap pills at [this shop](https://spam.example/buy)',
      'Go to https://spam.example/buy now',
      'See www.cheap-pills.net for more',
      'Bare domain: spam.example.com/buy',
      'Or just example.com',
      'Autolink <https://spam.example>',
      'Write to deals@cheap-pills.net',
    ]) {
      assert.deepEqual(judge({ input: { body } }), HELD, body);
    }
  });

  test('a link in the name holds it too; a name or text without one does not', () => {
    assert.deepEqual(judge({ input: { authorName: 'cheap-pills.com' } }), HELD);
    assert.deepEqual(judge({ input: { authorName: 'Ann B.', body: 'No link here, e.g. none at all. Node.js? Mr.Smith said 3.5.' } }), { spam: false });
  });

  test('what the page shows as text is no link: a refused scheme, code', () => {
    assert.deepEqual(judge({ input: { body: '[click](javascript:alert(1))' } }), { spam: false });
  });

  test('a guest readers or a moderator let through once may post links', () => {
    assert.deepEqual(judge({ input: { body: 'Source: https://news.example/report' }, facts: { published: true } }), { spam: false });
  });

  test('an edit that adds a link to a first comment is held; one that keeps the link it had is not', () => {
    assert.deepEqual(judge({ input: edit('A harmless comment.', 'A harmless comment. Buy at https://spam.example') }), HELD);
    assert.deepEqual(judge({ input: edit('Source: https://a.example/x', 'Source: https://a.example/x (typo fixed)') }), { spam: false });
    assert.deepEqual(judge({ input: edit('Source: https://a.example/x', 'Source: https://b.example/y') }), HELD, 'a different link is a new one');
  });

  test('off by SPAM_LINKS_FIRST_COMMENT=off', () => {
    assert.deepEqual(judge({ input: { body: 'https://spam.example' }, rules: { linksInFirstComment: false } }), { spam: false });
  });
});

describe('spam phase: the same text in many threads', () => {
  const judge = (options: Parameters<typeof context>[0]) => repeatedText.judge(context(options));
  const rule = { repeatedText: { count: 2, windowSeconds: 3600 } } as const;

  test('up to `count` threads pass; one more is held, whoever posts it', () => {
    assert.deepEqual(judge({ facts: { threadsWithText: 2 }, rules: rule }), { spam: false });
    assert.deepEqual(judge({ facts: { threadsWithText: 3 }, rules: rule }), { spam: true, reason: 'spam_repeated_text' });
    assert.deepEqual(judge({ facts: { threadsWithText: 3, published: true }, rules: rule }), { spam: true, reason: 'spam_repeated_text' }, 'a known guest pasting a pitch everywhere is held too');
  });

  test('an edit into a text already in many threads is held like a post', () => {
    assert.deepEqual(judge({ input: edit('Short.', 'The same long pitch as everywhere else.'), facts: { threadsWithText: 5 }, rules: rule }), { spam: true, reason: 'spam_repeated_text' });
  });

  test('off by SPAM_REPEATED_TEXT=off', () => {
    assert.deepEqual(judge({ facts: { threadsWithText: 100 }, rules: { repeatedText: 'off' } }), { spam: false });
  });
});

describe('spam phase: a burst of new guests from one address', () => {
  const judge = (options: Parameters<typeof context>[0]) => newGuestBurst.judge(context(options));
  const rule = { newGuests: { count: 3, windowSeconds: 3600 } } as const;

  test('up to `count` new guests from one address pass; the next new ones are held', () => {
    assert.deepEqual(judge({ facts: { newGuestsFromAddress: 3 }, rules: rule }), { spam: false });
    assert.deepEqual(judge({ facts: { newGuestsFromAddress: 4 }, rules: rule }), { spam: true, reason: 'spam_new_guest_burst' });
  });

  test('a guest that is not new, or has been let through, passes during a burst', () => {
    assert.deepEqual(judge({ facts: { newGuestsFromAddress: 50, guestIsNew: false }, rules: rule }), { spam: false });
    assert.deepEqual(judge({ facts: { newGuestsFromAddress: 50, published: true }, rules: rule }), { spam: false });
  });

  test('an edit adds no guest; SPAM_NEW_GUESTS=off turns it off', () => {
    assert.deepEqual(judge({ input: edit('a', 'b'), facts: { newGuestsFromAddress: 50 }, rules: rule }), { spam: false });
    assert.deepEqual(judge({ facts: { newGuestsFromAddress: 50 }, rules: { newGuests: 'off' } }), { spam: false });
  });
});

describe('the built-in phases', () => {
  test('are judged in one list, each named; a first comment with a link in a repeated text is held for the link first', async () => {
    assert.deepEqual(
      BUILT_IN_PHASES.map((p) => p.name),
      ['linkInFirstComment', 'repeatedText', 'newGuestBurst'],
    );
    const ctx = context({ input: { body: 'https://spam.example is great, everyone should go there now' }, facts: { threadsWithText: 9, newGuestsFromAddress: 99 } });
    const verdicts = await Promise.all(BUILT_IN_PHASES.map((p) => p.judge(ctx)));
    assert.deepEqual(verdicts.find((v) => v.spam), { spam: true, reason: 'spam_link_first_comment' });
  });
});
