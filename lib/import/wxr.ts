import { slugify } from '../domain/slug';
import type { CommentStatus } from '../domain/types';
import { slugFromUrl } from './disqus';
import { parseTime, type SourceComment, type SourceRecord, type SourceSkip, type SourceThread } from './records';
import { wordpressCommentToMarkdown } from './wordpressText';
import { streamElements, type FlatElement } from './xmlElements';

/** WordPress's `comment_approved`: spam and trash are kept, removed (seen by no reader). */
const STATUSES: Record<string, CommentStatus> = { '1': 'visible', approve: 'visible', '0': 'pending', hold: 'pending', spam: 'removed', trash: 'removed', 'post-trashed': 'removed' };
/** Items that are articles; attachments, menu items and the like carry no discussion. */
const ARTICLE_TYPES = new Set(['post', 'page']);

/**
 * A WordPress WXR export (RSS with the `wp:` namespace), read as a stream of records:
 * each post or page `<item>` is a thread, each `<wp:comment>` inside it a comment. The
 * thread is emitted when its first comment starts, so an item's comments are never held.
 */
export function readWxr(options: { input: AsyncIterable<string | Buffer>; fileName: string }): AsyncGenerator<SourceRecord> {
  return streamElements<SourceRecord>({
    ...options,
    root: { name: 'rss', format: 'a WordPress WXR export' },
    handlers: (emit) => {
      let sourceSent = false;
      // WordPress comment ids are unique per site only: the site's address names the source.
      const sendSource = (link: string | undefined) => {
        if (sourceSent) return;
        sourceSent = true;
        emit({ kind: 'source', source: link ? `wxr:${link.trim().replace(/\/+$/, '')}` : 'wxr' });
      };
      /** Items whose thread record has been emitted (or refused). */
      const done = new WeakSet<FlatElement>();
      const sendThread = (item: FlatElement) => {
        if (done.has(item)) return;
        done.add(item);
        sendSource(undefined);
        const thread = wxrThread(item);
        if (thread) emit(thread);
      };
      return {
        collect: (path) =>
          (path.length === 3 && path[0] === 'rss' && path[1] === 'channel' && path[2] === 'item') || (path.length === 4 && path[2] === 'item' && path[3] === 'wp:comment'),
        text(path, text) {
          if (path.length === 3 && path[1] === 'channel' && path[2] === 'link') sendSource(text);
        },
        opened(element, parents) {
          if (element.name === 'wp:comment' && parents[0]) sendThread(parents[0]);
        },
        closed(element, parents) {
          if (element.name === 'item') sendThread(element);
          else if (parents[0]) emit(wxrComment(element, parents[0]));
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

function wxrThread(item: FlatElement): SourceThread | SourceSkip | undefined {
  const type = field(item, 'wp:post_type') ?? 'post';
  if (!ARTICLE_TYPES.has(type)) return undefined;
  const id = field(item, 'wp:post_id');
  if (!id) return malformed(item, 'no wp:post_id');
  const link = field(item, 'link');
  const title = field(item, 'title') ?? link ?? `Post ${id}`;
  const name = field(item, 'wp:post_name');
  return {
    kind: 'thread',
    line: item.line,
    externalId: id,
    slug: name ? slugify(safeDecode(name)) : slugFromUrl(link, title),
    title: title.slice(0, 300),
    article: '',
    createdAt: parseTime(field(item, 'wp:post_date_gmt')) ?? parseTime(field(item, 'wp:post_date')) ?? null,
    locked: field(item, 'wp:comment_status') === 'closed',
    slowModeSeconds: 0,
    preModeration: false,
  };
}

function wxrComment(element: FlatElement, item: FlatElement): SourceComment | SourceSkip {
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
  const createdAt = parseTime(field(element, 'wp:comment_date_gmt')) ?? parseTime(field(element, 'wp:comment_date'));
  if (!createdAt) return malformed(element, `comment ${id} has no readable date (${field(element, 'wp:comment_date_gmt') ?? 'missing'})`);
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
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
