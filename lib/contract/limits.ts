/**
 * Limits on what a commenter writes and when, free of zod like ./reports.ts and ./paging.ts:
 * the server's schemas (./api.ts) are built on them, and the page's comment box checks the
 * same before it sends without bringing zod into the page's script.
 */

/** Limits on what a commenter writes, in code points (./text.ts characterCount), counted after trimming. */
export const BODY_MAX = 5000;
export const NAME_MAX = 50;
/** How long an author may edit a comment after posting it. */
export const EDIT_WINDOW_MS = 5 * 60 * 1000;

/** The rules of ./text.ts for each free-text field; the comment box checks the same before it sends. */
// Bidi controls are fine in a body: the page shows each body in its own bidi isolate.
export const BODY_RULES = { max: BODY_MAX, allowBidiControls: true } as const;
export const NAME_RULES = { max: NAME_MAX, allowBidiControls: false } as const;
/** An editors' pick's note (issue 19.1): one line under the quote in the Picks strip. */
export const PICK_NOTE_MAX = 140;
export const PICK_NOTE_RULES = { max: PICK_NOTE_MAX, allowBidiControls: false } as const;

/** The longest sign-in token a host may hand over (a JWT for one person is far shorter). */
export const SSO_TOKEN_MAX = 8192;
