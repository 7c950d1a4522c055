import { htmlToMarkdown } from './htmlToMarkdown';
import { parseTime, type SourceComment, type SourceRecord, type SourceSkip, type SourceSkippedThread, type SourceThread } from './records';
import { importedArticleUrl, importedSlug } from './threadSlug';
import { streamElements, type FlatElement } from './xmlElements';

/** Disqus ids are unique across Disqus, so one source name serves every forum. */
export const DISQUS_SOURCE = 'disqus';

/**
 * A Disqus XML export (`<disqus>` with `<category>`, `<thread dsq:id>` and `<post dsq:id>`
 * children), read as a stream of records. Posts name their thread and parent by `dsq:id`;
 * a parent may come later in the file (the importer waits for it).
 */
export function readDisqus(options: { input: AsyncIterable<string | Buffer>; fileName: string }): AsyncGenerator<SourceRecord> {
  return streamElements<SourceRecord>({
    ...options,
    root: { name: 'disqus', format: 'a Disqus export' },
    warning: (line, message) => ({ kind: 'warning', line, message }),
    handlers: (emit) => {
      /** Each thread's date, for its posts that have none (docs/import.md, "Comments without a date"). */
      const threadDates = new Map<string, string | null>();
      return {
        collect: (path) => path.length === 2 && (path[1] === 'thread' || path[1] === 'post'),
        closed(element) {
          if (element.name === 'thread') {
            const thread = disqusThread(element);
            if (thread.kind === 'thread') threadDates.set(thread.externalId, thread.createdAt);
            emit(thread);
          } else {
            emit(disqusPost(element, (threadId) => threadDates.get(threadId) ?? null));
          }
        },
      };
    },
  });
}

const field = (element: FlatElement, key: string): string | undefined => {
  const value = element.fields.get(key)?.trim();
  return value ? value : undefined;
};
const flag = (element: FlatElement, key: string): boolean => field(element, key)?.toLowerCase() === 'true';

function malformed(element: FlatElement, detail: string): SourceSkip {
  return { kind: 'skip', line: element.line, reason: 'malformed', detail: `${element.name} at line ${element.line}: ${detail}` };
}

function disqusThread(element: FlatElement): SourceThread | SourceSkip | SourceSkippedThread {
  const id = field(element, '@dsq:id');
  if (!id) return malformed(element, 'no dsq:id');
  const link = field(element, 'link');
  const title = field(element, 'title') ?? link;
  if (!title) return malformed(element, `thread ${id} has neither title nor link`);
  // A deleted discussion stays deleted: its posts are not republished (each is counted under this reason).
  if (flag(element, 'isDeleted')) return { kind: 'skippedThread', line: element.line, externalId: id, reason: 'deleted_thread', detail: `thread ${id} (${title.slice(0, 80)}) is deleted in Disqus` };
  return {
    kind: 'thread',
    line: element.line,
    externalId: id,
    slug: importedSlug({ identifier: field(element, 'id'), link, title: field(element, 'title'), fallback: `disqus-${id}` }),
    articleUrl: importedArticleUrl(link),
    title: title.slice(0, 300),
    article: '',
    createdAt: parseTime(field(element, 'createdAt')) ?? null,
    locked: flag(element, 'isClosed'),
    slowModeSeconds: 0,
    preModeration: false,
  };
}

function disqusPost(element: FlatElement, threadDate: (threadId: string) => string | null): SourceComment | SourceSkip {
  const id = field(element, '@dsq:id');
  if (!id) return malformed(element, 'no dsq:id');
  const thread = field(element, 'thread@dsq:id');
  if (!thread) return malformed(element, `post ${id} names no thread`);
  const date = field(element, 'createdAt');
  // No date at all: imported with its thread's (the only time a Disqus export offers), else the import's, and flagged.
  // A date that is there but unreadable is a damaged record, not a missing date.
  const createdAt = date ? parseTime(date) : (threadDate(thread) ?? new Date().toISOString());
  if (!createdAt) return malformed(element, `post ${id} has no readable createdAt (${date})`);
  const approved = field(element, 'isApproved');
  const status = flag(element, 'isDeleted') ? 'deleted' : flag(element, 'isSpam') ? 'removed' : approved?.toLowerCase() === 'false' ? 'pending' : 'visible';
  return {
    kind: 'comment',
    line: element.line,
    externalId: id,
    threadExternalId: thread,
    parentExternalId: field(element, 'parent@dsq:id') ?? null,
    status,
    // The e-mail address is not kept: Threadline has no use for it and should not hold it.
    authorName: field(element, 'author/name') ?? field(element, 'author/username') ?? null,
    authorGuestId: null,
    clientId: null,
    body: htmlToMarkdown(element.fields.get('message') ?? ''),
    createdAt,
    editedAt: null,
    locked: false,
    pinned: false,
    heldReason: status === 'pending' ? 'pre_moderation' : null,
    ...(!date && { undated: true }),
  };
}
