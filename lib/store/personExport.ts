import type { Kysely } from 'kysely';
import type { SignInMethod } from '../domain/identity';
import { userFromRow, withoutHash } from './accountStore';
import { readNoticeSettings, type NoticeSettingsExport } from './notificationStore';
import type { Database } from './schema';

/**
 * Everything the database holds about one person (issue 16.4, "download everything about them"):
 * their account, the sign-in methods linked to it (no secrets: there are none in `identities`;
 * a password's hash stays out), their sessions, their comments in every status with their text,
 * their likes, the reports they made and the bans on them.
 */
export interface PersonExport {
  account: { id: string; displayName: string; email: string | null; emailVerifiedAt: string | null; role: string; badges: string[]; trusted: boolean; createdAt: string };
  signInMethods: { method: SignInMethod; provider: string; subject: string; email: string | null; createdAt: string; lastUsedAt: string }[];
  sessions: { id: string; method: string | null; userAgent: string | null; createdAt: string; lastSeenAt: string | null; expiresAt: string; revokedAt: string | null }[];
  comments: {
    id: string;
    thread: { slug: string; title: string };
    parentId: string | null;
    status: string;
    authorName: string | null;
    body: string;
    createdAt: string | null;
    editedAt: string | null;
    likes: number;
  }[];
  likes: { commentId: string; thread: { slug: string; title: string }; createdAt: string }[];
  reports: { id: string; commentId: string; thread: { slug: string; title: string }; category: string; reason: string; createdAt: string; resolvedAt: string | null; resolution: string | null }[];
  bans: { id: string; reason: string; until: string | null; createdAt: string; liftedAt: string | null }[];
  /** Whom they muted and the threads they follow or blocked (issue 17). */
  noticeSettings: NoticeSettingsExport;
}

/** The person's export, or undefined when no account has that id. */
export async function readPersonExport(db: Kysely<Database>, userId: string): Promise<PersonExport | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!row) return undefined;
  const user = withoutHash(userFromRow(row));
  const [identities, sessions, comments, likes, reports, bans, noticeSettings] = await Promise.all([
    db.selectFrom('identities').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
    db
      .selectFrom('comments as c')
      .innerJoin('threads as t', 't.id', 'c.thread_id')
      .select(['c.id', 'c.parent_id', 'c.status', 'c.author_name', 'c.body', 'c.created_at', 'c.edited_at', 'c.likes', 't.slug', 't.title'])
      .where('c.author_guest_id', '=', userId)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute(),
    db
      .selectFrom('reactions as r')
      .innerJoin('comments as c', 'c.id', 'r.comment_id')
      .innerJoin('threads as t', 't.id', 'c.thread_id')
      .select(['r.comment_id', 'r.created_at', 't.slug', 't.title'])
      .where('r.guest_id', '=', userId)
      .orderBy('r.created_at')
      .execute(),
    db
      .selectFrom('reports as r')
      .innerJoin('threads as t', 't.id', 'r.thread_id')
      .select(['r.id', 'r.comment_id', 'r.category', 'r.reason', 'r.created_at', 'r.resolved_at', 'r.resolution', 't.slug', 't.title'])
      .where('r.guest_id', '=', userId)
      .orderBy('r.created_at')
      .execute(),
    db.selectFrom('bans').selectAll().where('guest_id', '=', userId).orderBy('created_at').execute(),
    readNoticeSettings(db, userId),
  ]);
  return {
    account: {
      id: user.id,
      displayName: user.displayName,
      email: user.email,
      emailVerifiedAt: user.emailVerifiedAt,
      role: user.role,
      badges: user.badges,
      trusted: user.trusted,
      createdAt: user.createdAt,
    },
    signInMethods: identities.map((i) => ({ method: i.method as SignInMethod, provider: i.provider, subject: i.subject, email: i.email, createdAt: i.created_at, lastUsedAt: i.last_used_at })),
    sessions: sessions.map((s) => ({ id: s.id, method: s.method, userAgent: s.user_agent, createdAt: s.created_at, lastSeenAt: s.last_seen_at, expiresAt: s.expires_at, revokedAt: s.revoked_at })),
    comments: comments.map((c) => ({
      id: c.id,
      thread: { slug: c.slug, title: c.title },
      parentId: c.parent_id,
      status: c.status,
      authorName: c.author_name,
      body: c.body,
      createdAt: c.created_at,
      editedAt: c.edited_at,
      likes: Number(c.likes),
    })),
    likes: likes.map((l) => ({ commentId: l.comment_id, thread: { slug: l.slug, title: l.title }, createdAt: l.created_at })),
    reports: reports.map((r) => ({
      id: r.id,
      commentId: r.comment_id,
      thread: { slug: r.slug, title: r.title },
      category: r.category,
      reason: r.reason,
      createdAt: r.created_at,
      resolvedAt: r.resolved_at,
      resolution: r.resolution,
    })),
    bans: bans.map((b) => ({ id: b.id, reason: b.reason, until: b.until, createdAt: b.created_at, liftedAt: b.lifted_at })),
    noticeSettings,
  };
}
