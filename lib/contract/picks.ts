import { CommentViewSchema } from './api';
import { z } from './zod';

/**
 * `GET /api/threads/<slug>/picks`: the thread's editors' picks (issue 19.1), newest pick first, each a
 * visible comment with its `pick` (the moderator's note and when it was featured). The strip, the
 * API and `/articles/<slug>/picks.xml` show the same list (lib/domain/picks.ts).
 */
export const PicksResponseSchema = z.object({
  thread: z.object({ slug: z.string(), title: z.string(), seq: z.number().int() }),
  picks: z.array(CommentViewSchema),
});
export type PicksResponse = z.infer<typeof PicksResponseSchema>;
