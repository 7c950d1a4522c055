import {
  PersonIdSchema,
  PersonStandingResponseSchema,
  ShadowBanRequestSchema,
  SiteSettingsRequestSchema,
  SiteSettingsResponseSchema,
  TrustedRequestSchema,
} from '../../lib/contract/api';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import type { User } from '../../lib/store/accountStore';
import type { PersonStanding } from '../../lib/store/policyStore';
import type { z } from '../../lib/contract/zod';
import { readJsonBody } from './body';
import { STAFF_ERRORS, staffJson } from './routeDoc';
import type { Route } from './router';
import { requireStaff } from './staffSession';

const PERSON_PARAM = { personId: PersonIdSchema };

/** A person id from the path: an account's or a guest's (lib/domain/identity.ts). */
function personIdParam(value: string | undefined): string {
  if (!PersonIdSchema.safeParse(value).success) throw new AppError('invalid_request', { fields: { personId: ['is not a person id'] } });
  return value!;
}

/**
 * A moderator's yes-or-no word on a person (trusted, shadow-banned): the body says which, the service
 * audits it, and the answer is the person as moderators now see them.
 */
function standingRoute<S extends z.ZodType>(
  services: Services,
  route: { path: string; summary: string; schema: S; set: (change: { personId: string; body: z.infer<S>; actor: User }) => Promise<PersonStanding> },
): Route {
  return {
    method: 'PUT',
    path: route.path,
    doc: staffJson({
      summary: route.summary,
      tag: 'moderation',
      access: 'staff',
      params: PERSON_PARAM,
      body: { schema: route.schema },
      responses: { 200: { description: 'The person as moderators now see them.', schema: PersonStandingResponseSchema } },
    }),
    handle: async ({ req, params }) => {
      const personId = personIdParam(params.personId);
      const { user } = await requireStaff(services, req);
      const body = parseOrThrow(route.schema, await readJsonBody(req));
      return { status: 200, body: { person: await route.set({ personId, body, actor: user }) } };
    },
  };
}

/**
 * The site's comment policy and trust settings (admins), and moderators' word on a person
 * (docs/moderation.md, "Trust" and "Shadow-ban"). Every change is audited by the service.
 */
export function policyRoutes(services: Services): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/settings',
      doc: { summary: "The site's settings: who may comment, and the trust rules.", tag: 'moderation', access: 'admin', responses: { 200: { description: 'The settings as they apply now.', schema: SiteSettingsResponseSchema } }, errors: STAFF_ERRORS },
      handle: async ({ req }) => {
        await requireStaff(services, req, 'admin');
        return { status: 200, body: { settings: await services.policy.settings() } };
      },
    },
    {
      method: 'PUT',
      path: '/api/settings',
      doc: staffJson({
        summary: "Change the site's settings (any of them); audited as site.settings.",
        tag: 'moderation',
        access: 'admin',
        body: { schema: SiteSettingsRequestSchema },
        responses: { 200: { description: 'The settings as they apply now.', schema: SiteSettingsResponseSchema } },
      }),
      handle: async ({ req }) => {
        const { user } = await requireStaff(services, req, 'admin');
        const changes = parseOrThrow(SiteSettingsRequestSchema, await readJsonBody(req));
        return { status: 200, body: { settings: await services.policy.updateSettings({ changes, actor: user }) } };
      },
    },
    standingRoute(services, {
      path: '/api/people/:personId/trusted',
      summary: 'Trust a person (their comments skip the new-account and guest reviews, and their count of rejections starts over), or stop trusting them; audited.',
      schema: TrustedRequestSchema,
      set: ({ personId, body: { trusted }, actor }) => services.policy.setTrusted({ personId, trusted, actor }),
    }),
    standingRoute(services, {
      path: '/api/people/:personId/shadow-ban',
      summary: "Shadow-ban a person (their new comments are seen by them and moderators alone), or lift it; audited.",
      schema: ShadowBanRequestSchema,
      set: ({ personId, body: { shadowBanned }, actor }) => services.policy.setShadowBanned({ personId, shadowBanned, actor }),
    }),
  ];
}
