/**
 * `?until=` on an article page: how far the reader had read with "More comments".
 * Zod-free, so the page's script can spell the address without the schemas.
 */
export const UNTIL_PARAM = 'until';
/** `?until=end`: every branch was loaded. */
export const UNTIL_END = 'end';
