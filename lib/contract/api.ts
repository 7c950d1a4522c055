import { BODY_RULES, NAME_RULES, PICK_NOTE_RULES, SSO_TOKEN_MAX } from './limits';
import { UNTIL_END } from './paging';
import { REPORT_CATEGORIES, REASON_MAX_LENGTH } from './reports';
import { hasForbiddenControl, normalizeBody, normalizeName, TEXT_MESSAGES, textProblem } from './text';
import { z } from './zod';
import { ACCOUNT_ROLES, BADGES } from '../domain/identity';
import { COMMENT_POLICIES, TRUST_LIMITS } from '../domain/commentPolicy';

/** The shapes of the public JSON API (documented in docs/api.md). */

// The limits are stated in ./limits.ts (zod-free, for the page); the API's importers find them here too.
export { BODY_MAX, NAME_MAX, EDIT_WINDOW_MS, BODY_RULES, NAME_RULES } from './limits';

export const COMMENT_STATUSES = ['visible', 'deleted', 'removed', 'pending', 'unavailable'] as const;
export const CommentStatusSchema = z.enum(COMMENT_STATUSES);
export type CommentStatus = z.infer<typeof CommentStatusSchema>;

/**
 * What the spam check (lib/services/spam) holds a comment for: a link in a guest's first comment,
 * the same text in many threads, one of a burst of new guests from one address, or the outside
 * spam service's verdict (docs/security.md, "Spam").
 */
export const SPAM_REASONS = ['spam_link_first_comment', 'spam_repeated_text', 'spam_new_guest_burst', 'spam_external'] as const;
export type SpamReason = (typeof SPAM_REASONS)[number];

/**
 * What holds a comment for who wrote it (docs/moderation.md, "Trust" and "Shadow-ban"): a guest under the
 * `guests-premoderated` policy, a new account's first comments, a person whose comments were often
 * rejected, or a shadow-banned person's (seen by them and moderators alone; lib/domain/commentPolicy.ts).
 */
export const PERSON_REASONS = ['guest_review', 'new_account', 'untrusted', 'shadow_banned'] as const;

/**
 * Why a `pending` comment waits for a moderator: the thread is pre-moderated, a banned word,
 * an edit of a comment that had been approved or featured (docs/decisions.md, "Edits pass the posting rules"),
 * or a spam signal (SPAM_REASONS).
 */
export const HELD_REASONS = ['pre_moderation', 'banned_word', 'edited', ...SPAM_REASONS, ...PERSON_REASONS] as const;
export const HeldReasonSchema = z.enum(HELD_REASONS);
export type HeldReason = z.infer<typeof HeldReasonSchema>;

/**
 * Why the outside spam service (SPAM_CHECK_URL) did not judge a comment, which was then posted
 * unchecked: it did not answer in time, it answered with an error, or it was not asked because
 * it had been failing (the circuit breaker was open).
 */
export const NOT_CHECKED_REASONS = ['timeout', 'error', 'unavailable'] as const;
export const NotCheckedSchema = z.enum(NOT_CHECKED_REASONS);
export type NotChecked = z.infer<typeof NotCheckedSchema>;

export const SlugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes');

export const CommentIdSchema = z.string().regex(/^[a-z0-9]{1,32}$/, 'a comment id');

/**
 * `top`: most liked branches first (ties oldest first); replies inside a branch keep their order.
 * `picks`: only the branches that hold an editors' pick (issue 19.1), oldest first, on one page.
 * The Q&A views (lib/domain/questions.ts): `answered-first` (answered questions first, each group oldest
 * first), `answered` and `unanswered` (only those questions, oldest first).
 */
export const SortSchema = z.enum([
  'oldest',
  'newest',
  'top',
  'picks',
  'answered-first',
  'answered',
  'unanswered',
]);
export type Sort = z.infer<typeof SortSchema>;

export const CommentViewSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  depth: z.number().int().min(1),
  /** The top-level comment this one's branch starts from (its own id at depth 1). */
  rootId: z.string(),
  status: CommentStatusSchema,
  /** `name` is null when the author is unknown (imported without one) or hidden (placeholder, deleted, removed). */
  author: z.object({
    name: z.string().nullable(),
    /**
     * The same for every comment of one person (lib/domain/authorKey.ts), absent when the author is not
     * shown: what a reader's mutes match (issue 19). Optional: added without a protocol bump.
     */
    key: z.string().optional(),
  }),
  /** The source text as written (markdown); empty when the comment is not shown. */
  body: z.string(),
  /** The safe HTML rendering of `body`. */
  html: z.string(),
  createdAt: z.iso.datetime().nullable(),
  /** When the author last edited the text, or null. */
  editedAt: z.iso.datetime().nullable(),
  seq: z.number().int().min(1),
  /** A moderator locked this branch: no replies to it or below it. */
  locked: z.boolean(),
  /** Featured by a moderator at the top of the thread. */
  pinned: z.boolean(),
  /** Readers who like it (0 while it is not shown). */
  likes: z.number().int().min(0),
  /**
   * Whether the reader asking likes it: on pages and page responses only.
   * Events go to every reader alike and leave it out; a client keeps its own.
   */
  likedByMe: z.boolean().optional(),
  /**
   * The author's badges (`staff`, `journalist`, `expert`), set by admins or the host site's SSO; absent
   * when they have none or the comment is not shown. Added in protocol 1 without a version bump: optional,
   * and ignored by pages that do not know it (docs/protocol.md).
   */
  authorBadges: z.array(z.enum(BADGES)).optional(),
  /**
   * An editors' pick (issue 19.1), present while `pinned`: the moderator's note (null: none) and when it
   * was featured. Added in protocol 1 without a version bump: optional, ignored by pages that do not know it.
   */
  pick: z.object({ note: z.string().nullable(), at: z.iso.datetime().nullable() }).optional(),
  /** A question of a Q&A thread that is answered: the id of its answer (a reply in its branch); absent while open (lib/domain/questions.ts). */
  answerId: z.string().optional(),
});
export type CommentView = z.infer<typeof CommentViewSchema>;

export const ThreadSummarySchema = z.object({
  slug: SlugSchema,
  title: z.string(),
  locked: z.boolean(),
  commentCount: z.number().int().min(0),
});
export type ThreadSummary = z.infer<typeof ThreadSummarySchema>;

/** Threads per page of a list unless `limit` says otherwise, and the most one page may hold. */
export const THREADS_PER_PAGE = 50;
export const THREADS_PER_PAGE_MAX = 100;

/** `?limit=`: how many a page holds, a whole number from 1 to `max` (optional: each list has its default). */
function pageLimit(max: number) {
  return z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`).optional();
}

/**
 * A thread list's cursor: opaque to clients (today the base64url of the last
 * thread's creation time and id, the list's keyset: lib/services/pageCursor.ts).
 */
export const ThreadCursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a cursor returned as next');

/** `GET /api/threads` (and the admins' list): which page. */
export const ThreadListQuerySchema = z.object({
  after: ThreadCursorSchema.optional(),
  limit: pageLimit(THREADS_PER_PAGE_MAX),
});

/** One page of threads, newest first. */
export const ThreadListResponseSchema = z.object({
  threads: z.array(ThreadSummarySchema),
  /** Pass as `after` for the next (older) page; null when this page is the last. */
  next: ThreadCursorSchema.nullable(),
});
export type ThreadListResponse = z.infer<typeof ThreadListResponseSchema>;

/** A thread in the admins' list: hidden ones too, marked, with when it was opened. */
export const AdminThreadSummarySchema = ThreadSummarySchema.extend({
  hidden: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type AdminThreadSummary = z.infer<typeof AdminThreadSummarySchema>;

/** `GET /api/moderation/threads`: every thread, hidden ones included, newest first. */
export const AdminThreadListResponseSchema = z.object({
  threads: z.array(AdminThreadSummarySchema),
  next: ThreadCursorSchema.nullable(),
});
export type AdminThreadListResponse = z.infer<typeof AdminThreadListResponseSchema>;

/** Who may comment (lib/domain/commentPolicy.ts). */
export const CommentPolicySchema = z.enum(COMMENT_POLICIES);

export const ThreadDetailSchema = ThreadSummarySchema.extend({
  /** Who may comment here when an admin chose for this thread; null (or absent): the site's policy. */
  commentPolicy: CommentPolicySchema.nullable().optional(),
  /** The sequence number of the thread's latest event. */
  seq: z.number().int().min(0),
  /** One comment per guest per this many seconds; 0 is off. */
  slowModeSeconds: z.number().int().min(0),
  /** New comments wait for a moderator's approval. */
  preModeration: z.boolean(),
  /** Hidden by an admin: only staff read it (anyone else gets `thread_not_found`), and nobody posts to it. */
  hidden: z.boolean(),
  /** Switched to Q&A by a moderator: `true`, or absent when not. */
  qa: z.boolean().optional(),
  /** When comments close (UTC): the thread locks itself then; null (or absent): never (docs/moderation.md, "Closing on time"). */
  closesAt: z.iso.datetime().nullable().optional(),
});
export type ThreadDetail = z.infer<typeof ThreadDetailSchema>;

export const ThreadResponseSchema = z.object({
  thread: ThreadDetailSchema,
  /**
   * One page of branches (a top-level comment and everything under it), in
   * display order: depth first, siblings oldest first.
   */
  comments: z.array(CommentViewSchema),
  /** Pass as `after` for the next page of branches; null when this page is the last. */
  nextCursor: z.string().nullable(),
});
export type ThreadResponse = z.infer<typeof ThreadResponseSchema>;

/** Branches per page unless `limit` says otherwise, and the most one page may hold. */
export const BRANCHES_PER_PAGE = 50;
export const BRANCHES_PER_PAGE_MAX = 200;
/**
 * A page also stops taking branches once they hold this many comments (the
 * branch that crosses it comes whole): a thread whose first branches run to
 * hundreds of replies opens as fast as a small thread, the rest one "More
 * comments" away.
 */
export const COMMENTS_PER_PAGE = 250;

/**
 * The largest seq or like count a thread holds: the stores keep them as SQL `integer`s, which
 * PostgreSQL refuses to compare with anything larger (an error, not "no rows").
 */
const STORED_INTEGER_MAX = 2 ** 31 - 1;

/**
 * A page cursor: opaque to clients. Today the seq of the page's last top-level
 * comment, and for the `top` order `<likes>.<seq>`: that comment's likes when
 * the page was read (a snapshot: see docs/api.md).
 */
export const CursorSchema = z
  .string()
  .regex(/^(?:(?:0|[1-9][0-9]{0,14})\.)?[1-9][0-9]{0,14}$/, 'must be a cursor returned as nextCursor')
  .refine((cursor) => cursor.split('.').every((n) => Number(n) <= STORED_INTEGER_MAX), 'must be a cursor returned as nextCursor');

/** Whether a cursor is one the sort hands out: `top` cursors carry likes, `answered-first` ones 0/1 (answered), the others neither. */
export function cursorFitsSort(sort: Sort, cursor: string): boolean {
  if (sort === 'answered-first') return /^[01]\./.test(cursor);
  return cursor.includes('.') === (sort === 'top');
}

/**
 * `?until=` on an article page (./paging.ts): a cursor, or `end` for every branch. The page then
 * holds the branches before it, as the reader had them after "More comments".
 */
export const UntilSchema = z.union([z.literal(UNTIL_END), CursorSchema]);

export const ThreadQuerySchema = z.object({
  sort: SortSchema.optional(),
  after: CursorSchema.optional(),
  limit: pageLimit(BRANCHES_PER_PAGE_MAX),
});

/** A field of free text checked against the rules of ./text.ts, with one message for the first rule it breaks. */
const freeText = (rules: { max: number; allowBidiControls: boolean }) =>
  z.string().superRefine((text, ctx) => {
    const problem = textProblem(text, rules);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Text other than a comment's (a reason, a title): what it holds is free, but not a control
 * character of ./text.ts. NUL above all, which PostgreSQL cannot store: a 400 naming the field, not a 500.
 */
export const withoutControls = <T extends z.ZodString>(schema: T): T => schema.refine((text) => !hasForbiddenControl(text), TEXT_MESSAGES.control);

/** Stored exactly as sent, except that line endings become `\n` and the ends are trimmed. */
export const CommentBodySchema = z
  .string({ error: 'must be text' })
  .transform(normalizeBody)
  .pipe(freeText(BODY_RULES));

/** Runs of white space (line breaks included) become one space and the ends are trimmed. */
export const AuthorNameSchema = z
  .string({ error: 'must be text' })
  .transform(normalizeName)
  .pipe(freeText(NAME_RULES));

/** A moderator's note on an editors' pick: one line (line breaks become spaces, as in a name), at most PICK_NOTE_MAX characters. */
export const PickNoteSchema = z
  .string({ error: 'must be text' })
  .transform(normalizeName)
  .pipe(freeText(PICK_NOTE_RULES));

export const ClientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"');

/**
 * Fields the server owns. A client may send them (an old or careless client
 * does) and they are dropped, never trusted; any other unknown field is an error.
 */
const SERVER_OWNED = {
  id: z.unknown().optional(),
  threadId: z.unknown().optional(),
  depth: z.unknown().optional(),
  seq: z.unknown().optional(),
  status: z.unknown().optional(),
  author: z.unknown().optional(),
  authorId: z.unknown().optional(),
  createdAt: z.unknown().optional(),
  editedAt: z.unknown().optional(),
  html: z.unknown().optional(),
};

const stripServerOwned = <T extends Record<string, unknown>>(input: T) => {
  const out: Record<string, unknown> = { ...input };
  for (const key of Object.keys(SERVER_OWNED)) delete out[key];
  return out as Omit<T, keyof typeof SERVER_OWNED>;
};

const createCommentFields = {
  parentId: CommentIdSchema.nullish().transform((v) => v ?? null),
  body: CommentBodySchema,
  /** A guest's name for this comment; a signed-in person's comments carry their display name, and this is ignored. */
  authorName: AuthorNameSchema.optional(),
  clientId: ClientIdSchema.optional(),
};

/** `POST /api/threads/<slug>/comments`. */
export const CreateCommentRequestSchema = z.strictObject({ ...createCommentFields, ...SERVER_OWNED }).transform(stripServerOwned);
export type CreateCommentRequest = z.output<typeof CreateCommentRequestSchema>;

/** `comment:create` over the socket: the same fields plus the thread's slug. */
export const SocketCreateCommentSchema = z
  .strictObject({ slug: SlugSchema, ...createCommentFields, ...SERVER_OWNED })
  .transform(stripServerOwned);
export type SocketCreateComment = z.output<typeof SocketCreateCommentSchema>;

/** `PATCH /api/comments/<id>`: the author edits their text within the edit window. */
export const EditCommentRequestSchema = z.strictObject({ body: CommentBodySchema });

/** `PUT` / `DELETE /api/comments/<id>/like` answer, and the `comment:like` acknowledgement. */
export const LikeResponseSchema = z.object({
  likes: z.number().int().min(0),
  liked: z.boolean(),
  /** False when it was already so (liked in another tab, say): `likes` is then the count to show, and no event follows. */
  changed: z.boolean(),
});
export type LikeResponse = z.infer<typeof LikeResponseSchema>;

export const CommentResponseSchema = z.object({ comment: CommentViewSchema });
export type CommentResponse = z.infer<typeof CommentResponseSchema>;

export const ThreadSettingsSchema = z.object({
  /** The thread's own comment policy, or null (or absent) for the site's. */
  commentPolicy: CommentPolicySchema.nullable().optional(),
  locked: z.boolean(),
  slowModeSeconds: z.number().int().min(0),
  preModeration: z.boolean(),
  /** Hidden by an admin: readers' pages show the discussion removed; only staff still see it. */
  hidden: z.boolean(),
  /** Q&A: top-level comments are questions (lib/domain/questions.ts). Sent only when on: absent is false (no protocol bump). */
  qa: z.boolean().optional(),
  /** When comments close (UTC), or null (or absent: events before closing existed) for never. */
  closesAt: z.iso.datetime().nullable().optional(),
});
export type ThreadSettings = z.infer<typeof ThreadSettingsSchema>;

export const ThreadStateSchema = ThreadSettingsSchema.extend({ slug: SlugSchema, seq: z.number().int().min(0) });
export type ThreadState = z.infer<typeof ThreadStateSchema>;

/** One change to a thread, as clients receive it (`thread:event`, catch-up, `GET …/events`). */
export const ThreadEventWireSchema = z.discriminatedUnion('type', [
  z.object({ slug: SlugSchema, seq: z.number().int().min(1), type: z.literal('thread.created'), thread: z.object({ title: z.string(), locked: z.boolean() }) }),
  z.object({
    slug: SlugSchema,
    seq: z.number().int().min(1),
    type: z.literal('comment.created'),
    comment: CommentViewSchema,
    /** The author's idempotency key, so the author's page matches the comment to the copy it shows as "sending". */
    clientId: z.string().optional(),
  }),
  z.object({ slug: SlugSchema, seq: z.number().int().min(1), type: z.literal('comment.updated'), comment: CommentViewSchema }),
  z.object({ slug: SlugSchema, seq: z.number().int().min(1), type: z.literal('thread.updated'), thread: ThreadSettingsSchema }),
  /** A like or unlike: the comment's new count (not a delta, so applying it twice changes nothing). Who liked is not said. */
  z.object({ slug: SlugSchema, seq: z.number().int().min(1), type: z.literal('comment.liked'), commentId: z.string(), likes: z.number().int().min(0) }),
]);
export type ThreadEventWire = z.infer<typeof ThreadEventWireSchema>;

/** A catch-up longer than this is not replayed: the client reloads the thread instead. */
export const CATCH_UP_LIMIT = 500;

/** A position in a thread's event stream; anything past the thread's latest simply has nothing after it. */
export const SeqSchema = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').max(Number.MAX_SAFE_INTEGER, 'is too large');

export const EventsQuerySchema = z.object({
  after: z.coerce.number({ error: 'must be a number' }).pipe(SeqSchema).default(0),
});

/** `GET /api/threads/<slug>/events?after=N`, and the catch-up part of a subscription. */
export const CatchUpSchema = z.object({
  thread: ThreadStateSchema,
  /** Events with seq > after, in order; empty with `resync: true` when there were more than CATCH_UP_LIMIT. */
  missed: z.array(ThreadEventWireSchema),
  resync: z.boolean(),
});
export type CatchUp = z.infer<typeof CatchUpSchema>;

/** The longest slow mode: one comment per guest per day. */
export const SLOW_MODE_MAX = 86_400;

/** `PATCH /api/threads/<slug>`: a moderator's thread settings. */
export const ThreadSettingsRequestSchema = z
  .strictObject({
    slowModeSeconds: z.number({ error: 'must be a number of seconds' }).int('must be a whole number').min(0, 'must be 0 (off) or more').max(SLOW_MODE_MAX, `must be at most ${SLOW_MODE_MAX}`).optional(),
    preModeration: z.boolean({ error: 'must be true or false' }).optional(),
    /** Admins only: who may comment here, or null to follow the site's policy. */
    commentPolicy: CommentPolicySchema.nullable().optional(),
    /** Q&A on or off (lib/domain/questions.ts). */
    qa: z.boolean({ error: 'must be true or false' }).optional(),
    /** When comments close: an ISO-8601 time with its offset (the moderator's own zone is fine; it is kept in UTC), or null for never. */
    closesAt: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time with its offset, such as 2026-12-06T18:00:00+01:00' }).nullable().optional(),
  })
  .refine((v) => v.slowModeSeconds !== undefined || v.preModeration !== undefined || v.commentPolicy !== undefined || v.qa !== undefined || v.closesAt !== undefined, {
    message: 'give slowModeSeconds, preModeration, commentPolicy, qa or closesAt',
    path: [''],
  });

/** The site's settings (`GET` and `PUT /api/settings`, admins): who may comment, and the trust rules (docs/moderation.md). */
export const SiteSettingsSchema = z.object({
  commentPolicy: CommentPolicySchema,
  /** A new account's comments are held until this many are published; 0: none. */
  newAccountHold: z.number().int().min(0).max(TRUST_LIMITS.newAccountHold),
  /** This many rejected comments within `rejectionWindowDays` send a person back to review; 0: never. */
  rejections: z.number().int().min(0).max(TRUST_LIMITS.rejections),
  rejectionWindowDays: z.number().int().min(1).max(TRUST_LIMITS.rejectionWindowDays),
});
export const SiteSettingsResponseSchema = z.object({ settings: SiteSettingsSchema });
export const SiteSettingsRequestSchema = SiteSettingsSchema.partial()
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'give at least one setting', path: [''] });

/** `PUT /api/people/<personId>/trusted` and `/shadow-ban` (moderators). */
export const TrustedRequestSchema = z.strictObject({ trusted: z.boolean({ error: 'must be true or false' }) });
export const ShadowBanRequestSchema = z.strictObject({ shadowBanned: z.boolean({ error: 'must be true or false' }) });
/** A person (an account or a guest, by person id) as moderators' word on them stands. */
export const PersonStandingResponseSchema = z.object({ person: z.object({ id: z.string(), trusted: z.boolean(), shadowBanned: z.boolean() }) });
/** A person id in a path: an account's or a guest's id. */
export const PersonIdSchema = z.string().regex(/^[a-z0-9]{1,32}$/, 'a person id');

/** `DELETE /api/threads/<slug>`: what was deleted, as the audit log keeps it. */
export const DeletedThreadSchema = z.object({
  slug: SlugSchema,
  title: z.string(),
  /** Every comment the thread held, whatever its status. */
  comments: z.number().int().min(0),
});
export type DeletedThread = z.infer<typeof DeletedThreadSchema>;

/** `POST /api/threads`: an admin opens a discussion. */
export const CreateThreadRequestSchema = z.strictObject({
  title: withoutControls(z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters')),
  slug: SlugSchema.optional(),
});

export const ReasonSchema = withoutControls(z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(REASON_MAX_LENGTH, `must be at most ${REASON_MAX_LENGTH} characters`));

/**
 * Body of moderator actions on a comment: an optional reason, kept in the audit log; `pin` (feature as an
 * editors' pick) also takes an optional one-line `note`, shown with the pick (any other action refuses one).
 */
export const ModerationActionSchema = z.strictObject({ reason: ReasonSchema.optional(), note: PickNoteSchema.optional() });

/** `POST /api/comments/<id>/report`: a reader flags a comment for the moderators (lib/contract/reports.ts). */
export const ReportRequestSchema = z
  .strictObject({
    category: z.enum(REPORT_CATEGORIES).default('other'),
    reason: ReasonSchema.optional(),
  })
  .refine((r) => r.category !== 'other' || r.reason !== undefined, { path: ['reason'], message: 'must say what is wrong when the category is other' });
/** What a client sends (a category alone, words alone as `other`, or both). */
export type ReportRequest = z.input<typeof ReportRequestSchema>;

/** `POST /api/bans`. */
export const BanRequestSchema = z.strictObject({
  guestId: z.string().regex(/^[a-z0-9]{1,32}$/, 'must be a guest id'),
  /** Omitted: for good. */
  until: z.iso.datetime({ error: 'must be an ISO date-time' }).optional(),
  reason: ReasonSchema,
  /**
   * A guest's ban may also cover its address range: `true`, the range it last posted from (an IPv4 /24,
   * an IPv6 /64), or a range as CIDR (`198.51.100.0/22`). Ignored for an account: its ban holds on every device.
   */
  addressRange: z.union([z.literal(true), z.string().max(64)], { error: 'must be true or a range such as 198.51.100.0/24' }).optional(),
});

export const LoginRequestSchema = z.strictObject({
  username: withoutControls(z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters')),
  password: z.string({ error: 'must be text' }).min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
});

export const UsernameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, '2–32 lowercase letters, digits, ".", "_" or "-"');

export const BannedWordsRequestSchema = z.strictObject({
  words: z.array(withoutControls(z.string().trim().min(1).max(64))).max(1000),
});

/** A comment in the moderators' queue: held or reported, with what a moderator needs to decide. */
export const QueueItemSchema = z.object({
  comment: CommentViewSchema.extend({ body: z.string(), html: z.string(), author: z.object({ name: z.string().nullable(), guestId: z.string().nullable() }) }),
  thread: z.object({ slug: SlugSchema, title: z.string() }),
  heldReason: HeldReasonSchema.nullable(),
  /** Set when the outside spam service could not judge the comment's current text: why not. */
  notChecked: NotCheckedSchema.nullable(),
  /** Open reports, oldest first: a category, and the reader's own words or null. */
  reports: z.array(z.object({ category: z.enum(REPORT_CATEGORIES), reason: z.string().nullable(), createdAt: z.string() })),
  queuedAt: z.string(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

export const MeSchema = z.object({ username: z.string(), role: z.enum(['moderator', 'admin']) });
export type Me = z.infer<typeof MeSchema>;

/** The signed-in person as they see themselves (lib/domain/identity.ts): any role. */
export const AccountSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  role: z.enum(ACCOUNT_ROLES),
  badges: z.array(z.enum(BADGES)),
});
export type Account = z.infer<typeof AccountSchema>;

/**
 * `GET /api/threads/<slug>/viewer`: what is this reader's own on a thread, which a reader page never
 * carries (its HTML is the same for everyone: docs/decisions.md, "Nothing personal in a reader page").
 */
export const ViewerResponseSchema = z.object({
  /** The signed-in moderator or admin, or null. */
  staff: MeSchema.nullable(),
  /** The signed-in person (a commenter or staff), or null for a guest. */
  account: AccountSchema.nullable(),
  /** The reader's visible and held comments on the thread, with their text, newest first (at most 1000). */
  own: z.array(CommentViewSchema),
  /** The visible comments of the thread this reader likes. */
  liked: z.array(CommentIdSchema),
});
export type ViewerResponse = z.infer<typeof ViewerResponseSchema>;

/** `?frame=1`: asked from the embed's frame, so a guest cookie it sets must work in a cross-site frame. */
export const ViewerQuerySchema = z.object({ frame: z.literal('1').optional() });

/**
 * `POST /api/auth/sso`: the host site's signed word who is signed in there (docs/security.md, "The
 * site's sign-in token"), or `null`: nobody is (a session the host's token opened ends).
 */
export const SsoSignInRequestSchema = z.object({ token: z.string().min(1).max(SSO_TOKEN_MAX).nullable() });
/** `?frame=1`: from the embed's frame, so the session cookie works in a cross-site frame. */
export const SsoSignInQuerySchema = ViewerQuerySchema;
export const SsoSignInResponseSchema = z.object({
  /** Who is signed in now on this browser (null: nobody). */
  account: AccountSchema.nullable(),
  /** The session changed (another person, or signed out): a page re-reads what is the reader's own and reconnects. */
  changed: z.boolean(),
});
export type SsoSignInResponse = z.infer<typeof SsoSignInResponseSchema>;
