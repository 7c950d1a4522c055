import readline from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { COMMENT_STATUSES, HELD_REASONS, PickNoteSchema } from '../contract/api';
import { ACCOUNT_ROLES, BADGES, SIGN_IN_METHODS } from '../domain/identity';
import { EMAIL_CHOICES, EMAIL_CHOICES_BY_KIND, EMAIL_KINDS, THREAD_WATCH_MODES } from '../domain/notifications';
import type { ExportedMapping } from '../store/importStore';
import { PERSON_ROW_KINDS, type PersonRow, type PersonRowKind, type PersonRows } from '../store/peopleTransfer';
import type { Store } from '../store/store';
import { ROLES } from '../store/accountStore';
import type { SourceRecord } from './records';
import { ImportFileError } from './xmlElements';

/**
 * Threadline's own export: JSON Lines, one record per line, so both writing and reading
 * stream (a JSON array of a million comments would have to be held whole by JSON.parse).
 * The first line is a header naming the format and version. Comments follow their thread,
 * by seq, so a parent always comes before its replies. Ids are kept, so an export imported
 * into an empty store and exported again gives the same lines.
 */
export const THREADLINE_SOURCE = 'threadline';
/**
 * 2: every account (commenters too) and what hangs off a person, likes included, and comments' mentions. 1 is still read.
 * Issue 19's state (a thread's `qa` and `closesAt`, a comment's `pick` and `answerId`) came later as optional
 * fields of format 2, not a format 3: a reader that does not know them drops them (zod strips unknown keys) and
 * imports the rest as before, and this reader takes their absence as "off" and "none" (docs/import.md).
 */
const THREADLINE_VERSION = 2;
const READABLE_VERSIONS = [1, 2] as const;

const COMMENTS_PAGE = 1000;

const time = z.iso.datetime({ offset: true });
const nonEmpty = z.string().min(1);
const HeaderLine = z.object({ type: z.literal('header'), format: z.literal('threadline'), version: z.literal(READABLE_VERSIONS) });
const ThreadLine = z.object({
  type: z.literal('thread'),
  id: z.string().min(1),
  slug: z.string().min(1),
  title: z.string().min(1),
  article: z.string(),
  locked: z.boolean(),
  source: z.string().nullable(),
  createdAt: time,
  slowModeSeconds: z.number().int().min(0),
  preModeration: z.boolean(),
  /** Since issue 14.3; exports made before have none. */
  articleUrl: z.string().min(1).nullable().optional(),
  // Exports from before hiding (migration 0013) have no `hidden`.
  hidden: z.boolean().default(false),
  /** Issue 19 (migrations 0030, 0031): Q&A on, and when comments close; exports made before have neither. */
  qa: z.boolean().default(false),
  closesAt: time.nullable().default(null),
});
const CommentLine = z.object({
  type: z.literal('comment'),
  id: z.string().min(1),
  threadId: z.string().min(1),
  parentId: z.string().min(1).nullable(),
  status: z.enum(COMMENT_STATUSES),
  authorName: z.string().nullable(),
  authorGuestId: z.string().nullable(),
  clientId: z.string().nullable(),
  body: z.string(),
  createdAt: time.nullable(),
  editedAt: time.nullable(),
  locked: z.boolean(),
  pinned: z.boolean(),
  heldReason: z.enum(HELD_REASONS).nullable(),
  /** The accounts its `@Name`s resolved to (since format 2; none in format 1). */
  mentions: z.array(z.object({ id: z.string().min(1), name: z.string() })).default([]),
  /** An editors' pick's note and time (issue 19, migration 0029): absent on a comment never featured, and in exports made before. */
  pick: z.object({ note: PickNoteSchema.nullable(), at: time.nullable() }).optional(),
  /** On a question, the id of the reply that answers it (issue 19, migration 0030): absent while open, and in exports made before. */
  answerId: nonEmpty.nullable().optional(),
});
const BannedWordLine = z.object({ type: z.literal('bannedWord'), word: z.string().min(1) });
const BanLine = z.object({
  type: z.literal('ban'),
  id: z.string().min(1),
  guestId: z.string().min(1),
  reason: z.string(),
  until: time.nullable(),
  createdBy: z.string(),
  createdAt: time,
  liftedAt: time.nullable(),
});
const UserLine = z.object({ type: z.literal('user'), username: z.string().min(1), role: z.enum(ROLES), createdAt: time, removedAt: time.nullable() });
const MappingLine = z.object({
  type: z.literal('importSource'),
  source: z.string().min(1),
  kind: z.enum(['thread', 'comment']),
  externalId: z.string().min(1),
  targetId: z.string().min(1),
});

/** Format 2's people: one line type per kind of lib/store/peopleTransfer.ts, its fields as there. */
const AccountLine = z.object({
  type: z.literal('account'),
  id: nonEmpty,
  username: nonEmpty,
  displayName: z.string().min(1).max(200),
  role: z.enum(ACCOUNT_ROLES),
  email: z.string().min(1).nullable(),
  emailVerifiedAt: time.nullable(),
  // A badge this version does not know (one from a newer server) is left out, as a stored one would be.
  badges: z.array(z.string()).transform((list) => BADGES.filter((b) => list.includes(b))),
  trusted: z.boolean(),
  shadowBanned: z.boolean(),
  createdAt: time,
  removedAt: time.nullable(),
});
const IdentityLine = z.object({ type: z.literal('identity'), userId: nonEmpty, provider: nonEmpty, subject: nonEmpty, method: z.enum(SIGN_IN_METHODS), email: z.string().min(1).nullable(), createdAt: time, lastUsedAt: time });
const StandingLine = z.object({ type: z.literal('standing'), personId: nonEmpty, trusted: z.boolean(), shadowBanned: z.boolean(), trustedSince: time.nullable(), updatedAt: time });
const NoteLine = z.object({ type: z.literal('note'), id: nonEmpty, personId: nonEmpty, authorId: nonEmpty.nullable(), authorName: z.string(), text: z.string(), createdAt: time });
const MuteLine = z.object({ type: z.literal('mute'), ownerId: nonEmpty, mutedId: nonEmpty, createdAt: time });
const WatchLine = z.object({ type: z.literal('watch'), ownerId: nonEmpty, threadId: nonEmpty, mode: z.enum(THREAD_WATCH_MODES), createdAt: time });
const PreferenceLine = z
  .object({ type: z.literal('preference'), userId: nonEmpty, kind: z.enum(EMAIL_KINDS), choice: z.enum(EMAIL_CHOICES), updatedAt: time })
  .refine((p) => EMAIL_CHOICES_BY_KIND[p.kind].includes(p.choice), { message: 'is not a choice for that kind of mail', path: ['choice'] });
const LikeLine = z.object({ type: z.literal('like'), commentId: nonEmpty, personId: nonEmpty, createdAt: time });

const RecordLine = z.discriminatedUnion('type', [
  ThreadLine,
  CommentLine,
  BannedWordLine,
  BanLine,
  UserLine,
  MappingLine,
  AccountLine,
  IdentityLine,
  StandingLine,
  NoteLine,
  MuteLine,
  WatchLine,
  PreferenceLine,
  LikeLine,
]);
const MAPPINGS_PAGE = 1000;
const PEOPLE_PAGE = 1000;

export interface ExportOptions {
  /**
   * False leaves out every email address and the sign-in links (an email sign-in's subject is
   * its address): for a copy that leaves the newsroom's hands. Its accounts cannot be signed in
   * to again after a move. Default true (docs/decisions.md, "Likes and badges round-trip").
   */
  addresses?: boolean;
}

/**
 * Every line of the export, in order. Accounts are exported without their password
 * hashes (docs/import.md): an export is a file that gets copied around.
 */
export async function* exportLines(store: Store, options: ExportOptions = {}): AsyncGenerator<string> {
  const addresses = options.addresses ?? true;
  yield JSON.stringify({ type: 'header', format: 'threadline', version: THREADLINE_VERSION });
  for (const t of await store.imports.listThreadsForExport()) {
    const { id, slug, title, article, locked, source, createdAt, slowModeSeconds, preModeration, articleUrl, hidden, qa, closesAt } = t;
    yield JSON.stringify({ type: 'thread', id, slug, title, article, locked, source, createdAt, slowModeSeconds, preModeration, articleUrl, hidden, qa, closesAt });
    for (let afterSeq = 0; ; ) {
      const page = await store.imports.commentsPage({ threadId: t.id, afterSeq, limit: COMMENTS_PAGE });
      for (const c of page) {
        const { id, threadId, parentId, status, authorName, authorGuestId, clientId, body, createdAt, editedAt, locked, pinned, heldReason } = c;
        // Not `likes`: the count follows from the `like` lines, and an import keeps it equal to them.
        const mentions = c.mentions ?? [];
        // Only where there is one: the lines of comments never picked nor answered stay as they were.
        const answerId = c.answerId ?? undefined;
        yield JSON.stringify({ type: 'comment', id, threadId, parentId, status, authorName, authorGuestId, clientId, body, createdAt, editedAt, locked, pinned, heldReason, mentions, pick: c.pick, answerId });
      }
      if (page.length < COMMENTS_PAGE) break;
      afterSeq = page.at(-1)!.seq;
    }
  }
  for (const word of await store.moderation.listBannedWords()) yield JSON.stringify({ type: 'bannedWord', word });
  for (const ban of await store.imports.listBans()) yield JSON.stringify({ type: 'ban', ...ban });
  // Format 2 has every account as an `account` line (format 1's `user` lines named staff alone).
  for (const kind of PERSON_ROW_KINDS) {
    if (kind === 'identity' && !addresses) continue;
    for (let after: PersonRows[PersonRowKind] | null = null; ; ) {
      const page: PersonRows[PersonRowKind][] = await store.imports.personRowsPage({ kind, after, limit: PEOPLE_PAGE });
      for (const value of page) {
        const row = { kind, value } as PersonRow;
        if (row.kind === 'account' && !addresses) Object.assign(row.value, { email: null, emailVerifiedAt: null });
        // A stored choice that no longer means anything is ignored where it is read (lib/store/mailStore.ts): not carried over.
        if (row.kind === 'preference' && !(EMAIL_CHOICES_BY_KIND[row.value.kind] ?? []).includes(row.value.choice)) continue;
        yield JSON.stringify({ type: kind, ...row.value });
      }
      if (page.length < PEOPLE_PAGE) break;
      after = page.at(-1)!;
    }
  }
  // What earlier Disqus and WordPress imports mapped, so importing those files again after a move adds nothing.
  for (let after: ExportedMapping | null = null; ; ) {
    const page = await store.imports.mappingsPage({ after, except: THREADLINE_SOURCE, limit: MAPPINGS_PAGE });
    for (const m of page) yield JSON.stringify({ type: 'importSource', ...m });
    if (page.length < MAPPINGS_PAGE) break;
    after = page.at(-1)!;
  }
}

/** A Threadline export read line by line as records; a line that is not a valid record is skipped as malformed. */
export async function* readThreadline(options: { input: AsyncIterable<string | Buffer>; fileName: string }): AsyncGenerator<SourceRecord> {
  const input = options.input instanceof Readable ? options.input : Readable.from(options.input);
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    yield* readLines();
  } finally {
    lines.close();
  }
  if (line === 0) throw new ImportFileError(`${options.fileName} is empty`, undefined);

  async function* readLines(): AsyncGenerator<SourceRecord> {
    for await (const text of lines) {
      line++;
      if (line === 1) {
        if (!HeaderLine.safeParse(safeJson(text)).success) {
          throw new ImportFileError(
            `${options.fileName}:1: not a Threadline export (the first line must be {"type":"header","format":"threadline","version":${THREADLINE_VERSION}}, or version ${READABLE_VERSIONS.filter((v) => v !== THREADLINE_VERSION).join(' or ')})`,
            1,
          );
        }
        continue;
      }
      if (!text.trim()) continue;
      const parsed = RecordLine.safeParse(safeJson(text));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        yield { kind: 'skip', line, reason: 'malformed', detail: `line ${line}: ${issue ? `${issue.path.join('.') || 'record'} ${issue.message}` : 'not a record'}` };
        continue;
      }
      const r = parsed.data;
      switch (r.type) {
        case 'thread':
          yield { kind: 'thread', line, externalId: r.id, id: r.id, slug: r.slug, title: r.title, article: r.article, createdAt: r.createdAt, locked: r.locked, slowModeSeconds: r.slowModeSeconds, preModeration: r.preModeration, hidden: r.hidden, threadSource: r.source, articleUrl: r.articleUrl ?? null, qa: r.qa, closesAt: r.closesAt };
          break;
        case 'comment': {
          const { type: _type, id, threadId, parentId, answerId, ...content } = r;
          yield { kind: 'comment', line, externalId: id, id, threadExternalId: threadId, parentExternalId: parentId, ...content, ...(answerId != null && { answerExternalId: answerId }) };
          break;
        }
        case 'bannedWord':
          yield { kind: 'bannedWord', line, word: r.word };
          break;
        case 'ban': {
          const { type: _type, ...ban } = r;
          yield { kind: 'ban', line, ...ban };
          break;
        }
        case 'user':
          yield { kind: 'user', line, username: r.username, role: r.role, createdAt: r.createdAt, removedAt: r.removedAt };
          break;
        case 'importSource':
          yield { kind: 'mapping', line, mapping: { source: r.source, kind: r.kind, externalId: r.externalId, targetId: r.targetId } };
          break;
        default: {
          const { type, ...value } = r;
          yield { kind: 'personRow', line, row: { kind: type, value } as PersonRow };
          break;
        }
      }
    }
    }
  }

  function safeJson(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
  }
}
