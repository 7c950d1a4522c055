/**
 * What a commenter may write, character by character (docs/security.md, "Bad input").
 * Pure functions on strings: the server's schemas and the page's comment box share them,
 * so the counter a writer sees agrees with the limit the server applies.
 */

/** A "character" is a Unicode code point: an emoji counts once, as a writer expects, not twice as in UTF-16. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Unpaired UTF-16 surrogates: JSON may carry them ("\ud800"), but UTF-8 cannot, so the
 * database would silently store U+FFFD instead. With the `u` flag a proper pair is one code
 * point and never matches.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * C0 controls except tab, line feed and carriage return; DEL; C1 controls. NUL cannot be
 * stored in PostgreSQL text at all; the others are terminal escapes and bells, never prose.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). They change
 * how the text after them is ordered; a name using them can pose as someone else.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/**
 * What a reader can see: a letter, digit, punctuation mark or symbol that is not one of the
 * default-ignorable characters (zero-width space and joiners, word joiner, BOM, Hangul fillers,
 * variation selectors…) and not the blank Braille pattern, an old trick for an "empty" name.
 */
const VISIBLE = /(?![\p{Default_Ignorable_Code_Point}\u2800])[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * Combining marks stacked on one character. Real text stays far below this (Vietnamese uses
 * two, Hebrew with points and cantillation or Tibetan stacks a handful); "Zalgo" text uses
 * dozens to draw over the lines around it.
 */
export const MAX_COMBINING_MARKS = 16;
const MARK_RUN = new RegExp(`\\p{M}{${MAX_COMBINING_MARKS + 1}}`, 'u');

const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);
/** Whether `text` holds a control character no field may hold (tabs and line breaks are fine): NUL above all. */
export const hasForbiddenControl = (text: string): boolean => FORBIDDEN_CONTROL.test(text);
const hasBidiControl = (text: string): boolean => BIDI_CONTROL.test(text);
const hasVisibleText = (text: string): boolean => VISIBLE.test(text);
const hasTooManyCombiningMarks = (text: string): boolean => MARK_RUN.test(text);

/** The public messages, one per rule: they are part of the contract (docs/api.md). */
export const TEXT_MESSAGES = {
  empty: 'must not be empty',
  loneSurrogate: 'must be valid Unicode text (it contains an unpaired surrogate)',
  control: 'must not contain control characters (NUL, escape, bell…); tabs and line breaks are fine',
  invisible: 'must contain visible text',
  marks: `must not stack more than ${MAX_COMBINING_MARKS} combining marks on one character`,
  bidi: 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)',
  tooLong: (max: number) => `must be at most ${max} characters`,
} as const;

/** A rule of this file, by name: the key of its message in TEXT_MESSAGES. */
export type TextRule = keyof typeof TEXT_MESSAGES;

/**
 * The first rule `text` breaks, or undefined when it is fine. One per field: the most basic
 * problem is the one worth fixing first. The page's comment box asks this too, to say why a
 * post cannot go before sending it; the server's answer still decides.
 */
export function brokenTextRule(text: string, rules: { max: number; allowBidiControls: boolean }): TextRule | undefined {
  if (hasLoneSurrogate(text)) return 'loneSurrogate';
  if (hasForbiddenControl(text)) return 'control';
  if (text.length === 0) return 'empty';
  if (!hasVisibleText(text)) return 'invisible';
  if (characterCount(text) > rules.max) return 'tooLong';
  if (hasTooManyCombiningMarks(text)) return 'marks';
  if (!rules.allowBidiControls && hasBidiControl(text)) return 'bidi';
  return undefined;
}

/** The first rule `text` breaks, as its public message, or undefined when it is fine. */
export function textProblem(text: string, rules: { max: number; allowBidiControls: boolean }): string | undefined {
  const rule = brokenTextRule(text, rules);
  if (rule === undefined) return undefined;
  return rule === 'tooLong' ? TEXT_MESSAGES.tooLong(rules.max) : TEXT_MESSAGES[rule];
}

/** A comment body as it is stored: line endings become `\n`, the ends are trimmed. */
export function normalizeBody(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

/** An author name as it is stored: runs of white space (line breaks included) become one space, the ends are trimmed. */
export function normalizeName(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
