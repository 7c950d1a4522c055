import { headers } from 'next/headers';
import { readOwnCookie, STAFF_COOKIE } from '../../lib/domain/cookieNames';
import { getServices } from '../../lib/services/registry';
import { currentSignInMethods, type SignInMethods } from '../../lib/services/signIn/methods';
import type { User } from '../../lib/store/accountStore';

/** The signed-in person (any role) of this page's request, checked against the store. */
export async function signedInPerson(): Promise<User | null> {
  const token = readOwnCookie((await headers()).get('cookie'), STAFF_COOKIE).value;
  return (await getServices().auth.person(token))?.user ?? null;
}

/** The ways to sign in here: the configuration's (registered at start), email as the services run it. */
export function offeredMethods(): SignInMethods {
  return { ...currentSignInMethods(), email: getServices().emailLinks !== null };
}
