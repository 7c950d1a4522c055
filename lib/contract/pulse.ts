import { SlugSchema } from './api';
import { z } from './zod';

/** How far back the pulse's counts reach (hours); the posts-per-minute series is always the last hour. */
export const PULSE_HOURS = { min: 1, max: 168, default: 24 } as const;
/** Minutes in the posts-per-minute series. */
export const PULSE_MINUTES = 60;
/** Entries in each "top" list. */
export const PULSE_TOP = 8;

/** `GET /api/moderation/pulse`: the whole site, or one thread (`thread=<slug>`). */
export const PulseQuerySchema = z.object({
  thread: SlugSchema.optional(),
  hours: z.coerce.number().int().min(PULSE_HOURS.min).max(PULSE_HOURS.max).optional(),
});
export type PulseQuery = z.infer<typeof PulseQuerySchema>;

export const PulseSchema = z.object({
  /** The thread these figures are of; null: the whole site. */
  thread: z.object({ slug: z.string(), title: z.string() }).nullable(),
  /** When they were read (ISO-8601). */
  at: z.string(),
  hours: z.number().int(),
  /** Posts per minute over the last hour, oldest first, every minute present (`YYYY-MM-DDTHH:MM`, UTC). */
  perMinute: z.array(z.object({ minute: z.string(), comments: z.number().int() })),
  /** Posts in the window (`hours`). */
  comments: z.number().int(),
  /** Open pages of the thread (of every thread) on every node now, as "N reading now" counts them. */
  readersNow: z.number().int(),
  /** What waits for a moderator now. */
  waiting: z.object({ held: z.number().int(), reported: z.number().int() }),
  /** Decisions on queued comments in the window. */
  decisions: z.number().int(),
  /** Median seconds from entering the queue to the decision; null with no decision in the window. */
  medianDecisionSeconds: z.number().nullable(),
  /** Rejected or removed, of the decisions in the window (0–1); null with none. */
  rejectedShare: z.number().nullable(),
  /** The busiest threads in the window by events in their seq log (the whole site only; empty for a thread). */
  topThreads: z.array(z.object({ slug: z.string(), title: z.string(), events: z.number().int(), comments: z.number().int() })),
  /** Who posted most in the window. */
  topCommenters: z.array(z.object({ personId: z.string(), name: z.string().nullable(), comments: z.number().int() })),
});
export type Pulse = z.infer<typeof PulseSchema>;
