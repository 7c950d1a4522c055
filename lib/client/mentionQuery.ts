/**
 * The `@` being typed in the comment box (docs/mentions.md): what the suggestion lists people for.
 * Pure and free of the server's parser (lib/domain/mentions.ts, which needs the markdown renderer):
 * it only says when to suggest; what the server recognises in the posted text decides the mention.
 * The longest display name (lib/contract/limits.ts NAME_MAX) is passed in: importing it here would
 * split the page's shared chunks for the suggestion's (mentionSuggestChunk.ts).
 */
export interface MentionQuery {
  /** Index of the `@` in the text. */
  start: number;
  /** What was typed after it, up to the caret. */
  query: string;
}

// As the server's parser: no mention right after a letter, digit or address character (ann@example.com).
const NOT_BEFORE = /[\p{L}\p{N}\p{M}_.+\-@/\\]/u;
const NAME_START = /^[\p{L}\p{N}]/u;

/** The `@Name` the caret is in, if any: an `@` on the same line, within a display name's length before the caret. */
export function mentionQueryAt(text: string, caret: number, nameMax: number): MentionQuery | null {
  const from = Math.max(0, caret - 2 * nameMax - 1);
  for (let i = caret - 1; i >= from; i--) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r') return null;
    if (ch !== '@' && ch !== '\uff20') continue;
    const query = text.slice(i + 1, caret);
    if ([...query].length > nameMax || /[@\uff20]/.test(query)) return null;
    if (query !== '' && !NAME_START.test(query)) return null;
    // A name has no two spaces in a row, and the suggestion closes once the name is followed by a blank.
    if (/\s{2}/.test(query)) return null;
    const before = i > 0 ? text[i - 1]! : '';
    if (before && NOT_BEFORE.test(before)) return null;
    return { start: i, query };
  }
  return null;
}

/** The text with the `@query` at the caret replaced by `@Name `, and where the caret goes after it. */
export function insertMention(text: string, at: MentionQuery, name: string): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const inserted = `@${name} `;
  // A blank already after the name is not doubled.
  const rest = text.slice(end).replace(/^ /, '');
  return { text: text.slice(0, at.start) + inserted + rest, caret: at.start + inserted.length };
}
