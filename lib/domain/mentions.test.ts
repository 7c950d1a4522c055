import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BODY_MAX } from '../contract/limits';
import { displayNameKey } from './identity';
import { linksIn, renderCommentHtml } from './markdown';
import { findMentionSigns, MAX_MENTION_KEYS, mentionsFromJson, mentionsToJson, resolveMentions, type MentionableAccount } from './mentions';
import { candidateKey, mentionKeys } from './mentionText';
import { MAX_MENTIONS_PER_COMMENT } from './notifications';

/** A directory of accounts by display name, as Store.accounts.findMentionable answers, counting its lookups. */
function directory(names: Record<string, string>) {
  const byKey = new Map(Object.entries(names).map(([name, id]) => [displayNameKey(name), id]));
  const asked: (readonly string[])[] = [];
  const find = async (keys: readonly string[]): Promise<MentionableAccount[]> => {
    asked.push(keys);
    return keys.flatMap((key) => (byKey.has(key) ? [{ id: byKey.get(key)!, key }] : []));
  };
  return { find, asked };
}

const firstNames = (body: string) => findMentionSigns(body).map((s) => s.names[s.names.length - 1]);

describe('findMentionSigns: where a mention may start', () => {
  test('a name after @, with every way it may end, longest first', () => {
    const [sign, ...rest] = findMentionSigns('thanks @Ann Lee, see you');
    assert.equal(rest.length, 0);
    assert.deepEqual(sign!.names, ['Ann Lee, see you', 'Ann Lee, see', 'Ann Lee,', 'Ann Lee', 'Ann']);
  });

  test('names with punctuation and digits: Dr. Who, O\'Brien, R2', () => {
    assert.deepEqual(findMentionSigns('@Dr. Who!')[0]!.names, ['Dr. Who!', 'Dr. Who', 'Dr.', 'Dr']);
    assert.ok(findMentionSigns("hi @O'Brien.")[0]!.names.includes("O'Brien"));
    assert.deepEqual(firstNames('@R2 and @2cool'), ['R2', '2cool']);
  });

  test('a name stops at the end of the line and within the longest display name', () => {
    const [sign] = findMentionSigns('@Ann\nLee');
    assert.deepEqual(sign!.names, ['Ann']);
    const long = findMentionSigns(`@${'a '.repeat(100)}`)[0]!;
    for (const name of long.names) assert.ok([...name].length <= 50, name);
  });

  test('not inside code spans, fenced code, links, e-mail addresses or URLs', () => {
    const body = [
      'code `@Ann` and ```\n@Bea\n``` here',
      'mail ann@example.com or mailto:cid@example.org',
      'see https://example.com/@Dan and [@Eve](https://example.com) and <https://x.org/@Fay>',
      'and foo@Gil bar_@Hal x.@Ida',
      'but @Joe yes',
    ].join('\n\n');
    assert.deepEqual(firstNames(body), ['Joe']);
  });

  test('what starts no name: @@@@, a lone @, @ followed by a space or a mark', () => {
    assert.deepEqual(findMentionSigns('@@@@ @ @- @. @!'), []);
    assert.deepEqual(findMentionSigns('no sign at all'), []);
  });

  test('a name does not run into the next mention', () => {
    const [ann, bea] = findMentionSigns('@Ann Lee, @Bea Ohm and');
    assert.deepEqual(ann!.names, ['Ann Lee,', 'Ann Lee', 'Ann']);
    assert.deepEqual(bea!.names, ['Bea Ohm and', 'Bea Ohm', 'Bea']);
  });

  test('the quick key of a candidate is the display-name key', () => {
    for (const name of ['Ann Lee', 'ANN  lee ', 'Dr. Who!', '\uff21lice', '\u0410lice', 'Ǆemal', 'ﬁne', 'İstanbul', 'straße', 'Ann\u00a0Lee', '①②']) {
      assert.equal(candidateKey(name), displayNameKey(name), name);
    }
  });

  test('(@Ann) and "@Ann" and a sign after a line break count', () => {
    assert.deepEqual(firstNames('(@Ann) "@Bea" \n@Cid'), ['Ann', 'Bea', 'Cid']);
  });

  test('hostile input is bounded: 5,000 @ signs, 500 names, a long run of marks', () => {
    const at = '@'.repeat(BODY_MAX);
    const started = performance.now();
    assert.deepEqual(findMentionSigns(at), []);
    const many = Array.from({ length: 500 }, (_, i) => `@Person${i}`).join(' ');
    const signs = findMentionSigns(many);
    assert.ok(signs.length <= 200, `${signs.length} signs`);
    const keys = mentionKeys(signs);
    assert.ok(keys.length <= MAX_MENTION_KEYS, `${keys.length} keys`);
    // Every character a possible end: a sign still has at most a bounded number of names.
    for (const sign of findMentionSigns(`@a${'.a'.repeat(2400)}`)) assert.ok(sign.names.length <= 16);
    const spaced = Array.from({ length: 2400 }, () => '@a').join(' ');
    assert.ok(mentionKeys(findMentionSigns(spaced)).length <= MAX_MENTION_KEYS);
    assert.ok(performance.now() - started < 1000, 'found in well under a second');
  });
});

describe('resolveMentions: which people a comment names', () => {
  test('the longest name that is an account wins', async () => {
    const people = directory({ Ann: 'u-ann', 'Ann Lee': 'u-annlee' });
    assert.deepEqual(await resolveMentions('hi @Ann Lee!', people.find), [{ id: 'u-annlee', name: 'Ann Lee' }]);
    assert.deepEqual(await resolveMentions('hi @Ann Leeds', people.find), [{ id: 'u-ann', name: 'Ann' }]);
  });

  test('one query per comment, none without an @', async () => {
    const people = directory({ Ann: 'u1', Bea: 'u2' });
    await resolveMentions('@Ann and @Bea and @Cid', people.find);
    assert.equal(people.asked.length, 1);
    await resolveMentions('no mention here, just text', people.find);
    await resolveMentions('only `@Ann` in code', people.find);
    assert.equal(people.asked.length, 1);
  });

  test('distinct people, in the order first named; case and spacing do not make another person', async () => {
    const people = directory({ 'Ann Lee': 'u1', Bea: 'u2' });
    assert.deepEqual(await resolveMentions('@bea @ANN  LEE @Bea @ann lee', people.find), [
      { id: 'u2', name: 'bea' },
      { id: 'u1', name: 'ANN LEE' },
    ]);
  });

  test('a name that is nobody names nobody', async () => {
    const people = directory({ Ann: 'u1' });
    assert.deepEqual(await resolveMentions('@Nobody @Annabel', people.find), []);
  });

  test(`500 names notify at most ${MAX_MENTIONS_PER_COMMENT} people`, async () => {
    const names = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`Person${i}`, `u${i}`]));
    const people = directory(names);
    const mentions = await resolveMentions(Array.from({ length: 500 }, (_, i) => `@Person${i}`).join(' '), people.find);
    assert.equal(mentions.length, MAX_MENTIONS_PER_COMMENT);
    assert.deepEqual(
      mentions.map((m) => m.id),
      Array.from({ length: MAX_MENTIONS_PER_COMMENT }, (_, i) => `u${i}`),
    );
  });

  test('look-alikes: the display-name key decides (fullwidth folds, Cyrillic does not)', async () => {
    const people = directory({ Alice: 'u-alice' });
    // Fullwidth Ａ (U+FF21) folds to A under NFKC: the same name, the same person.
    assert.deepEqual(await resolveMentions('@\uff21lice', people.find), [{ id: 'u-alice', name: '\uff21lice' }]);
    // A fullwidth at sign too.
    assert.deepEqual(await resolveMentions('\uff20Alice', people.find), [{ id: 'u-alice', name: 'Alice' }]);
    // Cyrillic А (U+0410) is another letter: another name, nobody here.
    assert.deepEqual(await resolveMentions('@\u0410lice', people.find), []);
    // …unless someone holds that name: then it is them, not Alice.
    const both = directory({ Alice: 'u-alice', '\u0410lice': 'u-cyrillic' });
    assert.deepEqual(await resolveMentions('@\u0410lice @Alice', both.find), [
      { id: 'u-cyrillic', name: '\u0410lice' },
      { id: 'u-alice', name: 'Alice' },
    ]);
  });

  test('unsorted and repeated answers from the lookup change nothing', async () => {
    const find = async (keys: readonly string[]) => [...keys].reverse().flatMap((key) => (key === 'bea' || key === 'ann' ? [{ id: key, key }, { id: key, key }] : []));
    assert.deepEqual(await resolveMentions('@Ann, @Bea.', find), [
      { id: 'ann', name: 'Ann' },
      { id: 'bea', name: 'Bea' },
    ]);
  });
});

describe('rendering mentions', () => {
  test('a resolved name becomes a link to the person, the rest stays text', () => {
    const html = renderCommentHtml('thanks @Ann Lee, and @Bob', [{ id: 'u1', name: 'Ann Lee' }]);
    assert.equal(html, '<p>thanks <a href="/people/u1" class="mention" rel="ugc nofollow noopener">@Ann Lee</a>, and @Bob</p>\n');
  });

  test('every spelling of the name is linked; code and links are not', () => {
    const html = renderCommentHtml('@ann `@Ann` [@Ann](https://x.org) @ANN', [{ id: 'u1', name: 'Ann' }]);
    assert.equal((html.match(/class="mention"/g) ?? []).length, 2);
    assert.match(html, /<code>@Ann<\/code>/);
  });

  test('without mentions the HTML is as before', () => {
    assert.equal(renderCommentHtml('hi @Ann', []), renderCommentHtml('hi @Ann'));
    assert.equal(renderCommentHtml('hi @Ann'), '<p>hi @Ann</p>\n');
  });

  test('markup in a name is escaped, never passed through', () => {
    const name = '<img src=x onerror=alert(1)>';
    const html = renderCommentHtml(`@${name}`, [{ id: 'u1', name }]);
    assert.doesNotMatch(html, /<img/);
  });

  test('an id or a name that looks like markup cannot leave the attribute or the text', () => {
    const id = '"><script>alert(1)</script>';
    const html = renderCommentHtml('@Ann "x" <b>', [{ id, name: 'Ann "x" <b>' }]);
    assert.doesNotMatch(html, /<script|<b>/);
    assert.match(html, /href="\/people\/%22%3E%3Cscript%3Ealert\(1\)%3C%2Fscript%3E"/);
    assert.match(html, />@Ann &quot;x&quot; &lt;b&gt;<\/a>/);
  });

  test('mention links are not links for the spam check: a first comment naming people is not held for them', () => {
    assert.deepEqual(linksIn('@Ann and @Bea'), []);
  });

  test('one person named thousands of times: the links stay within the cap', () => {
    const html = renderCommentHtml('@Ann '.repeat(1000), [{ id: 'u1', name: 'Ann' }]);
    assert.ok((html.match(/class="mention"/g) ?? []).length <= 100);
  });
});

describe('stored form', () => {
  test('round trip, and none is NULL', () => {
    const mentions = [{ id: 'u1', name: 'Ann "the" Lee' }];
    assert.deepEqual(mentionsFromJson(mentionsToJson(mentions)), mentions);
    assert.equal(mentionsToJson([]), null);
    assert.equal(mentionsToJson(undefined), null);
    assert.equal(mentionsFromJson(null), undefined);
  });

  test('anything but a list of {id, name} is refused', () => {
    for (const bad of ['{', '{}', '[1]', '[{"id":""," name":"x"}]', '[{"id":"u1"}]']) assert.throws(() => mentionsFromJson(bad), bad);
  });
});
