import { processGlobal } from '../../domain/processGlobal';

/** An OpenID Connect provider as the sign-in page lists it (its button): the id in its URLs, and its name. */
export interface OidcProviderButton {
  id: string;
  label: string;
}

/** The ways to sign in this site offers, for the sign-in page (app/signin) and the API. */
export interface SignInMethods {
  email: boolean;
  oidc: OidcProviderButton[];
  sso: boolean;
  password: boolean;
}

/**
 * What the configuration (server/config.ts) says about sign-in: a structural subset, so the
 * sign-in page and tests can pass just what they have. Each method fills its own field.
 */
export interface SignInSettings {
  /** SMTP_URL: set, email links are on. */
  smtpUrl?: string | undefined;
  /** OIDC_PROVIDERS (the OpenID Connect part); none by default. */
  oidcProviders?: readonly OidcProviderButton[] | undefined;
  /** SSO_SECRET or SSO_JWKS_URL: set, the host site's tokens sign its readers in. */
  ssoSecret?: string | undefined;
  ssoJwksUrl?: string | undefined;
}

/** Which methods are on. A password stays for staff (/login) wherever the others are. */
export function signInMethods(config: SignInSettings): SignInMethods {
  return {
    email: Boolean(config.smtpUrl),
    oidc: (config.oidcProviders ?? []).map(({ id, label }) => ({ id, label })),
    sso: Boolean(config.ssoSecret || config.ssoJwksUrl),
    password: true,
  };
}

const registered = processGlobal<SignInMethods>('threadline.signInMethods', { missing: 'no sign-in methods registered' });

/** Set once at start (server/main.ts) from the configuration, for the pages, which have no configuration of their own. */
export const registerSignInMethods = registered.register;

/** The methods registered at start; without a registration (tests, tools), none but the password. */
export function currentSignInMethods(): SignInMethods {
  try {
    return registered.get();
  } catch {
    return signInMethods({});
  }
}

/** Whether a commenter can sign in on this site's own pages (an email link, an OpenID Connect provider): the comment box then offers it. */
export function commenterSignIn(methods: SignInMethods = currentSignInMethods()): boolean {
  return methods.email || methods.oidc.length > 0;
}
