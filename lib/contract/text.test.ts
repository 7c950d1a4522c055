import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorNameSchema, BODY_MAX, CommentBodySchema, NAME_MAX } from './api';
import { characterCount, MAX_COMBINING_MARKS, TEXT_MESSAGES } from './text';

/** The one message a schema gives for `input`, or 'ok' with the stored value. */
function outcome(schema: typeof CommentBodySchema | typeof AuthorNameSchema, input: unknown): { ok: string } | { refused: string } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: result.data };
  assert.equal(result.error.issues.length, 1, `one message for ${JSON.stringify(input)}: ${JSON.stringify(result.error.issues)}`);
  return { refused: result.error.issues[0]!.message };
}

const body = (input: unknown) => outcome(CommentBodySchema, input);
const name = (input: unknown) => outcome(AuthorNameSchema, input);

describe('characterCount: a character is a code point', () => {
  test('an astral emoji counts once, a ZWJ family as its code points', () => {
    assert.equal(characterCount('a🧵b'), 3);
    assert.equal('a🧵b'.length, 4);
    assert.equal(characterCount('👨‍👩‍👧'), 5);
    assert.equal(characterCount(''), 0);
  });

  test('the body limit is counted in code points', () => {
    assert.deepEqual(body('🧵'.repeat(BODY_MAX)), { ok: '🧵'.repeat(BODY_MAX) });
    assert.deepEqual(body('🧵'.repeat(BODY_MAX + 1)), { refused: TEXT_MESSAGES.tooLong(BODY_MAX) });
    assert.deepEqual(name('🦊'.repeat(NAME_MAX)), { ok: '🦊'.repeat(NAME_MAX) });
    assert.deepEqual(name('🦊'.repeat(NAME_MAX + 1)), { refused: TEXT_MESSAGES.tooLong(NAME_MAX) });
  });

  test(`a ${BODY_MAX + 1}-character body is refused, after trimming`, () => {
    assert.deepEqual(body(`  ${'x'.repeat(BODY_MAX)}\n`), { ok: 'x'.repeat(BODY_MAX) });
    assert.deepEqual(body('x'.repeat(BODY_MAX + 1)), { refused: TEXT_MESSAGES.tooLong(BODY_MAX) });
  });
});

describe('control characters and broken Unicode are refused', () => {
  for (const [label, char] of [
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['backspace', '\b'],
    ['ESC (terminal colours)', '\u001b[0;31m'],
    ['DEL', '\u007f'],
    ['a C1 control (NEL)', '\u0085'],
    ['a C1 control (CSI)', '\u009b'],
  ] as const) {
    test(`${label}, in a body and in a name`, () => {
      assert.deepEqual(body(`a${char}b`), { refused: TEXT_MESSAGES.control });
      assert.deepEqual(name(`a${char}b`), { refused: TEXT_MESSAGES.control });
    });
  }

  test('tabs and line breaks are fine in a body; CRLF and CR become LF', () => {
    assert.deepEqual(body('a\tb\r\nc\rd\ne'), { ok: 'a\tb\nc\nd\ne' });
  });

  test('vertical tab and form feed: refused in a body; in a name they are white space like any other', () => {
    for (const char of ['\u000b', '\f']) {
      assert.deepEqual(body(`a${char}b`), { refused: TEXT_MESSAGES.control });
      assert.deepEqual(name(`a${char}b`), { ok: 'a b' });
    }
  });

  test('in a name, runs of white space become one space', () => {
    assert.deepEqual(name(' Ann \t\n\u2028 Lee '), { ok: 'Ann Lee' });
  });

  test('a lone surrogate (as JSON.parse gives for "\\ud800") is refused; a proper pair is fine', () => {
    const lone = JSON.parse('"a\\ud800b"') as string;
    assert.equal(lone.length, 3);
    assert.deepEqual(body(lone), { refused: TEXT_MESSAGES.loneSurrogate });
    assert.deepEqual(body('x\udfff'), { refused: TEXT_MESSAGES.loneSurrogate });
    assert.deepEqual(name('\ud83e'), { refused: TEXT_MESSAGES.loneSurrogate });
    assert.deepEqual(body('\ud83e\udd8a'), { ok: '🦊' });
  });
});

describe('invisible text', () => {
  const invisible = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e', '\u3164', '\u2800', '\u00ad', '\ufe0f', '\u202e', '\u2066\u2069', '\u200e\u200f'];
  for (const text of invisible) {
    const code = [...text].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
    test(`${code} alone, or between spaces, is refused as a body and a name`, () => {
      // Trimming already removes some (U+FEFF is white space to JavaScript): then the message is "empty".
      assert.ok(([TEXT_MESSAGES.invisible, TEXT_MESSAGES.empty] as string[]).includes((body(` ${text}${text} `) as { refused: string }).refused), `${code} as a body`);
      const asName = name(` ${text} `);
      assert.ok('refused' in asName, `${code} as a name`);
    });
  }

  test('white space only is "empty"', () => {
    assert.deepEqual(body(' \n\t\u00a0\u3000 '), { refused: TEXT_MESSAGES.empty });
    assert.deepEqual(name('   '), { refused: TEXT_MESSAGES.empty });
  });

  test('zero-width characters inside visible text are kept exactly (ZWJ emoji, ZWNJ in Persian)', () => {
    for (const text of ['👨‍👩‍👧‍👦', 'می‌خواهم', 'a\u200bb', 'word\u2060joiner']) {
      assert.deepEqual(body(text), { ok: text });
      assert.deepEqual(name(text), { ok: text });
    }
    // U+FEFF is white space to JavaScript: kept in a body, one space in a name.
    assert.deepEqual(body('BOM\ufeffinside'), { ok: 'BOM\ufeffinside' });
    assert.deepEqual(name('BOM\ufeffinside'), { ok: 'BOM inside' });
  });

  test('a mark, symbol, digit or punctuation is visible text', () => {
    for (const text of ['.', '1', '☃', '🦊', '٣', '—']) assert.deepEqual(name(text), { ok: text });
  });
});

describe('bidi controls', () => {
  const overrides = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

  test('are kept in a body (the page isolates every body)', () => {
    for (const c of overrides) assert.deepEqual(body(`left ${c}reversed`), { ok: `left ${c}reversed` });
  });

  test('are refused in a name, where they could impersonate someone', () => {
    for (const c of overrides) assert.deepEqual(name(`Ann${c}xoF`), { refused: TEXT_MESSAGES.bidi });
  });

  test('right-to-left names and the LRM/RLM marks are fine', () => {
    for (const text of ['שלום', 'محمد', 'Ann\u200f', 'نادر\u200e (Nader)']) assert.deepEqual(name(text), { ok: text });
  });
});

describe('stacked combining marks', () => {
  test(`up to ${MAX_COMBINING_MARKS} marks on one character are fine, more are refused`, () => {
    const stack = (n: number) => `Z${'\u0301\u0327\u0316\u0360'.repeat(64).slice(0, n)}algo`;
    assert.deepEqual(body(stack(MAX_COMBINING_MARKS)), { ok: stack(MAX_COMBINING_MARKS) });
    assert.deepEqual(body(stack(MAX_COMBINING_MARKS + 1)), { refused: TEXT_MESSAGES.marks });
    assert.deepEqual(body(stack(200)), { refused: TEXT_MESSAGES.marks });
    assert.deepEqual(name(stack(200).slice(0, 40)), { refused: TEXT_MESSAGES.marks });
  });

  test('real scripts stay well inside the limit', () => {
    for (const text of [
      'Tiếng Việt có dấu: người, được, những', // precomposed
      'Tie\u0302\u0301ng Vie\u0323\u0302t', // decomposed (NFD): two marks
      'בְּרֵאשִׁ֖ית בָּרָ֣א', // Hebrew points and cantillation
      'བསྒྲུབས', // Tibetan stack
      'क्ष्म्य', // Devanagari conjunct
      'e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308', // eight, like the corpus's mild "Zalgo"
    ]) {
      assert.deepEqual(body(text), { ok: text });
    }
  });
});

describe('refusals are one message, the most basic problem first', () => {
  test('a NUL in an over-long body is reported as the NUL', () => {
    assert.deepEqual(body(`${'x'.repeat(BODY_MAX + 10)}\u0000`), { refused: TEXT_MESSAGES.control });
  });

  test('not text at all', () => {
    assert.deepEqual(body(42), { refused: 'must be text' });
    assert.deepEqual(name(null), { refused: 'must be text' });
  });
});
