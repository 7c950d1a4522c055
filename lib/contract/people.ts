import { CommentViewSchema, PersonIdSchema, SlugSchema, withoutControls } from './api';
import { REPORT_CATEGORIES } from './reports';
import { ACCOUNT_ROLES, BADGES, SIGN_IN_METHODS } from '../domain/identity';
import { z } from './zod';

/** One entry of the audit log (lib/store/moderationStore.ts AuditRecord), as the API sends it. */
export const AuditRecordSchema = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  threadId: z.string().nullable(),
  commentId: z.string().nullable(),
  target: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

/** A person id in a path (defined with the rest of the API's ids, lib/contract/api.ts). */
export { PersonIdSchema };

/** `POST /api/people/:personId/notes`. */
export const PersonNoteRequestSchema = z.strictObject({
  text: withoutControls(z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters')),
});

/** `PUT /api/people/:personId/badges`. */
export const BadgesRequestSchema = z.strictObject({
  badges: z.array(z.enum(BADGES, { error: `must be one of ${BADGES.join(', ')}` })).max(BADGES.length),
});

/** `GET /api/people/:personId?before=&limit=`. */
export const PersonPageQuerySchema = z.object({
  before: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a cursor returned as next').optional(),
  limit: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
});

export const PersonNoteSchema = z.object({
  id: z.string(),
  personId: z.string(),
  authorId: z.string().nullable(),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.string(),
});
export type PersonNoteView = z.infer<typeof PersonNoteSchema>;

/** A ban as `POST /api/bans` answers it. */
export const BanSchema = z.object({
  id: z.string(),
  guestId: z.string(),
  reason: z.string(),
  until: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** The address range the ban also covers (guests only), as CIDR; null: the person alone. */
  addressRange: z.string().nullable(),
});

/** A ban on a person's page: whether it was lifted, and whether it holds now. */
export const PersonBanSchema = BanSchema.extend({
  liftedAt: z.string().nullable(),
  inForce: z.boolean(),
});

export const PersonPageSchema = z.object({
  person: z.object({
    id: z.string(),
    kind: z.enum(['account', 'guest']),
    displayName: z.string().nullable(),
    /** Null for a guest. */
    role: z.enum(ACCOUNT_ROLES).nullable(),
    badges: z.array(z.enum(BADGES)),
    trusted: z.boolean(),
    shadowBanned: z.boolean(),
    email: z.string().nullable(),
    createdAt: z.string().nullable(),
    removedAt: z.string().nullable(),
    /** Live sessions of an account; null for a guest. */
    sessions: z.number().int().min(0).nullable(),
    /** Whether a guest's address is known, so its range can be banned (the address itself is never shown). */
    addressKnown: z.boolean(),
    /** The sign-in methods linked to an account: no secrets. */
    methods: z.array(z.object({ method: z.enum(SIGN_IN_METHODS), provider: z.string(), email: z.string().nullable(), createdAt: z.string(), lastUsedAt: z.string() })),
  }),
  comments: z.object({
    items: z.array(z.object({ comment: CommentViewSchema, thread: z.object({ slug: SlugSchema, title: z.string() }) })),
    /** Every comment of theirs, by status. */
    counts: z.record(z.string(), z.number().int().min(0)),
    /** `?before=` for the next (older) page, or null. */
    next: z.string().nullable(),
  }),
  reports: z.array(
    z.object({ commentId: z.string(), category: z.enum(REPORT_CATEGORIES), reason: z.string().nullable(), createdAt: z.string(), resolution: z.string().nullable(), resolvedAt: z.string().nullable() }),
  ),
  /** Audit entries about them or their comments, newest first. */
  actions: z.array(AuditRecordSchema),
  bans: z.array(PersonBanSchema),
  notes: z.array(PersonNoteSchema),
});
export type PersonPage = z.infer<typeof PersonPageSchema>;
