import { AuthorNameSchema } from './api';
import { z } from './zod';
import { ACCOUNT_ROLES, BADGES, SIGN_IN_METHODS } from '../domain/identity';

/** A person's own data (docs/api.md, "Your own data"): the shapes of /api/me/… and of the admins' /api/people/…. */

/** `PUT /api/me/name`: the naming rules of a guest's name (lib/contract/api.ts AuthorNameSchema). */
export const RenameRequestSchema = z.strictObject({ displayName: AuthorNameSchema });

/** `DELETE /api/me`: the person types their display name, as it is now, to say they mean it. */
export const DeleteAccountRequestSchema = z.strictObject({ confirm: z.string({ error: 'must be text' }).max(200) });

export const OwnAccountSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: z.enum(ACCOUNT_ROLES),
  badges: z.array(z.enum(BADGES)),
  createdAt: z.string(),
});
export type OwnAccount = z.infer<typeof OwnAccountSchema>;

export const SessionViewSchema = z.object({
  id: z.string(),
  method: z.enum(SIGN_IN_METHODS).nullable(),
  browser: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  current: z.boolean(),
});
export type SessionViewWire = z.infer<typeof SessionViewSchema>;

export const SessionsResponseSchema = z.object({ sessions: z.array(SessionViewSchema) });
export const SignedOutSchema = z.object({ signedOut: z.number().int() });
export const OwnAccountResponseSchema = z.object({ account: OwnAccountSchema });
/** What this browser's guest wrote, offered to claim after signing in. */
export const GuestCommentsSchema = z.object({ comments: z.number().int() });
export const ClaimResponseSchema = z.object({ comments: z.number().int(), likes: z.number().int(), reports: z.number().int() });

const ThreadRef = z.object({ slug: z.string(), title: z.string() });

/** `GET /api/me/export` (and an admin's `GET /api/people/<id>/export`): lib/store/personExport.ts. */
export const PersonExportSchema = z.object({
  account: OwnAccountSchema.omit({ role: true, badges: true }).extend({ role: z.string(), badges: z.array(z.string()), emailVerifiedAt: z.string().nullable(), trusted: z.boolean() }),
  signInMethods: z.array(z.object({ method: z.string(), provider: z.string(), subject: z.string(), email: z.string().nullable(), createdAt: z.string(), lastUsedAt: z.string() })),
  sessions: z.array(
    z.object({ id: z.string(), method: z.string().nullable(), userAgent: z.string().nullable(), createdAt: z.string(), lastSeenAt: z.string().nullable(), expiresAt: z.string(), revokedAt: z.string().nullable() }),
  ),
  comments: z.array(
    z.object({
      id: z.string(),
      thread: ThreadRef,
      parentId: z.string().nullable(),
      status: z.string(),
      authorName: z.string().nullable(),
      body: z.string(),
      createdAt: z.string().nullable(),
      editedAt: z.string().nullable(),
      likes: z.number(),
    }),
  ),
  likes: z.array(z.object({ commentId: z.string(), thread: ThreadRef, createdAt: z.string() })),
  reports: z.array(
    z.object({ id: z.string(), commentId: z.string(), thread: ThreadRef, category: z.string(), reason: z.string(), createdAt: z.string(), resolvedAt: z.string().nullable(), resolution: z.string().nullable() }),
  ),
  bans: z.array(z.object({ id: z.string(), reason: z.string(), until: z.string().nullable(), createdAt: z.string(), liftedAt: z.string().nullable() })),
  noticeSettings: z.object({
    mutes: z.array(z.object({ personId: z.string(), displayName: z.string().nullable(), createdAt: z.string() })),
    threadWatches: z.array(z.object({ thread: ThreadRef, mode: z.string(), createdAt: z.string() })),
  }),
});
