import readline from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { COMMENT_STATUSES, HELD_REASONS } from '../contract/api';
import type { ExportedMapping } from '../store/importStore';
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
const THREADLINE_VERSION = 1;

const COMMENTS_PAGE = 1000;

const time = z.iso.datetime({ offset: true });
const HeaderLine = z.object({ type: z.literal('header'), format: z.literal('threadline'), version: z.literal(THREADLINE_VERSION) });
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
const RecordLine = z.discriminatedUnion('type', [ThreadLine, CommentLine, BannedWordLine, BanLine, UserLine, MappingLine]);
const MAPPINGS_PAGE = 1000;

/**
 * Every line of the export, in order. Staff accounts are exported without their password
 * hashes (docs/import.md): an export is a file that gets copied around.
 */
export async function* exportLines(store: Store): AsyncGenerator<string> {
  yield JSON.stringify({ type: 'header', format: 'threadline', version: THREADLINE_VERSION });
  for (const t of await store.imports.listThreadsForExport()) {
    const { id, slug, title, article, locked, source, createdAt, slowModeSeconds, preModeration, articleUrl, hidden } = t;
    yield JSON.stringify({ type: 'thread', id, slug, title, article, locked, source, createdAt, slowModeSeconds, preModeration, articleUrl, hidden });
    for (let afterSeq = 0; ; ) {
      const page = await store.imports.commentsPage({ threadId: t.id, afterSeq, limit: COMMENTS_PAGE });
      for (const c of page) {
        const { id, threadId, parentId, status, authorName, authorGuestId, clientId, body, createdAt, editedAt, locked, pinned, heldReason } = c;
        yield JSON.stringify({ type: 'comment', id, threadId, parentId, status, authorName, authorGuestId, clientId, body, createdAt, editedAt, locked, pinned, heldReason });
      }
      if (page.length < COMMENTS_PAGE) break;
      afterSeq = page.at(-1)!.seq;
    }
  }
  for (const word of await store.moderation.listBannedWords()) yield JSON.stringify({ type: 'bannedWord', word });
  for (const ban of await store.imports.listBans()) yield JSON.stringify({ type: 'ban', ...ban });
  for (const { username, role, createdAt, removedAt } of await store.accounts.listUsers()) yield JSON.stringify({ type: 'user', username, role, createdAt, removedAt });
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
          throw new ImportFileError(`${options.fileName}:1: not a Threadline export (the first line must be {"type":"header","format":"threadline","version":${THREADLINE_VERSION}})`, 1);
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
          yield { kind: 'thread', line, externalId: r.id, id: r.id, slug: r.slug, title: r.title, article: r.article, createdAt: r.createdAt, locked: r.locked, slowModeSeconds: r.slowModeSeconds, preModeration: r.preModeration, hidden: r.hidden, threadSource: r.source, articleUrl: r.articleUrl ?? null };
          break;
        case 'comment': {
          const { type: _type, id, threadId, parentId, ...content } = r;
          yield { kind: 'comment', line, externalId: id, id, threadExternalId: threadId, parentExternalId: parentId, ...content };
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
