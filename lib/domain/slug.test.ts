import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { slugify, uniqueSlug } from './slug';

// The pattern SlugSchema enforces when a slug comes back in a URL.
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** [what, title → slug pairs]: one test each. */
const SLUGS: readonly (readonly [string, readonly (readonly [string, string])[]])[] = [
  ['turns the seed title into its slug', [['Jeff Sessions Fires Back at Trump’s Attack as POTUS Endorses His Opponent', 'jeff-sessions-fires-back-at-trumps-attack-as-potus-endorses-his-opponent']]],
  ['folds accents instead of dropping the letters', [['Crème Brûlée à la Façon de Zoë', 'creme-brulee-a-la-facon-de-zoe']]],
  ['folds compatibility forms such as ligatures and full-width letters', [['ﬁnancial Ｆｕｌｌ Report', 'financial-full-report']]],
  [
    'apostrophes of every kind vanish without splitting the word',
    [
      ["Don't Stop", 'dont-stop'],
      ['Trump’s O‘Brien `quoted`', 'trumps-obrien-quoted'],
    ],
  ],
  ['runs of punctuation and spaces become a single dash, never a leading or trailing one', [['  --Hello,   World!!--  ', 'hello-world']]],
];

describe('slugify', () => {
  for (const [what, pairs] of SLUGS) {
    test(what, () => {
      for (const [title, slug] of pairs) assert.equal(slugify(title), slug);
    });
  }

  test('a title with no usable characters falls back to "article"', () => {
    for (const title of ['', '   ', '!!! ??? …', '日本語', '’’']) {
      assert.equal(slugify(title), 'article', JSON.stringify(title));
    }
  });

  test('a long title is cut at a word boundary, within 80 characters', () => {
    const slug = slugify('Senate Committee Approves Sweeping Overhaul of Federal Infrastructure Spending Rules Despite Objections');
    // With "-rules" the slug would be 84 characters.
    assert.equal(slug, 'senate-committee-approves-sweeping-overhaul-of-federal-infrastructure-spending');
    assert.ok(slug.length <= 80);
  });

  test('a slug of exactly 80 characters is kept whole', () => {
    const title = `${'a'.repeat(39)} ${'b'.repeat(40)} more`;
    assert.equal(slugify(title), `${'a'.repeat(39)}-${'b'.repeat(40)}`);
  });

  test('a single word longer than 80 characters is truncated rather than lost', () => {
    assert.equal(slugify(`${'x'.repeat(100)} tail`), 'x'.repeat(80));
  });

  test('always gives a well-formed slug of at most 80 characters', () => {
    const titles = [
      'Jeff Sessions Fires Back at Trump’s Attack as POTUS Endorses His Opponent',
      'İstanbul straße Œuvre Ørsted Łódź',
      '--a--b--',
      'Ünïcödé — “quotes” & ‘ticks’ 100% ½ ①',
      'x'.repeat(200),
      'word '.repeat(40),
      '\u0301\u0308 combining marks alone',
      'tab\tnew\nline',
    ];
    for (const title of titles) {
      const slug = slugify(title);
      assert.match(slug, SLUG, JSON.stringify(title));
      assert.ok(slug.length <= 80, `${JSON.stringify(title)} gave ${slug.length} characters`);
    }
  });
});

describe('uniqueSlug', () => {
  test('returns the base itself when it is free', () => {
    assert.equal(uniqueSlug('news', () => false), 'news');
  });

  test('appends -2, -3… in order until one is free', () => {
    const taken = new Set(['news', 'news-2', 'news-3']);
    const asked: string[] = [];
    const slug = uniqueSlug('news', (s) => {
      asked.push(s);
      return taken.has(s);
    });
    assert.equal(slug, 'news-4');
    assert.deepEqual(asked, ['news', 'news-2', 'news-3', 'news-4']);
  });

  test('a gap in the taken numbers is reused', () => {
    const taken = new Set(['news', 'news-3']);
    assert.equal(uniqueSlug('news', (s) => taken.has(s)), 'news-2');
  });
});

test('letters without a decomposition are transliterated, not dropped', () => {
  assert.equal(slugify('Straße Œuvre Łódź Ærø'), 'strasse-oeuvre-lodz-aero');
});
