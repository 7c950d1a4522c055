/**
 * Why a reader reports a comment: the one list, which the report request is
 * checked against (api.ts), the report dialog offers and the moderators' desk
 * names. Kept free of zod so that the browser's dialog takes it alone.
 */
export const REPORT_CATEGORIES = ['spam', 'abuse', 'off_topic', 'other'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** The longest reason the API takes (a report's own words, a ban's, a moderator's): the report dialog's box stops there too. */
export const REASON_MAX_LENGTH = 500;

