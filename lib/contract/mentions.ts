import { NAME_MAX } from './limits';
import { brokenTextRule } from './text';
import { BADGES } from '../domain/identity';
import { z } from './zod';

/** The `@` suggestion and a person's public page (docs/mentions.md, docs/api.md "Mentions"). */

/** People the suggestion offers at most. */
export const PARTICIPANTS_MAX = 8;

/**
 * `GET /api/threads/<slug>/participants?q=<prefix>&limit=`: `q` is what was typed after the `@`
 * (empty: the thread's most recent commenters), at most a display name long.
 */
export const ParticipantsQuerySchema = z.object({
  q: z
    .string({ error: 'must be text' })
    .max(NAME_MAX, `must be at most ${NAME_MAX} characters`)
    // What no name holds (control characters, an unpaired surrogate, bidi controls) starts none: refused, not searched for.
    .refine((q) => !/[\r\n\t]/.test(q) && [undefined, 'empty', 'invisible', 'marks'].includes(brokenTextRule(q, { max: NAME_MAX, allowBidiControls: false })), 'must be the start of a display name: no control characters, line breaks or unpaired surrogates')
    .default(''),
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(PARTICIPANTS_MAX, `must be at most ${PARTICIPANTS_MAX}`)
    .default(PARTICIPANTS_MAX),
});
export type ParticipantsQuery = z.output<typeof ParticipantsQuerySchema>;

export const ParticipantSchema = z.object({
  id: z.string(),
  name: z.string(),
  badges: z.array(z.enum(BADGES)),
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const ParticipantsResponseSchema = z.object({ participants: z.array(ParticipantSchema) });
export type ParticipantsResponse = z.infer<typeof ParticipantsResponseSchema>;

/** Comments a public page lists, at most. */
export const PUBLIC_COMMENTS_MAX = 20;
/** Characters of a comment's text a public page shows. */
export const PUBLIC_EXCERPT_MAX = 280;

/** `GET /api/people/<id>/public`: what anyone may see of an account. Nothing private: no address, no role, no sessions. */
export const PublicPersonResponseSchema = z.object({
  person: z.object({
    id: z.string(),
    name: z.string(),
    badges: z.array(z.enum(BADGES)),
    memberSince: z.string(),
  }),
  /** Their newest visible comments in listed threads, newest first. */
  comments: z.array(
    z.object({
      id: z.string(),
      threadSlug: z.string(),
      threadTitle: z.string(),
      excerpt: z.string(),
      createdAt: z.string().nullable(),
      /** Where the comment is read: its thread's page at the comment. */
      url: z.string(),
    }),
  ),
});
export type PublicPersonResponse = z.infer<typeof PublicPersonResponseSchema>;
