import { slugify } from '../domain/slug';
import { htmlToMarkdown } from './htmlToMarkdown';
import { parseTime, type SourceComment, type SourceRecord, type SourceSkip, type SourceThread } from './records';
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
    handlers: (emit) => ({
      collect: (path) => path.length === 2 && (path[1] === 'thread' || path[1] === 'post'),
      closed(element) {
        emit(element.name === 'thread' ? disqusThread(element) : disqusPost(element));
      },
    }),
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

/** The last segment of the article's URL path, else the title. */
export function slugFromUrl(url: string | undefined, title: string): string {
  if (url) {
    try {
      const segments = new URL(url).pathname.split('/').filter(Boolean);
      const last = segments.at(-1)?.replace(/\.(html?|php|aspx?)$/i, '');
      if (last) return slugify(decodeURIComponent(last));
    } catch {
      // Not a URL: the title names the thread.
    }
  }
  return slugify(title);
}

function disqusThread(element: FlatElement): SourceThread | SourceSkip {
  const id = field(element, '@dsq:id');
  if (!id) return malformed(element, 'no dsq:id');
  const link = field(element, 'link');
  const title = field(element, 'title') ?? link;
  if (!title) return malformed(element, `thread ${id} has neither title nor link`);
  return {
    kind: 'thread',
    line: element.line,
    externalId: id,
    slug: slugFromUrl(link, title),
    title: title.slice(0, 300),
    article: '',
    createdAt: parseTime(field(element, 'createdAt')) ?? null,
    locked: flag(element, 'isClosed'),
    slowModeSeconds: 0,
    preModeration: false,
  };
}

function disqusPost(element: FlatElement): SourceComment | SourceSkip {
  const id = field(element, '@dsq:id');
  if (!id) return malformed(element, 'no dsq:id');
  const thread = field(element, 'thread@dsq:id');
  if (!thread) return malformed(element, `post ${id} names no thread`);
  const createdAt = parseTime(field(element, 'createdAt'));
  if (!createdAt) return malformed(element, `post ${id} has no readable createdAt (${field(element, 'createdAt') ?? 'missing'})`);
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
  };
}
