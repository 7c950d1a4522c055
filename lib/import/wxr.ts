import { createHash } from 'node:crypto';
import type { CommentStatus } from '../domain/types';
import { parseTime, type SourceComment, type SourceRecord, type SourceSkip, type SourceSkippedThread, type SourceThread } from './records';
import { importedArticleUrl, importedSlug } from './threadSlug';
import { wordpressCommentToMarkdown } from './wordpressText';
import { streamElements, type FlatElement } from './xmlElements';

/** WordPress's `comment_approved`: spam and trash are kept, removed (seen by no reader). */
const STATUSES: Record<string, CommentStatus> = { '1': 'visible', approve: 'visible', '0': 'pending', hold: 'pending', spam: 'removed', trash: 'removed', 'post-trashed': 'removed' };
/** Items that are articles; attachments, menu items and the like carry no discussion. */
const ARTICLE_TYPES = new Set(['post', 'page']);
/** Why a post's `wp:status` keeps it from readers, in the report's words; any status but `publish` does. */
const NOT_PUBLIC_STATUSES: Record<string, string> = { draft: 'a draft', 'auto-draft': 'a draft', future: 'scheduled', pending: 'pending review', private: 'private', trash: 'in the trash' };

/** What becomes of a post that is not public at the source, and its comments: skipped (the default) or imported as a hidden thread. */
export const NOT_PUBLIC_CHOICES = ['skip', 'hide'] as const;
export type NotPublicChoice = (typeof NOT_PUBLIC_CHOICES)[number];

/** The channel's fields read before its first item: the site's address, the export's time, and what names a site that gives no address. */
const CHANNEL_FIELDS = new Set(['link', 'title', 'description', 'language', 'pubDate', 'wp:base_blog_url', 'wp:base_site_url']);
const AUTHOR_FIELDS = new Set(['wp:author_login', 'wp:author_email']);

export interface WxrOptions {
  input: AsyncIterable<string | Buffer>;
  fileName: string;
  notPublic?: NotPublicChoice;
  /** Names the site (its address, or any name) when the file does not, or instead of what it says (`--source`). */
  source?: string;
}

/**
 * A WordPress WXR export (RSS with the `wp:` namespace), read as a stream of records:
 * each post or page `<item>` is a thread, each `<wp:comment>` inside it a comment. The
 * thread is emitted when its first comment starts, so an item's comments are never held.
 */
export function readWxr(options: WxrOptions): AsyncGenerator<SourceRecord> {
  return streamElements<SourceRecord>({
    input: options.input,
    fileName: options.fileName,
    root: { name: 'rss', format: 'a WordPress WXR export' },
    warning: (line, message) => ({ kind: 'warning', line, message }),
    handlers: (emit) => {
      const channel = new Map<string, string>();
      const authors: string[] = [];
      let sourceSent = false;
      /** The export's time (the channel's pubDate: when WordPress wrote the file), for comments with no date. */
      let exportedAt: string | undefined;
      // WordPress comment ids are unique per site only: the site names the source (docs/import.md, "Idempotence").
      const sendSource = (item: FlatElement) => {
        if (sourceSent) return;
        sourceSent = true;
        exportedAt = parseRssTime(channel.get('pubDate'));
        const named = options.source?.trim() || channel.get('link') || channel.get('wp:base_blog_url');
        if (named) {
          emit({ kind: 'source', source: `wxr:${named.replace(/\/+$/, '')}` });
          return;
        }
        // No address: a name made of what this file says of its site, the same every time this file is read.
        const parts = [...['title', 'description', 'language'].map((k) => channel.get(k) ?? ''), ...authors, ...['wp:post_id', 'guid', 'wp:post_date_gmt'].map((k) => field(item, k) ?? '')];
        const source = `wxr:#${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)}`;
        emit({ kind: 'source', source });
        emit({
          kind: 'warning',
          line: item.line,
          message: `${options.fileName} names no site address (<channel><link>, wp:base_blog_url): its ids are kept apart as ${source}, the same each time this file is imported; to import another export of the same site into the same ids, name the site with --source ADDRESS for both`,
        });
      };
      /** Items whose thread record has been emitted (or refused). */
      const done = new WeakSet<FlatElement>();
      const sendThread = (item: FlatElement) => {
        if (done.has(item)) return;
        done.add(item);
        sendSource(item);
        const thread = wxrThread(item, options.notPublic ?? 'skip');
        if (!thread) return;
        emit(thread);
        if (thread.kind === 'thread' && thread.hidden) {
          emit({ kind: 'warning', line: item.line, message: `post ${thread.externalId} "${thread.title.slice(0, 80)}" is ${notPublicWhy(item)}: imported as a hidden thread (an admin can publish it)` });
        }
      };
      return {
        collect: (path) =>
          (path.length === 3 && path[0] === 'rss' && path[1] === 'channel' && path[2] === 'item') || (path.length === 4 && path[2] === 'item' && path[3] === 'wp:comment'),
        text(path, text) {
          if (sourceSent || path[1] !== 'channel') return;
          if (path.length === 3 && CHANNEL_FIELDS.has(path[2]!)) channel.set(path[2]!, text.trim());
          else if (path.length === 4 && path[2] === 'wp:author' && AUTHOR_FIELDS.has(path[3]!)) authors.push(text.trim());
        },
        opened(element, parents) {
          if (element.name === 'wp:comment' && parents[0]) sendThread(parents[0]);
        },
        closed(element, parents) {
          if (element.name === 'item') sendThread(element);
          else if (parents[0]) emit(wxrComment(element, parents[0], exportedAt));
        },
      };
    },
  });
}

const field = (element: FlatElement, key: string): string | undefined => {
  const value = element.fields.get(key)?.trim();
  return value ? value : undefined;
};

function malformed(element: FlatElement, detail: string): SourceSkip {
  return { kind: 'skip', line: element.line, reason: 'malformed', detail: `${element.name} at line ${element.line}: ${detail}` };
}

/** Why readers cannot see the post (password-protected, a draft, scheduled…), or undefined when it is public. */
function notPublicWhy(item: FlatElement): string | undefined {
  const status = field(item, 'wp:status') ?? 'publish';
  const reasons = [status === 'publish' ? undefined : (NOT_PUBLIC_STATUSES[status] ?? `of status "${status}"`), field(item, 'wp:post_password') ? 'password-protected' : undefined];
  const why = reasons.filter(Boolean).join(' and ');
  return why || undefined;
}

function wxrThread(item: FlatElement, notPublic: NotPublicChoice): SourceThread | SourceSkip | SourceSkippedThread | undefined {
  const type = field(item, 'wp:post_type') ?? 'post';
  if (!ARTICLE_TYPES.has(type)) return undefined;
  const id = field(item, 'wp:post_id');
  if (!id) return malformed(item, 'no wp:post_id');
  const link = field(item, 'link');
  const title = field(item, 'title') ?? link ?? `Post ${id}`;
  const why = notPublicWhy(item);
  if (why && notPublic === 'skip') {
    return { kind: 'skippedThread', line: item.line, externalId: id, reason: 'not_public', detail: `post ${id} "${title.slice(0, 80)}" is ${why}: not imported, nor its comments (--not-public hide imports them as a hidden thread)` };
  }
  return {
    kind: 'thread',
    line: item.line,
    externalId: id,
    slug: importedSlug({ name: field(item, 'wp:post_name'), link, title: field(item, 'title'), fallback: `post-${id}` }),
    articleUrl: importedArticleUrl(link),
    ...(why !== undefined && { hidden: true }),
    title: title.slice(0, 300),
    article: '',
    createdAt: threadTime(item) ?? null,
    locked: field(item, 'wp:comment_status') === 'closed',
    slowModeSeconds: 0,
    preModeration: false,
  };
}

function wxrComment(element: FlatElement, item: FlatElement, exportedAt: string | undefined): SourceComment | SourceSkip {
  const id = field(element, 'wp:comment_id');
  if (!id) return malformed(element, 'no wp:comment_id');
  const type = field(element, 'wp:comment_type') ?? 'comment';
  if (type !== 'comment') return { kind: 'skip', line: element.line, reason: 'not_a_comment', detail: `comment ${id} is a ${type}` };
  const thread = field(item, 'wp:post_id');
  if (!thread) return malformed(element, `comment ${id} is in an item with no wp:post_id`);
  const approved = field(element, 'wp:comment_approved') ?? '1';
  const status = STATUSES[approved];
  if (!status) return malformed(element, `comment ${id} has an unknown comment_approved "${approved}"`);
  // Old WordPress comments may have a zero GMT date; their local date is then taken as UTC.
  const dates = [field(element, 'wp:comment_date_gmt'), field(element, 'wp:comment_date')];
  let createdAt = parseTime(dates[0]) ?? parseTime(dates[1]);
  // No date at all (absent, or WordPress's zero date): the export's time, else the post's, else now, and flagged.
  // A date that is there but unreadable is a damaged record, not a missing date.
  const undated = !createdAt && dates.every((d) => d === undefined || ZERO_DATE.test(d));
  if (undated) createdAt = exportedAt ?? threadTime(item) ?? new Date().toISOString();
  if (!createdAt) return malformed(element, `comment ${id} has no readable date (${dates.find((d) => d && !ZERO_DATE.test(d))})`);
  const parent = field(element, 'wp:comment_parent');
  return {
    kind: 'comment',
    line: element.line,
    externalId: id,
    threadExternalId: thread,
    parentExternalId: parent && parent !== '0' ? parent : null,
    status,
    authorName: field(element, 'wp:comment_author') ?? null,
    authorGuestId: null,
    clientId: null,
    body: wordpressCommentToMarkdown(element.fields.get('wp:comment_content') ?? ''),
    createdAt,
    editedAt: null,
    locked: false,
    pinned: false,
    heldReason: status === 'pending' ? 'pre_moderation' : null,
    ...(undated && { undated: true }),
  };
}

/** WordPress writes this for "no date". */
const ZERO_DATE = /^0000-00-00/;

const threadTime = (item: FlatElement) => parseTime(field(item, 'wp:post_date_gmt')) ?? parseTime(field(item, 'wp:post_date'));

/** An RSS date (RFC 822, as the channel's pubDate: `Tue, 27 Jan 2015 14:56:57 +0000`) as ISO-8601 UTC, or undefined. */
export function parseRssTime(text: string | undefined): string | undefined {
  const value = text?.trim();
  if (!value || !/^(?:[A-Za-z]{3},\s*)?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UT|UTC|Z)$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
