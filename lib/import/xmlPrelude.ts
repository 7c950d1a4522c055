/** The most text before `<?xml` that is passed over; beyond it the file is not an export that went astray. */
export const MAX_PRELUDE = 64 * 1024;

const DECLARATION = /<\?xml\s/;

/** Text passed over before the XML declaration, for the report. */
export interface PassedOver {
  /** The line of its first text. */
  line: number;
  /** How many lines held text. */
  lines: number;
  /** Its first line with text, shortened. */
  first: string;
}

export type PreludeDecision = { decided: false } | { decided: true; text: string; passedOver: PassedOver | null };

/**
 * What of the start of a file the XML parser is given (docs/import.md, "Before the XML declaration").
 * Real exports arrive with a byte-order mark, blank lines or a PHP warning printed before `<?xml`,
 * which XML forbids. When the declaration comes within MAX_PRELUDE characters and what is before it
 * holds nothing of the export itself (neither the root element `root` nor CDATA), that text and the
 * declaration are blanked: every character but line breaks becomes a space, so the parser sees
 * whitespace before the root element (which XML allows) and every later line and column stays
 * where it is in the file. Anything else is passed on unchanged, and the parser refuses it naming
 * its line and column.
 *
 * `head` is the file's text so far; `ended`: no more will come. Undecided until the declaration's
 * end, the root element, MAX_PRELUDE characters or the end of the file is seen.
 */
export function passPrelude(head: string, options: { root: string; ended: boolean }): PreludeDecision {
  const unchanged = { decided: true, text: head, passedOver: null } as const;
  const declaration = DECLARATION.exec(head);
  const root = new RegExp(`<(?:/?${options.root}[\\s/>]|!\\[CDATA\\[)`).exec(head);
  if (!declaration) {
    // A declaration cannot follow the root element (or more text than a warning): the parser judges the file.
    return root || options.ended || head.length >= MAX_PRELUDE ? unchanged : { decided: false };
  }
  const at = declaration.index;
  if (at === 0 || at > MAX_PRELUDE || (root && root.index < at)) return unchanged;
  const end = head.indexOf('?>', at);
  if (end === -1) return options.ended ? unchanged : { decided: false };
  const blanked = head.slice(0, end + 2).replace(/[^\n\r]/gu, ' ');
  return { decided: true, text: blanked + head.slice(end + 2), passedOver: describe(head.slice(0, at)) };
}

/** The text before the declaration, or null when it is only whitespace and byte-order marks (passed over without a word). */
function describe(prelude: string): PassedOver | null {
  const lines = prelude.split(/\r\n|\r|\n/);
  const withText = lines.map((text, i) => ({ text: text.replace(/[\s\uFEFF]+/g, ' ').trim(), line: i + 1 })).filter((l) => l.text !== '');
  const first = withText[0];
  if (!first) return null;
  return { line: first.line, lines: withText.length, first: first.text.length > 120 ? `${first.text.slice(0, 119)}…` : first.text };
}
