import { BadgesRequestSchema, PersonIdSchema, PersonNoteRequestSchema, PersonNoteSchema, PersonPageQuerySchema, PersonPageSchema } from '../../lib/contract/people';
import { z } from '../../lib/contract/zod';
import { BADGES } from '../../lib/domain/identity';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readJsonBody } from './body';
import { JSON_BODY_ERRORS, STAFF_ERRORS } from './routeDoc';
import type { Route } from './router';
import { requireStaff } from './staffSession';
import { parseQuery, personIdParam } from './params';

const PERSON_PARAM = { personId: PersonIdSchema };

/**
 * A person's page for moderators (docs/api.md, "People"): what they wrote and what was done about it,
 * moderators' notes, and admins' badges. Staff only; the trust, shadow-ban and role switches are
 * their own routes.
 */
export function personRoutes(services: Services): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/people/:personId',
      doc: {
        summary: "A person's page: their comments across threads (paged, newest first), reports on them, actions taken, bans, sign-in methods (no secrets), sessions and notes.",
        tag: 'moderation',
        access: 'staff',
        params: PERSON_PARAM,
        query: PersonPageQuerySchema,
        responses: { 200: { description: 'The person as moderators see them.', schema: PersonPageSchema } },
        errors: [...STAFF_ERRORS, 'invalid_request', 'person_not_found'],
      },
      handle: async ({ req, params, url }) => {
        const personId = personIdParam(params.personId);
        const { user } = await requireStaff(services, req);
        const query = parseQuery(PersonPageQuerySchema, url);
        return { status: 200, body: await services.people.page({ personId, actor: user, before: query.before, limit: query.limit }) };
      },
    },
    {
      method: 'POST',
      path: '/api/people/:personId/notes',
      doc: {
        summary: 'Leave a private note about a person for the other moderators (never shown to the person).',
        tag: 'moderation',
        access: 'staff',
        params: PERSON_PARAM,
        body: { schema: PersonNoteRequestSchema },
        responses: { 201: { description: 'The note.', schema: z.object({ note: PersonNoteSchema }) } },
        errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS, 'person_not_found'],
      },
      handle: async ({ req, params }) => {
        const personId = personIdParam(params.personId);
        const { user } = await requireStaff(services, req);
        const { text } = parseOrThrow(PersonNoteRequestSchema, await readJsonBody(req));
        return { status: 201, body: { note: await services.people.addNote({ personId, text, actor: user }) } };
      },
    },
    {
      method: 'PUT',
      path: '/api/people/:personId/badges',
      doc: {
        summary: `Set an account's badges (${BADGES.join(', ')}): shown next to its name on every comment. Audited.`,
        tag: 'accounts',
        access: 'admin',
        params: PERSON_PARAM,
        body: { schema: BadgesRequestSchema },
        responses: { 200: { description: 'The badges as stored.', schema: z.object({ person: z.object({ id: z.string(), badges: z.array(z.enum(BADGES)) }) }) } },
        errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS, 'person_not_found'],
      },
      handle: async ({ req, params }) => {
        const personId = personIdParam(params.personId);
        const { user } = await requireStaff(services, req, 'admin');
        const { badges } = parseOrThrow(BadgesRequestSchema, await readJsonBody(req));
        return { status: 200, body: await services.people.setBadges({ personId, badges, actor: user }) };
      },
    },
  ];
}
