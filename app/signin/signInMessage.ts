/**
 * What the sign-in popup tells the window that opened it (the embed's frame), with postMessage to
 * this site's origin only: `{ type: 'threadline:signin', ok: true, method }` once signed in (the
 * session cookie is set, first-party), or `{ type: 'threadline:signin', ok: false, error, reason }`.
 */
export const SIGN_IN_MESSAGE_TYPE = 'threadline:signin';

export type SignInOutcome = { ok: true; method: string } | { ok: false; error: string; reason: string | null };
export type SignInMessage = { type: typeof SIGN_IN_MESSAGE_TYPE } & SignInOutcome;
