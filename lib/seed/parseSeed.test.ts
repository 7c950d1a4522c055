import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { formatSeedError, parseSeed, type ParsedSeed, type ParsedSeedComment, type SeedError } from './parseSeed';

const SEED_FILE = 'seeds/000_fd8725ff80c0125b.txt';

function parseOk(text: string): ParsedSeed {
  const result = parseSeed(text, { file: 'test.txt' });
  if (!result.ok) assert.fail(`expected a valid seed, got:\n${result.errors.map(formatSeedError).join('\n')}`);
  return result.seed;
}

function parseErrors(text: string): SeedError[] {
  const result = parseSeed(text, { file: 'test.txt' });
  if (result.ok) assert.fail('expected errors, but the seed parsed');
  assert.equal('seed' in result, false, 'a failed parse must not return a partial seed');
  return result.errors;
}

function errorLines(text: string): number[] {
  return parseErrors(text).map((e) => e.line);
}

/** Compact view of the thread: [depth, parentKey, body or '-' for a placeholder]. */
function shape(seed: ParsedSeed): [number, number | null, string][] {
  return seed.comments.map((c) => [c.depth, c.parentKey, c.status === 'visible' ? c.body : '-']);
}

/** Properties every parse result must have, whatever the input. */
function assertWellFormed(seed: ParsedSeed): void {
  seed.comments.forEach((c, index) => {
    assert.equal(c.key, index);
    assert.equal(c.status === 'unavailable', c.body === '', `comment ${index}: only placeholders have empty bodies`);
    if (c.depth === 1) {
      assert.equal(c.parentKey, null);
      return;
    }
    assert.notEqual(c.parentKey, null, `comment ${index} at depth ${c.depth} needs a parent`);
    const parent = seed.comments[c.parentKey ?? -1];
    assert.ok(parent && parent.key < c.key, `comment ${index}: parent must come first`);
    assert.equal(parent.depth, c.depth - 1, `comment ${index}: parent must be one level up`);
  });
}

describe('the real seed file', () => {
  const text = fs.readFileSync(path.join(__dirname, '../../', SEED_FILE), 'utf8');
  const seed = parseOk(text);
  assertWellFormed(seed);

  const visible = seed.comments.filter((c) => c.status === 'visible');
  const placeholders = seed.comments.filter((c) => c.status === 'unavailable');

  function find(prefix: string): ParsedSeedComment {
    const matches = visible.filter((c) => c.body.startsWith(prefix));
    assert.equal(matches.length, 1, `exactly one comment should start with ${JSON.stringify(prefix)}`);
    const [match] = matches;
    assert.ok(match);
    return match;
  }

  function parentOf(c: ParsedSeedComment): ParsedSeedComment {
    const parent = seed.comments[c.parentKey ?? -1];
    assert.ok(parent, `comment ${c.key} has no parent`);
    return parent;
  }

  function childrenOf(c: ParsedSeedComment | null): ParsedSeedComment[] {
    return seed.comments.filter((x) => x.parentKey === (c === null ? null : c.key));
  }

  /** Children by body prefix, '-' standing for a placeholder. */
  function childPrefixes(c: ParsedSeedComment | null, length = 12): string[] {
    return childrenOf(c).map((x) => (x.status === 'visible' ? x.body.slice(0, length) : '-'));
  }

  test('title, article and lock', () => {
    assert.equal(seed.title, 'Jeff Sessions Fires Back at Trump’s Attack as POTUS Endorses His Opponent');
    // The file has 11 article paragraphs (lines 3, 5, …, 23), one per non-blank line.
    assert.equal(seed.articleParagraphs.length, 11);
    assert.equal(
      seed.articleParagraphs[0],
      'Former Attorney General Jeff Sessions\u00a0is firing back as he is defining himself after President Donald ' +
        'Trump tweeted to encourage Alabama voters to reject Sessions’ bid for the U.S. Senate.',
    );
    assert.equal(seed.articleParagraphs[4], 'See his comments below:');
    assert.equal(
      seed.articleParagraphs.at(-1),
      'There will be a runoff contest in July in the Republican primary for the Alabama Senate seat. Then, in ' +
        'November, whoever wins will face Sen. Doug Jones (D-Ala.).',
    );
    assert.equal(seed.locked, true);
  });

  test('counts', () => {
    assert.equal(seed.comments.length, 29);
    assert.equal(visible.length, 24);
    assert.equal(placeholders.length, 5);
    assert.equal(Math.max(...seed.comments.map((c) => c.depth)), 5);
  });

  test('top-level comments in order', () => {
    assert.deepEqual(
      childrenOf(null).map((c) => [c.depth, c.status]),
      Array.from({ length: 7 }, () => [1, 'visible']),
    );
    assert.deepEqual(childPrefixes(null, 20), [
      'Sessions was not a g',
      'Well Trump has the r',
      'Yea, let’s make Amer',
      'So far haven’t seen ',
      'If that is true abou',
      'Sessions let our pre',
      'The pathetic little ',
    ]);
  });

  test('the replies to "Yea, let’s make America sane"', () => {
    const yea = find('Yea, let’s make America sane');
    assert.deepEqual(childPrefixes(yea), ['This is what', 'I’ll second ', 'LOL…you will', 'Removing win']);
    for (const child of childrenOf(yea)) assert.equal(child.depth, 2);
  });

  test('"This is what fascists want" reaches depth 5 through two placeholders', () => {
    const fascists = find('This is what fascists want');
    assert.match(fascists.body, /^This is what fascists want\. .* Are you\?\n\nThey are NOT the principles .*Dear Leader\.$/);
    assert.equal(fascists.body.split('\n\n').length, 2);

    const democrats = find('Democrats are the ones');
    const national = find('“National Socialists were fascists');
    const level4 = parentOf(democrats);
    const level3 = parentOf(level4);
    assert.deepEqual([level4.status, level4.depth, level3.status, level3.depth], ['unavailable', 4, 'unavailable', 3]);
    assert.equal(parentOf(level3), fascists);
    assert.equal(parentOf(national), level4);
    assert.deepEqual([democrats.depth, national.depth], [5, 5]);
    // Placeholders carry the line of the comment that needed them, and sit right before it.
    assert.deepEqual([level3.line, level4.line, democrats.line], [36, 36, 36]);
    assert.deepEqual([level3.key, level4.key], [democrats.key - 2, democrats.key - 1]);

    const paragraphs = national.body.split('\n\n');
    assert.equal(paragraphs.length, 8);
    assert.equal(paragraphs[1], 'I am confused.');
    assert.equal(paragraphs[7]?.startsWith('If you can’t bring yourself'), true);
  });

  test('a comment with a paragraph, a second line and a numbered list', () => {
    const lol = find('LOL…you will');
    const blocks = lol.body.split('\n\n');
    assert.equal(blocks.length, 3);
    assert.equal(blocks[1], 'If you believe any of the following, you more than likely would be deemed insane in a psych eval:');
    const items = (blocks[2] ?? '').split('\n');
    assert.equal(items.length, 10);
    assert.equal(items[0], '1. The approaching 100,000 COVID deaths is “an excellent response” to a pandemic.');
    assert.equal(items[1], '2. Mail in ballots are subject to massive fraud.');
    assert.match(items[9] ?? '', /^10\. A poster accusing anyone/);
    assert.deepEqual(
      items.map((item) => item.split('.')[0]),
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    );
  });

  test('single replies', () => {
    assert.equal(parentOf(find('He recused himself')), find('So far haven’t seen'));
    assert.equal(parentOf(find('NOW????')), find('If that is true'));
    assert.equal(find('He recused himself').depth, 2);
    assert.equal(find('NOW????').depth, 2);
  });

  test('the thread under "The pathetic little piss pot"', () => {
    const pathetic = find('The pathetic little piss pot');
    const wellKnown = find('That was well known');
    assert.deepEqual(childPrefixes(pathetic), ['That was wel', '-']);
    const [, missingSibling] = childrenOf(pathetic);
    assert.ok(missingSibling);
    assert.equal(missingSibling.depth, 2);

    assert.deepEqual(childPrefixes(wellKnown), ['The big ques', 'America is s']);
    const bigQuestion = find('The big question, Phyllis');
    assert.equal(bigQuestion.depth, 3);
    assert.equal(
      bigQuestion.body.split('\n\n')[1],
      'That being said, we are certainly not above voting against our best interests.',
    );

    // Two lists numbered from 1 at depth 5 need two different missing depth-4 parents;
    // "The Alabama portion" still answers "The big question": placeholders are not visible replies.
    assert.deepEqual(childPrefixes(bigQuestion), ['-', '-', 'The Alabama ']);
    const [first, second] = childrenOf(bigQuestion);
    assert.deepEqual(childPrefixes(first ?? null), ['The only per']);
    assert.deepEqual(childPrefixes(second ?? null), ['Prove it. At']);
    assert.equal(find('Prove it.').body, 'Prove it. At the moment, Confused Bob The Projectionist, all you have are the bravado of little puppies, declining support for your Dear Leader, and a shrinking base (Cult-45).\n\nThat doesn’t look to good.');
    assert.deepEqual([find('The only person I know').depth, find('Prove it.').depth, find('The Alabama portion').depth], [5, 5, 4]);

    const sane = find('America is sane again, dear.');
    assert.equal(
      sane.body,
      [
        'America is sane again, dear.',
        'Except for the dem/leftist/prog/socialist.',
        'You know all of you that are still butt hurt because the corrupt, career criminal politician lost the 2016 election. Or maybe it’s because the democrat/socialist Sanders lost.',
        'And none of you have bothered to figure out why you lost. And you don’t seem to care.',
        'So thanks for your continue support in re-electing President Trump. Because you all just keep on keeping on with the same old same old.',
        'Thanks again, Phyllis.',
      ].join('\n\n'),
    );
    const whichOne = find('So which one of these');
    assert.equal(parentOf(whichOne), sane);
    assert.equal(whichOne.depth, 4);
    const [intro, list] = whichOne.body.split('\n\n');
    assert.equal(intro, 'So which one of these currently held Trump beliefs will be judged as “sane” by your grandchildren’s generation?');
    assert.equal(list?.split('\n').length, 10);
    assert.equal(list?.split('\n')[9], '10. Obama golfing is/was bad. Trump golfing great.');

    assert.deepEqual(childPrefixes(missingSibling), ['WHY would yo', 'Yyyyyyyyyyyy']);
    const yawn = find('Yyyyyy');
    assert.equal(yawn.depth, 3);
    assert.match(yawn.body, /^Yy+a+w+n+\.\n\nI need to clip my nails\.$/);
    assert.equal(missingSibling.line, find('WHY would you allow him').line);
  });

  test('the whole thread in document order', () => {
    assert.deepEqual(
      seed.comments.map((c) => [c.depth, c.status === 'visible' ? c.body.slice(0, 10) : '-']),
      [
        [1, 'Sessions w'],
        [1, 'Well Trump'],
        [1, 'Yea, let’s'],
        [2, 'This is wh'],
        [3, '-'],
        [4, '-'],
        [5, 'Democrats '],
        [5, '“National '],
        [2, 'I’ll secon'],
        [2, 'LOL…you wi'],
        [2, 'Removing w'],
        [1, 'So far hav'],
        [2, 'He recused'],
        [1, 'If that is'],
        [2, 'NOW???? HO'],
        [1, 'Sessions l'],
        [1, 'The pathet'],
        [2, 'That was w'],
        [3, 'The big qu'],
        [4, '-'],
        [5, 'The only p'],
        [4, '-'],
        [5, 'Prove it. '],
        [4, 'The Alabam'],
        [3, 'America is'],
        [4, 'So which o'],
        [2, '-'],
        [3, 'WHY would '],
        [3, 'Yyyyyyyyyy'],
      ],
    );
  });
});

describe('article', () => {
  test('lines of a paragraph are joined with one space', () => {
    const seed = parseOk('  Title  \n\nOne\ntwo\n  three\n\n\nFour\n');
    assert.equal(seed.title, 'Title');
    assert.deepEqual(seed.articleParagraphs, ['One two three', 'Four']);
    assert.deepEqual(seed.comments, []);
    assert.equal(seed.locked, false);
  });

  test('the article may start right after the title', () => {
    assert.deepEqual(parseOk('Title\nBody\n').articleParagraphs, ['Body']);
  });

  test('numbered lines that are not indented, or not after a blank line, are article text', () => {
    const seed = parseOk('T\n\n1. First point\n\nIntro\n  2. still prose\n');
    assert.deepEqual(seed.articleParagraphs, ['1. First point', 'Intro 2. still prose']);
    assert.deepEqual(seed.comments, []);
  });

  test('a title alone is a valid seed', () => {
    assert.deepEqual(parseOk('Just a title'), { title: 'Just a title', articleParagraphs: [], comments: [], locked: false });
  });

  test('no comments but closed', () => {
    const seed = parseOk('T\n\nBody.\n\nComments are closed.\n\n');
    assert.deepEqual(seed.articleParagraphs, ['Body.']);
    assert.deepEqual(seed.comments, []);
    assert.equal(seed.locked, true);
  });
});

describe('line endings and whitespace', () => {
  const lf = 'T\n\nBody\n\n  1. a\n\n    1. b\n\nComments are closed.\n';

  test('\\r\\n is the same as \\n', () => {
    assert.deepEqual(parseOk(lf.replace(/\n/g, '\r\n')), parseOk(lf));
  });

  test('a leading BOM is stripped', () => {
    const seed = parseOk(`\uFEFF${lf}`);
    assert.equal(seed.title, 'T');
    assert.deepEqual(seed, parseOk(lf));
  });

  test('trailing whitespace is ignored on every line', () => {
    const padded = lf.replace(/\n/g, ' \t \n');
    assert.deepEqual(parseOk(padded), parseOk(lf));
  });

  test('comment lines are 1-based line numbers', () => {
    assert.deepEqual(
      parseOk(lf).comments.map((c) => c.line),
      [5, 7],
    );
  });
});

describe('comment bodies', () => {
  test('every further line is its own paragraph, blank lines between them or not', () => {
    const seed = parseOk('T\n\n  1. first\n    second\n\n    third\n   fourth\n');
    assert.deepEqual(shape(seed), [[1, null, 'first\n\nsecond\n\nthird\n\nfourth']]);
  });

  test('numbered lines right after the text are a list in the body', () => {
    const seed = parseOk('T\n\n  1. first\n    second\n    1. a\n    2. b\n');
    assert.deepEqual(shape(seed), [[1, null, 'first\n\nsecond\n\n1. a\n2. b']]);
  });

  test('a list keeps its own numbers and may be followed by more paragraphs and lists', () => {
    const seed = parseOk('T\n\n  1. intro\n     3. c\n     7. g\n     after\n       1. x\n');
    assert.deepEqual(shape(seed), [[1, null, 'intro\n\n3. c\n7. g\n\nafter\n\n1. x']]);
  });

  test('markdown characters are kept as written', () => {
    const text = '*bold* _em_ [link](http://x) <b>&amp; \\ `code` # not a heading';
    assert.deepEqual(shape(parseOk(`T\n\n  1. ${text}\n    > ${text}\n`)), [[1, null, `${text}\n\n> ${text}`]]);
  });

  test('the same numbered line after a blank line is a reply, not a list item', () => {
    const seed = parseOk('T\n\n  1. first\n\n    1. a\n');
    assert.deepEqual(shape(seed), [
      [1, null, 'first'],
      [2, 0, 'a'],
    ]);
  });
});

describe('threading', () => {
  test('top-level comments never have a parent, whatever their number', () => {
    const seed = parseOk('T\n\n  1. a\n\n  1. b\n\n  5. c\n');
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [1, null, 'b'],
      [1, null, 'c'],
    ]);
  });

  test('skipped levels become placeholders, inserted right before the reply', () => {
    const seed = parseOk('T\n\n  1. a\n\n        1. b\n\n        2. c\n');
    assertWellFormed(seed);
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [2, 0, '-'],
      [3, 1, '-'],
      [4, 2, 'b'],
      [4, 2, 'c'],
    ]);
    assert.deepEqual(
      seed.comments.map((c) => c.line),
      [3, 5, 5, 5, 7],
    );
  });

  test('a first comment below the top level gets placeholder ancestors', () => {
    const seed = parseOk('T\n\n    1. a\n');
    assert.deepEqual(shape(seed), [
      [1, null, '-'],
      [2, 0, 'a'],
    ]);
  });

  test('a reply numbered 1 answers the latest comment one level up when it has no replies yet', () => {
    const seed = parseOk('T\n\n  1. a\n\n    1. b\n\n      1. c\n');
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [2, 0, 'b'],
      [3, 1, 'c'],
    ]);
  });

  test('a reply numbered 1 under a comment that already has visible replies answers a missing sibling', () => {
    const seed = parseOk('T\n\n  1. a\n\n    1. b\n\n      1. c\n\n      1. d\n\n      2. e\n');
    assertWellFormed(seed);
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [2, 0, 'b'],
      [3, 1, 'c'],
      [2, 0, '-'],
      [3, 3, 'd'],
      [3, 3, 'e'],
    ]);
    assert.equal(seed.comments[3]?.line, 9);
  });

  test('the missing sibling of a top-level comment is a top-level placeholder', () => {
    const seed = parseOk('T\n\n  1. a\n\n    1. b\n\n    1. c\n');
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [2, 0, 'b'],
      [1, null, '-'],
      [2, 2, 'c'],
    ]);
  });

  test('placeholder children are not visible replies', () => {
    const seed = parseOk('T\n\n  1. a\n\n      1. b\n\n    1. c\n');
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [2, 0, '-'],
      [3, 1, 'b'],
      [2, 0, 'c'],
    ]);
  });

  test('a reply numbered 2 or more continues the list of the reply before it at its level', () => {
    const seed = parseOk('T\n\n  1. a\n\n    1. b\n\n      1. c\n\n    2. d\n\n      1. e\n\n      2. f\n');
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [2, 0, 'b'],
      [3, 1, 'c'],
      [2, 0, 'd'],
      [3, 3, 'e'],
      [3, 3, 'f'],
    ]);
  });

  test('a reply numbered 2 or more with no earlier reply in scope answers the latest comment one level up', () => {
    const seed = parseOk('T\n\n  1. a\n\n    2. b\n\n  2. c\n\n        3. d\n');
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [2, 0, 'b'],
      [1, null, 'c'],
      [2, 2, '-'],
      [3, 3, '-'],
      [4, 4, 'd'],
    ]);
  });

  test('a comment at a level ends the scope of deeper comments before it', () => {
    // "d" must not continue "b"'s list: "c" replaced the latest depth-2 comment's branch.
    const seed = parseOk('T\n\n  1. a\n\n      1. b\n\n  2. c\n\n      2. d\n');
    assert.deepEqual(shape(seed), [
      [1, null, 'a'],
      [2, 0, '-'],
      [3, 1, 'b'],
      [1, null, 'c'],
      [2, 3, '-'],
      [3, 4, 'd'],
    ]);
  });

  test('the closing line locks the thread; trailing blank lines are fine', () => {
    const seed = parseOk('T\n\n  1. a\n    more\nComments are closed.\n\n\n');
    assert.equal(seed.locked, true);
    assert.deepEqual(shape(seed), [[1, null, 'a\n\nmore']]);
    assert.equal(parseOk('T\n\n  1. a\n').locked, false);
  });
});

describe('malformed input', () => {
  test('formatSeedError', () => {
    assert.equal(formatSeedError({ file: 'seeds/x.txt', line: 12, message: 'boom' }), 'seeds/x.txt:12: boom');
  });

  test('empty title', () => {
    for (const text of ['', '\n\nBody', '   \t\n\n  1. a', '\uFEFF\r\nBody']) {
      const errors = parseErrors(text);
      assert.deepEqual(
        errors.map((e) => e.line),
        [1],
        JSON.stringify(text),
      );
      assert.match(errors[0]?.message ?? '', /title/);
      assert.equal(errors[0]?.file, 'test.txt');
    }
  });

  test('odd indentation of a comment', () => {
    assert.deepEqual(errorLines('T\n\n  1. a\n\n   1. b\n'), [5]);
    assert.deepEqual(errorLines('T\n\n 1. a\n'), [3]);
    assert.match(parseErrors('T\n\n  1. a\n\n     1. b\n')[0]?.message ?? '', /odd indentation \(5 spaces\)/);
  });

  test('tab in the indentation', () => {
    assert.deepEqual(errorLines('T\n\n\t1. a\n'), [3]);
    assert.deepEqual(errorLines('T\n\n  1. a\n\n  \t1. b\n'), [5]);
    assert.deepEqual(errorLines('T\n\n  1. a\n  \tmore\n'), [4]);
    assert.match(parseErrors('T\n\n\t1. a\n')[0]?.message ?? '', /tab/);
  });

  test('a comment must be indented', () => {
    assert.deepEqual(errorLines('T\n\n  1. a\n\n2. b\n'), [5]);
  });

  test('anything but blank lines after "Comments are closed."', () => {
    assert.deepEqual(errorLines('T\n\n  1. a\n\nComments are closed.\n\nmore\n'), [7]);
    assert.deepEqual(errorLines('T\n\nComments are closed.\n\n  1. a\n    b\n'), [5, 6]);
    assert.match(
      parseErrors('T\n\n  1. a\n\nComments are closed.\n\nmore\n')[0]?.message ?? '',
      /Comments are closed\..*line 5/,
    );
  });

  test('a numbered line at a shallow indent without a blank line before it', () => {
    assert.deepEqual(errorLines('T\n\n    1. a\n  2. b\n'), [4]);
    assert.deepEqual(errorLines('T\n\n    1. a\n    2. b\n'), [4]);
    assert.deepEqual(errorLines('T\n\n  1. a\n    more\n  2. b\n'), [5]);
    assert.match(parseErrors('T\n\n    1. a\n  2. b\n')[0]?.message ?? '', /a new comment must follow a blank line/);
  });

  test('a continuation line that is not indented more than its comment', () => {
    assert.deepEqual(errorLines('T\n\n    1. a\n    more\n'), [4]);
    assert.deepEqual(errorLines('T\n\n    1. a\n\n  more\n'), [5]);
    assert.match(parseErrors('T\n\n    1. a\n  more\n')[0]?.message ?? '', /indented more than its number/);
  });

  test('unindented text in the comment section', () => {
    const errors = parseErrors('T\n\n  1. a\n\nComments are closed\n');
    assert.deepEqual(errors.map((e) => e.line), [5]);
    assert.match(errors[0]?.message ?? '', /Comments are closed\./);
  });

  test('an empty numbered item', () => {
    assert.deepEqual(errorLines('T\n\n  1. a\n    1. x\n    2. y\n    3.\n'), [6]);
    assert.deepEqual(errorLines('T\n\n  1. a\n\n  3.   \n'), [5]);
    assert.match(parseErrors('T\n\n  1. a\n    3.\n')[0]?.message ?? '', /"3\." has no text/);
  });

  test('all errors are collected, in line order, with the file name', () => {
    const text = ['', '', '   1. odd', '    more is fine under the bad line', '', '  1. ok', '  nope', '', 'Comments are closed.', 'x'].join('\n');
    const errors = parseErrors(text);
    assert.deepEqual(
      errors.map((e) => e.line),
      [1, 3, 7, 10],
    );
    assert.deepEqual(
      errors.map(formatSeedError).map((s) => s.split(':').slice(0, 2).join(':')),
      ['test.txt:1', 'test.txt:3', 'test.txt:7', 'test.txt:10'],
    );
  });
});
