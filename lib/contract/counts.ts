import { z } from './zod';

/** A thread's count of visible comments; null: no thread readers may see is known by that name. */
const CountSchema = z.number().int().nonnegative().nullable();

/** `GET /api/counts` (docs/api.md, "Comment counts"). */
export const CountsResponseSchema = z.object({
  /** By slug, each slug asked for. */
  counts: z.record(z.string(), CountSchema),
  /** By article address exactly as asked for: the thread found for it and its count, or null. */
  urls: z.record(z.string(), z.object({ slug: z.string(), count: z.number().int().nonnegative() }).nullable()),
});
export type CountsResponse = z.infer<typeof CountsResponseSchema>;

export const CountsQuerySchema = z.object({
  slugs: z.string().optional().describe('Comma-separated slugs, at most 200.'),
  url: z.string().optional().describe('An article address (repeat the parameter for several, at most 50), resolved as the embed resolves addresses.'),
});
