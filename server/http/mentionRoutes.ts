import type { IncomingMessage } from 'node:http';
import { ParticipantsQuerySchema, ParticipantsResponseSchema, PublicPersonResponseSchema } from '../../lib/contract/mentions';
import { PersonIdSchema } from '../../lib/contract/people';
import type { Services } from '../../lib/services';
import { NOT_STORED_CACHE_CONTROL } from '../pageCache/sharedPageHeaders';
import { slugParam, parseQuery, personIdParam } from './params';
import { SLUG_PARAM } from './routeDoc';
import type { Route } from './router';
import { staffToken } from './staffSession';

/** The signed-in person asking, if any: the suggestion leaves them out (one does not mention oneself). */
async function askerOf(services: Services, req: IncomingMessage): Promise<string | null> {
  return (await services.auth.person(staffToken(req)))?.user.id ?? null;
}

/** Mentions (docs/mentions.md): the `@` suggestion's people of a thread, and a person's public page. */
export function mentionRoutes(services: Services): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/threads/:slug/participants',
      doc: {
        summary:
          'The `@` suggestion: accounts who commented visibly in the thread whose display name starts with `q` (case and width folded), most recent first, at most 8; never guests, shadow-banned or closed accounts, nor the asker.',
        tag: 'threads',
        params: SLUG_PARAM,
        query: ParticipantsQuerySchema,
        responses: { 200: { description: 'Names and badges; `Cache-Control: private, no-store` (it leaves the asker out).', schema: ParticipantsResponseSchema } },
        errors: ['invalid_request', 'thread_not_found'],
      },
      handle: async ({ req, params, url }) => {
        const slug = slugParam(params.slug);
        const query = parseQuery(ParticipantsQuerySchema, url);
        const body = await services.mentions.participants({ slug, q: query.q, limit: query.limit, askerId: await askerOf(services, req) });
        return { status: 200, body, headers: { 'cache-control': NOT_STORED_CACHE_CONTROL } };
      },
    },
    {
      method: 'GET',
      path: '/api/people/:personId/public',
      doc: {
        summary: "A person's public page, where a mention links: their name, badges, when they joined and their newest visible comments. Nothing private; a guest's id or a closed account is not found.",
        tag: 'accounts',
        params: { personId: PersonIdSchema },
        responses: { 200: { description: 'What anyone may see of the person.', schema: PublicPersonResponseSchema } },
        errors: ['person_not_found'],
      },
      handle: async ({ params }) => ({ status: 200, body: await services.mentions.publicPerson(personIdParam(params.personId)) }),
    },
  ];
}
