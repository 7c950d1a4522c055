import { z } from '../../lib/contract/zod';
import { ACCOUNT_ROLES } from '../../lib/domain/identity';
import { AppError } from '../../lib/domain/errors';
import { parseOrThrow } from '../../lib/domain/validation';
import type { Services } from '../../lib/services';
import { readJsonBody } from './body';
import { JSON_BODY_ERRORS, STAFF_ERRORS } from './routeDoc';
import type { Route } from './router';
import { requireStaff } from './staffSession';

const RoleRequestSchema = z.strictObject({ role: z.enum(ACCOUNT_ROLES) });
const PersonIdSchema = z.string().regex(/^[a-z0-9]{1,32}$/);
const RoleResponseSchema = z.object({ person: z.object({ id: z.string(), displayName: z.string(), role: z.enum(ACCOUNT_ROLES) }) });

/**
 * An admin makes a person a moderator (who then signs in through any method, OpenID Connect
 * included, and gets the desk), an admin, or a commenter again.
 */
export function roleRoutes(services: Services): Route[] {
  return [
    {
      method: 'PUT',
      path: '/api/people/:id/role',
      doc: {
        summary: 'Set a person\'s role (admin only, audited, never on oneself). Their open sessions keep going and carry the new rights at once; their sockets reconnect with them.',
        tag: 'accounts',
        access: 'admin',
        params: { id: PersonIdSchema },
        body: { schema: RoleRequestSchema },
        responses: { 200: { description: 'The person with their new role.', schema: RoleResponseSchema } },
        errors: [...JSON_BODY_ERRORS, ...STAFF_ERRORS, 'user_not_found'],
      },
      handle: async ({ req, params }) => {
        const { user: actor } = await requireStaff(services, req, 'admin');
        const id = PersonIdSchema.safeParse(params.id);
        if (!id.success) throw new AppError('user_not_found', { message: 'No account has that id.' });
        const { role } = parseOrThrow(RoleRequestSchema, await readJsonBody(req));
        const person = await services.auth.setRole({ userId: id.data, role, actor });
        return { status: 200, body: { person: { id: person.id, displayName: person.displayName, role: person.role } } };
      },
    },
  ];
}
