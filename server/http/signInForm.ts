import { z } from '../../lib/contract/zod';
import { toAppError } from '../../lib/domain/errors';
import { safeNextPath } from '../../lib/domain/nextPath';
import type { Services } from '../../lib/services';
import { readFormBody } from './body';
import type { Route } from './router';
import { signIn } from './staffSession';

/** The sign-in page's form, as a browser sends it without JavaScript (or before the page is live). */
const SignInFormSchema = z.object({
  username: z.string(),
  password: z.string(),
  /** Where to go once signed in: a path on this site (anything else leads to the desk). */
  next: z.string().optional(),
});

export const SIGN_IN_PATH = '/login';

/**
 * Signing in without JavaScript: the sign-in page's form posts here and the
 * browser is sent on to `next` (only ever a path on this site, lib/domain/nextPath.ts),
 * or back to the form with the reason. With JavaScript the page signs in over
 * the API and follows the same rule.
 */
export function signInFormRoutes(services: Services): Route[] {
  return [
    {
      method: 'POST',
      path: SIGN_IN_PATH,
      doc: {
        summary: 'Sign in without JavaScript (the sign-in page’s HTML form); sets the session cookie.',
        tag: 'accounts',
        body: { schema: SignInFormSchema, contentType: 'application/x-www-form-urlencoded' },
        responses: {
          303: { description: 'On to `next` when it is a path on this site (else the desk, `/moderate`), or back to the form with `?error=<code>&next=<path>`.', headers: ['location'] },
        },
        errors: ['cross_site', 'payload_too_large'],
      },
      handle: async ({ req, res }) => {
        let next = safeNextPath(null);
        try {
          const form = await readFormBody(req);
          next = safeNextPath(form.next);
          await signIn(services, req, res, { username: form.username ?? '', password: form.password ?? '' });
          return { status: 303, location: next };
        } catch (err) {
          const error = toAppError(err);
          // A fault of ours is the error page's to say; a refusal goes back to the form, in the reader's words.
          if (error.code === 'internal') throw error;
          return { status: 303, location: `${SIGN_IN_PATH}?${new URLSearchParams({ error: error.code, next }).toString()}` };
        }
      },
    },
  ];
}
