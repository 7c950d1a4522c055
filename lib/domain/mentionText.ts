import { NAME_MAX } from '../contract/limits';
import { displayNameKey } from './identity';
import { MAX_MENTIONS_PER_COMMENT } from './notifications';
import type { MentionRef } from './types';

/**
 * `@Name` in plain text (docs/mentions.md); ./mentions.ts finds the plain text of a comment. A display name may hold spaces and punctuation
 * ("Ann Lee", "Dr. Who"), so the text after an `@` does not say where a name ends: every way
 * it could end (before a space or a punctuation mark, within NAME_MAX characters, on the same
 * line) is a candidate, all of them are looked up by their display-name key in one query, and
 * the longest that names an account wins. The key (lib/domain/identity.ts displayNameKey)
 * decides what is the same name: a fullwidth `＠Ａlice` folds to `alice`, a Cyrillic `Аlice` does not.
 *
 * Pure and bounded: however hostile the text (5,000 `@`s, a name-like run of 500 `@Name`s), the
 * work is at most MAX_MENTION_SIGNS signs × NAME_MAX characters, and at most MAX_MENTION_KEYS
 * keys reach the database.
 */

/** `@` signs looked at per comment; later ones are plain text. */
export const MAX_MENTION_SIGNS = 200;
/** Names looked up per comment (the candidates of the first signs, in order). */
export const MAX_MENTION_KEYS = 400;
/** Ways one `@` may end (a name of more words or marks than this is matched by its first ones only). */
const MAX_ENDS_PER_SIGN = 16;

/** An `@` as the text spells it, with the names it may start (the raw text after it, longest first). */
export interface MentionSign {
  /** Index of the `@` in the text it was found in. */
  at: number;
  names: string[];
}

// A name starts with a letter or a digit: `@@@@`, `@ `, `@-` start nothing.
const NAME_START = /[\p{L}\p{N}]/u;
// Before a name's end: a space, a punctuation mark or a symbol (`@Ann, hi`, `@Ann's`, `@Ann!`).
const NAME_BREAK = /[\s\p{P}\p{S}]/u;
// What may not come right before the `@` of a mention: an address (`ann@example.com`), a handle
// (`x@y`, `a.b@c`, `//host/@path`) or another `@`. Addresses the renderer links never reach here.
const NOT_BEFORE = /[\p{L}\p{N}\p{M}_.+\-@/\\]/u;
const FULLWIDTH_AT = '\uff20';
const SMALL_AT = '\ufe6b';

const isSign = (ch: string | undefined) => ch === '@' || ch === FULLWIDTH_AT || ch === SMALL_AT;

/**
 * The `@` signs of plain text (one paragraph's words, outside code and links) that may start a
 * mention, in order, each with the names it may start, longest first. `limit` bounds the signs looked at.
 */
export function mentionSigns(text: string, limit = MAX_MENTION_SIGNS): MentionSign[] {
  const signs: MentionSign[] = [];
  let seen = 0;
  for (let at = 0; at < text.length && seen < limit; at++) {
    if (!isSign(text[at])) continue;
    seen++;
    const before = at > 0 ? String.fromCodePoint(text.codePointAt(at - 1) ?? 0) : '';
    // A low surrogate before: look at the whole code point it ends.
    const prev = at > 1 && /[\udc00-\udfff]/.test(text[at - 1]!) ? text.slice(at - 2, at) : before;
    if (prev && NOT_BEFORE.test(prev)) continue;
    const names = namesAfter(text, at + 1);
    if (names.length > 0) signs.push({ at, names });
  }
  return signs;
}

/** Every way a name may run from `start`: up to NAME_MAX code points, not past a line's end; longest first. */
function namesAfter(text: string, start: number): string[] {
  const first = text.codePointAt(start);
  if (first === undefined || !NAME_START.test(String.fromCodePoint(first))) return [];
  const ends: number[] = [];
  let i = start;
  let count = 0;
  while (i < text.length && count < NAME_MAX) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (ch === '\n' || ch === '\r') break;
    // Another mention starts here (`@Ann, @Bea`): a name does not run into it.
    if (isSign(ch) && i > start && /\s/u.test(text[i - 1]!)) break;
    const next = i + ch.length;
    count++;
    const following = next < text.length ? String.fromCodePoint(text.codePointAt(next)!) : '';
    // A name ends after a visible character, before a break or the text's end.
    if (!/\s/u.test(ch) && (following === '' || NAME_BREAK.test(following))) {
      ends.push(next);
      if (ends.length >= MAX_ENDS_PER_SIGN) break;
    }
    i = next;
  }
  return ends.reverse().map((end) => text.slice(start, end));
}

// Printable ASCII is its own NFKC form: its key needs no normalisation (the costliest step, on every candidate of a post).
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** displayNameKey (lib/domain/identity.ts), the same result, quicker for the common case. */
export function candidateKey(name: string): string {
  return PRINTABLE_ASCII.test(name) ? name.toLowerCase().replace(/\s+/g, ' ').trim() : displayNameKey(name);
}

/** The display-name keys a text's signs may name, distinct, in order, at most MAX_MENTION_KEYS. */
export function mentionKeys(signs: readonly MentionSign[]): string[] {
  const keys = new Set<string>();
  for (const sign of signs) {
    for (const name of sign.names) {
      keys.add(candidateKey(name));
      if (keys.size >= MAX_MENTION_KEYS) return [...keys];
    }
  }
  return [...keys];
}

/** An account a key named (Store.accounts.findMentionable). */
export interface MentionableAccount {
  id: string;
  key: string;
}

/**
 * The people a text's signs name, given the accounts their keys found: at each sign the longest
 * name that is an account's, each person once (where first named), at most MAX_MENTIONS_PER_COMMENT.
 * `name` is the name as the text spells it, whitespace folded (the renderer finds it again by its key).
 */
export function pickMentions(signs: readonly MentionSign[], accounts: readonly MentionableAccount[]): MentionRef[] {
  if (accounts.length === 0) return [];
  const byKey = new Map(accounts.map((a) => [a.key, a.id]));
  const picked: MentionRef[] = [];
  const people = new Set<string>();
  for (const sign of signs) {
    const match = longestMatch(sign, byKey);
    if (!match || people.has(match.id)) continue;
    people.add(match.id);
    picked.push({ id: match.id, name: match.name.replace(/\s+/g, ' ') });
    if (picked.length >= MAX_MENTIONS_PER_COMMENT) break;
  }
  return picked;
}

/** The longest of a sign's names whose key is known, with the account it names. */
export function longestMatch(sign: MentionSign, byKey: ReadonlyMap<string, string>): { id: string; name: string } | undefined {
  for (const name of sign.names) {
    const id = byKey.get(candidateKey(name));
    if (id !== undefined) return { id, name };
  }
  return undefined;
}

/** A comment's mentions as stored (`comments.mentions`): JSON, or NULL when it names nobody. */
export function mentionsToJson(mentions: readonly MentionRef[] | undefined): string | null {
  return mentions && mentions.length > 0 ? JSON.stringify(mentions.map(({ id, name }) => ({ id, name }))) : null;
}

/** What `comments.mentions` held, or throws when it is not a list of {id, name}: the mappers turn that into a corrupt row. */
export function mentionsFromJson(json: string | null | undefined): MentionRef[] | undefined {
  if (json === null || json === undefined || json === '') return undefined;
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new Error('mentions are not a list');
  return data.map((item: unknown) => {
    const { id, name } = (item ?? {}) as { id?: unknown; name?: unknown };
    if (typeof id !== 'string' || id === '' || typeof name !== 'string') throw new Error('a mention needs an id and a name');
    return { id, name };
  });
}
