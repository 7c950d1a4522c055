import { AuthorNameSchema, CommentBodySchema } from '../contract/api';
import type { ExportedBan, ExportedMapping, ImportedCommentFields } from '../store/importStore';
import type { Role } from '../store/accountStore';
import type { PersonRow } from '../store/peopleTransfer';

/**
 * What a format reader (Disqus, WXR, Threadline) yields, one record at a time, so
 * an import never holds a whole file. `line` is where the record starts, for reports.
 */
export interface SourceThread {
  kind: 'thread';
  line: number;
  externalId: string;
  id?: string;
  slug: string;
  title: string;
  article: string;
  /** Null when the source gave none (or one we could not read): the import's time is used. */
  createdAt: string | null;
  locked: boolean;
  slowModeSeconds: number;
  preModeration: boolean;
  /** Hidden by an admin (a Threadline export), or not public at the source and imported hidden (docs/import.md). */
  hidden?: boolean;
  /** `threads.source` of a Threadline export; other formats derive it. */
  threadSource?: string | null;
  /** The host article an embed opened it for (a Threadline export's). */
  articleUrl?: string | null;
  /** Q&A on, and when comments close (a Threadline export's; other formats give neither). */
  qa?: boolean;
  closesAt?: string | null;
}

export interface SourceComment extends ImportedCommentFields {
  kind: 'comment';
  line: number;
  externalId: string;
  threadExternalId: string;
  parentExternalId: string | null;
  id?: string;
  /** The source gave no readable date: `createdAt` is the export's (or the import's) time, and the report counts it. */
  undated?: boolean;
  /**
   * On a question, the source id of the reply that answers it (a Threadline export's `answerId`): set
   * once both are stored, through the same id mapping as parents (lib/import/answersImport.ts).
   */
  answerExternalId?: string | null;
}

export const SKIP_REASONS = {
  malformed: 'malformed record',
  missing_thread: 'unknown thread',
  bad_text: 'text breaks the posting rules',
  not_a_comment: 'not a comment (pingback or trackback)',
  duplicate: 'already imported',
  /** A thread the source marks deleted (Disqus `<isDeleted>`), and every comment in it. */
  deleted_thread: 'thread deleted at the source',
  /** A post that is not public (WordPress draft, private, pending, scheduled or password-protected) and its comments, unless imported hidden. */
  not_public: 'post not public at the source',
  /** A like of a comment that is not in the file (or was skipped). */
  missing_comment: 'unknown comment',
  /** A sign-in link to an account that is not in the file (or was skipped). */
  missing_account: 'unknown account',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

export interface SourceSkip {
  kind: 'skip';
  line: number;
  reason: SkipReason;
  detail: string;
}

/** Moderation state and staff accounts: in Threadline exports only. */
export interface SourceBan extends ExportedBan {
  kind: 'ban';
  line: number;
}
export interface SourceBannedWord {
  kind: 'bannedWord';
  line: number;
  word: string;
}
export interface SourceUser {
  kind: 'user';
  line: number;
  username: string;
  role: Role;
  createdAt: string;
  removedAt: string | null;
}

/** Names the origin of the ids that follow, when the file itself says (a WXR site's address). */
export interface SourceName {
  kind: 'source';
  source: string;
}

/** A Disqus or WordPress id → ours, from a Threadline export: a later import of that file stays idempotent. */
export interface SourceMapping {
  kind: 'mapping';
  line: number;
  mapping: ExportedMapping;
}

/** An account, or what hangs off a person id (a Threadline export of format 2): lib/store/peopleTransfer.ts. */
export interface SourcePersonRow {
  kind: 'personRow';
  line: number;
  row: PersonRow;
}

/**
 * A thread the source says must not be imported (deleted, not public): it is counted as skipped
 * for `reason`, and so is every comment that names it, before or after it in the file.
 */
export interface SourceSkippedThread {
  kind: 'skippedThread';
  line: number;
  externalId: string;
  reason: SkipReason;
  detail: string;
}

/** Something accepted that the report should mention (text before the XML declaration, an id space named by the file's content…). */
export interface SourceWarning {
  kind: 'warning';
  line: number;
  message: string;
}

export type SourceRecord = SourceName | SourceThread | SourceComment | SourceSkip | SourceBan | SourceBannedWord | SourceUser | SourceMapping | SourceSkippedThread | SourceWarning | SourcePersonRow;

/**
 * A time as ISO-8601 UTC, or undefined when it cannot be read. Accepts ISO times and
 * WordPress's `YYYY-MM-DD HH:MM:SS` (in UTC for `comment_date_gmt`); `0000-00-00…` is unreadable.
 */
export function parseTime(text: string | undefined): string | undefined {
  const value = text?.trim();
  if (!value) return undefined;
  const wordpress = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(value);
  const iso = wordpress ? `${wordpress[1]}T${wordpress[2]}Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(iso)) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms) || ms < Date.UTC(1970, 0, 1)) return undefined;
  return new Date(ms).toISOString();
}

/**
 * The comment as Threadline would accept it from a writer, or the reason it is skipped.
 * An author name that breaks
 * the naming rules is dropped (shown as Anonymous) rather than losing the comment.
 */
export function checkComment(comment: SourceComment): SourceComment | SourceSkip {
  // Neither a deleted comment nor a placeholder for a missing one has text or a name.
  if (comment.status === 'deleted' || comment.status === 'unavailable') return { ...comment, body: '', authorName: null };
  const body = CommentBodySchema.safeParse(comment.body);
  if (!body.success) {
    return { kind: 'skip', line: comment.line, reason: 'bad_text', detail: `comment ${comment.externalId}: body ${body.error.issues[0]?.message ?? 'is invalid'}` };
  }
  const name = comment.authorName === null ? undefined : AuthorNameSchema.safeParse(comment.authorName);
  return { ...comment, body: body.data, authorName: name?.success ? name.data : null };
}
