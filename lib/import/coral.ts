import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CommentStatus } from '../domain/types';
import { htmlToMarkdown } from './htmlToMarkdown';
import { isJsonObject, jsonError, parseJsonLine, readLines } from './jsonLines';
import { mongoNumber, mongoTime } from './mongoJson';
import type { SourceComment, SourceRecord, SourceSkip, SourceThread } from './records';
import { threadSlug, webAddress } from './sourceSlug';
import { ImportFileError } from './xmlElements';

/** Story ids may be the embedding site's own (not Coral's UUIDs): the source is named `coral:<tenant id>`. */
export const CORAL_SOURCE = 'coral';

/**
 * The collections read, by the file names of Coral's tenant download
 * (utilities/download/src/main.ts writes `<collection>.json`, one document per line) and of
 * Coral's migration guide (`mongoexport -c <collection> -o <folder>/<collection>.json`).
 * Each may also be gzipped (`comments.json.gz`).
 */
const FILES = { tenants: 'tenants.json', users: 'users.json', stories: 'stories.json', comments: 'comments.json', archivedComments: 'archivedComments.json' } as const;
type CollectionName = keyof typeof FILES;
const REQUIRED: readonly CollectionName[] = ['users', 'stories', 'comments'];
/** tenants.json is read whole (the download utility pretty-prints it); a tenant's settings are far smaller than this. */
const MAX_TENANTS_CHARS = 8 * 1024 * 1024;

/** GQLCOMMENT_STATUS (server/src/core/server/graph/schema/schema.graphql); PUBLISHED_STATUSES are NONE and APPROVED (models/comment/constants.ts). */
const STATUSES: Record<string, CommentStatus> = { NONE: 'visible', APPROVED: 'visible', PREMOD: 'pending', SYSTEM_WITHHELD: 'pending', REJECTED: 'removed' };

// The shapes of models/tenant, models/user, models/story and models/comment, reduced to what is used:
// e-mail addresses, passwords, IP-derived data and moderation notes are never read.
const TenantDoc = z.object({
  id: z.string().min(1),
  moderation: z.string().nullish(),
  premoderateAllCommentsSites: z.array(z.string()).nullish(),
  closeCommenting: z.object({ auto: z.boolean().nullish(), timeout: z.unknown().optional() }).nullish(),
});
const UserDoc = z.object({ id: z.string().min(1), username: z.string().nullish() });
const StoryDoc = z.object({
  id: z.string().min(1),
  tenantID: z.string().nullish(),
  siteID: z.string().nullish(),
  url: z.string().nullish(),
  metadata: z.object({ title: z.string().nullish() }).nullish(),
  createdAt: z.unknown().optional(),
  closedAt: z.unknown().optional(),
  isArchived: z.boolean().nullish(),
  settings: z.object({ moderation: z.string().nullish(), disableCommenting: z.object({ enabled: z.boolean().nullish() }).nullish() }).nullish(),
});
const CommentDoc = z.object({
  id: z.string().min(1),
  tenantID: z.string().nullish(),
  storyID: z.string().min(1),
  parentID: z.string().nullish(),
  authorID: z.string().nullish(),
  status: z.string(),
  revisions: z.array(z.object({ body: z.string().nullish(), createdAt: z.unknown().optional(), media: z.object({ url: z.string().nullish() }).nullish() })).nullish(),
  createdAt: z.unknown().optional(),
  deletedAt: z.unknown().optional(),
  tags: z.array(z.object({ type: z.string() })).nullish(),
});
type TenantSettings = z.infer<typeof TenantDoc>;
type StoryDoc = z.infer<typeof StoryDoc>;
type CommentDoc = z.infer<typeof CommentDoc>;

/**
 * A Coral tenant's data as a folder of MongoDB collections, one JSON document per line:
 * users.json (only to name authors), stories.json (threads), comments.json and, when Coral
 * archived old stories, archivedComments.json; tenants.json, when present, for the
 * site-wide pre-moderation and automatic closing. Read in that order, each as a stream;
 * what is held is the people's names by id and the tenant settings, not the comments.
 */
export async function* readCoral(options: { folder: string; exportedAt?: string }): AsyncGenerator<SourceRecord> {
  const files = locateFiles(options.folder);
  const exportedAt = options.exportedAt ?? fs.statSync(files.comments).mtime.toISOString();
  const tenants = files.tenants ? await readTenants(files.tenants) : new Map<string, TenantSettings>();
  const names = new Map<string, string>();
  for await (const { value } of documents(files.users)) {
    const user = UserDoc.safeParse(value);
    if (user.success && user.data.username) names.set(user.data.id, user.data.username);
  }

  /** The tenant of the first story: every story and comment must be of the same one. */
  let tenant: { id: string | null } | undefined;
  const sameTenant = (doc: { tenantID?: string | null | undefined }, at: { where: string; line: number }) => {
    const id = doc.tenantID ?? null;
    if (tenant && id !== tenant.id) {
      throw new ImportFileError(`${at.where}: a document of tenant ${id ?? '(none)'} in a folder of tenant ${tenant.id ?? '(none)'}: export one tenant at a time`, at.line);
    }
  };

  for await (const { line, value, where } of documents(files.stories)) {
    const parsed = StoryDoc.safeParse(value);
    if (!parsed.success) {
      yield malformed(line, where, value, parsed.error);
      continue;
    }
    const story = parsed.data;
    if (!tenant) {
      tenant = { id: story.tenantID ?? null };
      if (tenant.id) yield { kind: 'source', source: `${CORAL_SOURCE}:${tenant.id}` };
    }
    sameTenant(story, { where, line });
    yield coralThread(story, { line, exportedAt, tenant: story.tenantID ? tenants.get(story.tenantID) : undefined });
  }

  for (const file of [files.comments, files.archivedComments]) {
    if (!file) continue;
    for await (const { line, value, where } of documents(file)) {
      const parsed = CommentDoc.safeParse(value);
      if (!parsed.success) {
        yield malformed(line, where, value, parsed.error);
        continue;
      }
      sameTenant(parsed.data, { where, line });
      yield coralComment(parsed.data, { line, where, exportedAt, names });
    }
  }
}

function locateFiles(folder: string): Record<'users' | 'stories' | 'comments', string> & Partial<Record<CollectionName, string>> {
  const name = path.basename(folder);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new ImportFileError(`${name}: no such folder`, undefined);
  }
  if (!stat.isDirectory()) {
    throw new ImportFileError(`${name} is not a folder: a Coral export is the folder of collection files (${Object.values(FILES).join(', ')}) that Coral's download utility or mongoexport writes`, undefined);
  }
  const found: Partial<Record<CollectionName, string>> = {};
  for (const [collection, file] of Object.entries(FILES) as [CollectionName, string][]) {
    const candidate = [file, `${file}.gz`].map((f) => path.join(folder, f)).find((f) => fs.existsSync(f));
    if (candidate) found[collection] = candidate;
  }
  const missing = REQUIRED.filter((c) => !found[c]);
  if (missing.length) throw new ImportFileError(`${name}: not a Coral export: ${missing.map((c) => FILES[c]).join(', ')} missing`, undefined);
  return found as Record<'users' | 'stories' | 'comments', string> & Partial<Record<CollectionName, string>>;
}

/** The documents of one collection file, each with its line and `file:line` for messages. */
async function* documents(file: string): AsyncGenerator<{ line: number; value: unknown; where: string }> {
  const fileName = path.basename(file);
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const { line, text } of readLines({ input, fileName })) {
      if (text.trim()) yield { line, value: parseJsonLine(text, { fileName, line }), where: `${fileName}:${line}` };
    }
  } finally {
    input.destroy();
  }
}

/**
 * tenants.json: one pretty-printed document (the download utility) or one per line
 * (mongoexport of the whole collection). Tenants are few; their settings are held by id.
 */
async function readTenants(file: string): Promise<Map<string, TenantSettings>> {
  const fileName = path.basename(file);
  const lines: string[] = [];
  let size = 0;
  const input = fs.createReadStream(file);
  try {
    for await (const { text } of readLines({ input, fileName })) {
      size += text.length + 1;
      if (size > MAX_TENANTS_CHARS) throw new ImportFileError(`${fileName}: larger than ${MAX_TENANTS_CHARS} characters: not Coral's tenants collection`, undefined);
      lines.push(text);
    }
  } finally {
    input.destroy();
  }
  const text = lines.join('\n');
  let docs: unknown[];
  try {
    docs = [JSON.parse(text)];
  } catch (whole) {
    const first = lines.findIndex((l) => l.trim());
    const oneLine = first >= 0 && isParsable(lines[first]!);
    // One document per line: each line names its own error. Else it is one document: the error's position says where.
    if (!oneLine) throw wholeDocumentError(whole as Error, text, fileName);
    docs = lines.flatMap((l, i) => (l.trim() ? [parseJsonLine(l, { fileName, line: i + 1 })] : []));
  }
  const tenants = new Map<string, TenantSettings>();
  for (const doc of docs) {
    const parsed = TenantDoc.safeParse(doc);
    if (parsed.success) tenants.set(parsed.data.id, parsed.data);
  }
  return tenants;
}

function isParsable(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function wholeDocumentError(err: Error, text: string, fileName: string): ImportFileError {
  const { offset, message } = jsonError(err, text);
  if (offset === undefined) return new ImportFileError(`${fileName}: not valid JSON (${message})`, undefined);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return new ImportFileError(`${fileName}:${line}:${column}: not valid JSON (${message})`, line);
}

function malformed(line: number, where: string, value: unknown, error: z.ZodError): SourceSkip {
  const issue = error.issues[0];
  const id = isJsonObject(value) && typeof value.id === 'string' ? ` ${value.id}` : '';
  return { kind: 'skip', line, reason: 'malformed', detail: `${where}: document${id}: ${issue ? `${issue.path.join('.') || 'document'} ${issue.message}` : 'unreadable'}` };
}

/**
 * Closed when a moderator closed it (`closedAt` passed), it is archived or commenting on it
 * is disabled, or the tenant closes stories automatically and its time is up, unless a
 * moderator reopened it (`closedAt: false`): models/story/helpers.ts, getStoryClosedAt.
 */
function isClosed(story: StoryDoc, tenant: TenantSettings | undefined, exportedAt: string): boolean {
  if (story.isArchived || story.settings?.disableCommenting?.enabled) return true;
  const closedAt = mongoTime(story.closedAt);
  if (closedAt) return Date.parse(closedAt) <= Date.parse(exportedAt);
  if (story.closedAt === false) return false;
  const created = mongoTime(story.createdAt);
  const timeout = mongoNumber(tenant?.closeCommenting?.timeout);
  if (!tenant?.closeCommenting?.auto || !created || timeout === undefined) return false;
  return Date.parse(created) + timeout * 1000 <= Date.parse(exportedAt);
}

/** MODERATION_MODE (schema.graphql): the story's, else the tenant's; `SPECIFIC_SITES_PRE` pre-moderates the sites it lists. */
function isPreModerated(story: StoryDoc, tenant: TenantSettings | undefined): boolean {
  const mode = story.settings?.moderation ?? tenant?.moderation;
  if (mode === 'PRE') return true;
  return mode === 'SPECIFIC_SITES_PRE' && !!story.siteID && (tenant?.premoderateAllCommentsSites ?? []).includes(story.siteID);
}

function coralThread(story: StoryDoc, context: { line: number; exportedAt: string; tenant: TenantSettings | undefined }): SourceThread {
  const url = story.url ?? undefined;
  const articleUrl = webAddress(url);
  const title = story.metadata?.title?.trim() || undefined;
  return {
    kind: 'thread',
    line: context.line,
    externalId: story.id,
    slug: threadSlug({ title, url: articleUrl ?? undefined, externalId: story.id }),
    // getStoryTitle (models/story/helpers.ts): the scraped title, else the URL.
    title: (title ?? url ?? `Story ${story.id}`).slice(0, 300),
    article: '',
    createdAt: mongoTime(story.createdAt) ?? null,
    locked: isClosed(story, context.tenant, context.exportedAt),
    slowModeSeconds: 0,
    preModeration: isPreModerated(story, context.tenant),
    articleUrl,
  };
}

function coralComment(comment: CommentDoc, context: { line: number; where: string; exportedAt: string; names: ReadonlyMap<string, string> }): SourceComment | SourceSkip {
  // Coral deletes a comment by emptying its revisions and author (services/users/delete.ts).
  const deleted = comment.deletedAt !== undefined && comment.deletedAt !== null;
  const mapped = STATUSES[comment.status];
  if (!deleted && !mapped) {
    return { kind: 'skip', line: context.line, reason: 'malformed', detail: `${context.where}: comment ${comment.id} has an unknown status "${comment.status}"` };
  }
  const status: CommentStatus = deleted ? 'deleted' : mapped!;
  const revisions = comment.revisions ?? [];
  // The last revision is the current text; more than one means its author edited it.
  const current = revisions.at(-1);
  const createdAt = mongoTime(comment.createdAt);
  return {
    kind: 'comment',
    line: context.line,
    externalId: comment.id,
    threadExternalId: comment.storyID,
    parentExternalId: comment.parentID ?? null,
    status,
    authorName: deleted || !comment.authorID ? null : (context.names.get(comment.authorID) ?? null),
    authorGuestId: null,
    clientId: null,
    body: deleted ? '' : htmlToMarkdown(`${current?.body ?? ''}${mediaLink(current?.media?.url)}`),
    createdAt: createdAt ?? context.exportedAt,
    editedAt: revisions.length > 1 ? (mongoTime(current?.createdAt) ?? null) : null,
    locked: false,
    // Coral's featured comments are Threadline's pinned ones.
    pinned: status === 'visible' && (comment.tags ?? []).some((t) => t.type === 'FEATURED'),
    heldReason: status === 'pending' ? 'pre_moderation' : null,
    ...(createdAt === undefined && { undated: true }),
  };
}

/** A GIF, video or post attached to a comment (Revision.media): kept as a link after the text. */
function mediaLink(url: string | null | undefined): string {
  const address = webAddress(url ?? undefined);
  if (!address) return '';
  const escaped = address.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<p><a href="${escaped}">${escaped}</a></p>`;
}
