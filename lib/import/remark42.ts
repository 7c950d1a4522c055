import { decodeHTML } from 'entities';
import { z } from 'zod';
import type { CommentStatus } from '../domain/types';
import { htmlToMarkdown } from './htmlToMarkdown';
import { isJsonObject, parseJsonLine, readLines } from './jsonLines';
import { parseTime, type SourceComment, type SourceRecord, type SourceSkip, type SourceThread } from './records';
import { threadSlug, webAddress } from './sourceSlug';
import { ImportFileError } from './xmlElements';

/** Remark42 comment ids and post URLs are a site's own: the source is named `remark42:<site id>` once the file says which site. */
export const REMARK42_SOURCE = 'remark42';

/** The backup versions Remark42's own restore accepts (backend/app/migrator/native.go: 1, and 0 for old files). */
const VERSIONS = new Set([0, 1]);

/**
 * The first line (`meta` in native.go): blocked users and read-only posts. Users' details
 * (e-mail addresses for notifications) are not read.
 */
const MetaLine = z.object({
  version: z.number().int().default(0),
  users: z
    .array(z.object({ id: z.string(), blocked: z.object({ status: z.boolean().default(false) }).partial().nullish() }))
    .nullish(),
  posts: z.array(z.object({ url: z.string(), read_only: z.boolean().default(false) })).nullish(),
});

/** A comment line (store.Comment in backend/app/store/comment.go); only the fields used are kept: no IP hash, avatar or votes. */
const CommentLine = z.object({
  id: z.string().min(1),
  pid: z.string().nullish(),
  text: z.string().nullish(),
  user: z.object({ name: z.string().nullish(), id: z.string().nullish(), block: z.boolean().nullish() }).nullish(),
  locator: z.object({ site: z.string().nullish(), url: z.string().min(1) }),
  time: z.string().nullish(),
  edit: z.object({ time: z.string().nullish() }).nullish(),
  pin: z.boolean().nullish(),
  delete: z.boolean().nullish(),
  title: z.string().nullish(),
});
type CommentLine = z.infer<typeof CommentLine>;

const META_HINT = 'the first line of a Remark42 backup is its metadata, {"version":1,"users":[…],"posts":[…]}';

/**
 * A Remark42 backup (`backup-<site>-<date>.gz`, or the admin export): gzipped JSON Lines,
 * a metadata line, then one comment per line, grouped by post. Remark42 has no post
 * records: a post's thread is emitted with its first comment (its URL and title come from
 * there); the read-only posts and blocked users of the metadata line are held, the comments
 * are not. A line that is not JSON refuses the file, with its line and column.
 */
export async function* readRemark42(options: { input: AsyncIterable<string | Buffer>; fileName: string; exportedAt?: string }): AsyncGenerator<SourceRecord> {
  const { fileName } = options;
  const exportedAt = options.exportedAt ?? new Date().toISOString();
  let meta: { readOnly: Set<string>; blocked: Set<string> } | undefined;
  /** The site every comment must belong to, from the first one. */
  let site: string | undefined;
  const threads = new Set<string>();

  for await (const { line, text } of readLines(options)) {
    if (!text.trim()) continue;
    if (!meta) {
      meta = readMeta(text, fileName, line);
      continue;
    }
    const value = parseJsonLine(text, { fileName, line });
    const parsed = CommentLine.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const id = isJsonObject(value) && typeof value.id === 'string' ? `comment ${value.id}: ` : '';
      yield malformed(line, `${id}${issue ? `${issue.path.join('.') || 'record'} ${issue.message}` : 'not a comment'}`);
      continue;
    }
    const comment = parsed.data;
    const commentSite = comment.locator.site ?? '';
    if (site === undefined) {
      site = commentSite;
      if (site) yield { kind: 'source', source: `${REMARK42_SOURCE}:${site}` };
    } else if (commentSite !== site) {
      yield malformed(line, `comment ${comment.id} is of site "${commentSite}", the backup's is "${site}"`);
      continue;
    }
    const url = comment.locator.url;
    if (!threads.has(url)) {
      threads.add(url);
      yield remark42Thread(comment, line, meta.readOnly.has(url));
    }
    yield remark42Comment(comment, { line, exportedAt, blocked: meta.blocked });
  }
  if (!meta) throw new ImportFileError(`${fileName} is empty: ${META_HINT}`, undefined);
}

function readMeta(text: string, fileName: string, line: number): { readOnly: Set<string>; blocked: Set<string> } {
  let value: unknown;
  try {
    value = parseJsonLine(text, { fileName, line });
  } catch (err) {
    throw err instanceof ImportFileError ? new ImportFileError(`${err.message}: not a Remark42 backup (${META_HINT})`, line) : err;
  }
  const parsed = MetaLine.safeParse(value);
  // A comment first means the metadata is missing: Remark42's restore would read it as an empty one and lose the flags.
  if (!parsed.success || (isJsonObject(value) && 'locator' in value)) {
    throw new ImportFileError(`${fileName}:${line}: not a Remark42 backup (${META_HINT})`, line);
  }
  const meta = parsed.data;
  if (!VERSIONS.has(meta.version)) {
    throw new ImportFileError(`${fileName}:${line}: a Remark42 backup of version ${meta.version}, which this importer does not know (it reads versions 0 and 1)`, line);
  }
  return {
    readOnly: new Set((meta.posts ?? []).filter((p) => p.read_only).map((p) => p.url)),
    // Remark42 lists only users blocked when the backup was made (an expired block is not listed).
    blocked: new Set((meta.users ?? []).filter((u) => u.blocked?.status).map((u) => u.id)),
  };
}

function malformed(line: number, detail: string): SourceSkip {
  return { kind: 'skip', line, reason: 'malformed', detail };
}

function remark42Thread(comment: CommentLine, line: number, readOnly: boolean): SourceThread {
  const url = comment.locator.url;
  // Remark42 stores titles HTML-escaped (store.Comment.SanitizeText).
  const title = comment.title ? decodeHTML(comment.title).trim() : '';
  const articleUrl = webAddress(url);
  return {
    kind: 'thread',
    line,
    externalId: url,
    slug: threadSlug({ title, url: articleUrl ?? undefined, externalId: url }),
    title: (title || articleUrl || url).slice(0, 300),
    article: '',
    // The export lists a post's comments oldest first: the first one dates the thread.
    createdAt: parseTime(comment.time ?? undefined) ?? null,
    locked: readOnly,
    slowModeSeconds: 0,
    preModeration: false,
    articleUrl,
  };
}

/**
 * Remark42 has no pending or spam state: a comment is shown or deleted. A comment of a
 * user blocked when the backup was made is shown there greyed out and marked "Blocked";
 * Threadline has no such mark, so it is held for a moderator rather than published at
 * full weight (docs/import.md, "Remark42").
 */
function remark42Comment(comment: CommentLine, context: { line: number; exportedAt: string; blocked: ReadonlySet<string> }): SourceComment {
  const deleted = comment.delete === true;
  const userId = comment.user?.id;
  const blocked = comment.user?.block === true || (!!userId && context.blocked.has(userId));
  const status: CommentStatus = deleted ? 'deleted' : blocked ? 'pending' : 'visible';
  const createdAt = parseTime(comment.time ?? undefined);
  return {
    kind: 'comment',
    line: context.line,
    externalId: comment.id,
    threadExternalId: comment.locator.url,
    parentExternalId: comment.pid ? comment.pid : null,
    status,
    // Names are stored HTML-escaped; a deleted comment keeps neither name nor text.
    authorName: deleted || !comment.user?.name ? null : decodeHTML(comment.user.name).trim() || null,
    authorGuestId: null,
    clientId: null,
    body: deleted ? '' : htmlToMarkdown(comment.text ?? ''),
    createdAt: createdAt ?? context.exportedAt,
    editedAt: parseTime(comment.edit?.time ?? undefined) ?? null,
    locked: false,
    pinned: status === 'visible' && comment.pin === true,
    heldReason: status === 'pending' ? 'pre_moderation' : null,
    ...(createdAt === undefined && { undated: true }),
  };
}
