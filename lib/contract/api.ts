import { z } from 'zod';

/** The shapes of the public JSON API (documented in docs/api.md). */

export const COMMENT_STATUSES = ['visible', 'deleted', 'removed', 'pending', 'unavailable'] as const;
export const CommentStatusSchema = z.enum(COMMENT_STATUSES);
export type CommentStatus = z.infer<typeof CommentStatusSchema>;

export const SlugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes');

export const CommentIdSchema = z.string().regex(/^[a-z0-9]{1,32}$/, 'a comment id');

export const SortSchema = z.enum(['oldest', 'newest']);
export type Sort = z.infer<typeof SortSchema>;

export const CommentViewSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  depth: z.number().int().min(1),
  status: CommentStatusSchema,
  /** `name` is null when the author is unknown (imported without one) or hidden (placeholder, deleted, removed). */
  author: z.object({ name: z.string().nullable() }),
  /** The source text as written (markdown); empty when the comment is not shown. */
  body: z.string(),
  /** The safe HTML rendering of `body`. */
  html: z.string(),
  createdAt: z.iso.datetime().nullable(),
  seq: z.number().int().min(1),
});
export type CommentView = z.infer<typeof CommentViewSchema>;

export const ThreadSummarySchema = z.object({
  slug: SlugSchema,
  title: z.string(),
  locked: z.boolean(),
  commentCount: z.number().int().min(0),
});
export type ThreadSummary = z.infer<typeof ThreadSummarySchema>;

export const ThreadListResponseSchema = z.array(ThreadSummarySchema);
export type ThreadListResponse = z.infer<typeof ThreadListResponseSchema>;

export const ThreadDetailSchema = ThreadSummarySchema.extend({
  /** The sequence number of the thread's latest event. */
  seq: z.number().int().min(0),
});
export type ThreadDetail = z.infer<typeof ThreadDetailSchema>;

export const ThreadResponseSchema = z.object({
  thread: ThreadDetailSchema,
  /** Display order: depth first, siblings oldest first. */
  comments: z.array(CommentViewSchema),
});
export type ThreadResponse = z.infer<typeof ThreadResponseSchema>;

export const ThreadQuerySchema = z.object({
  sort: SortSchema.optional(),
});
