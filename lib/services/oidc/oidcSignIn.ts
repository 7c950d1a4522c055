import * as client from 'openid-client';
import { AppError } from '../../domain/errors';
import type { ProvenIdentity } from '../../domain/identity';
import { OIDC_FLOW_TTL_MS, type OidcFlow } from './oidcFlow';
import type { OidcProviderChoice, OidcProviderSettings } from './oidcProviders';

/**
 * Why an OpenID Connect sign-in failed, as the `oidc_failed` error names it (in `fields`, under
 * the part of the callback at fault) and the sign-in page shows it. Stable: clients switch on it.
 */
export type OidcFailure =
  | 'unknown_provider'
  | 'state_missing'
  | 'state_mismatch'
  | 'access_denied'
  | 'provider_error'
  | 'code_missing'
  | 'code_rejected'
  | 'id_token_invalid';

const FAILURE_FIELD: Record<OidcFailure, string> = {
  unknown_provider: 'provider',
  state_missing: 'state',
  state_mismatch: 'state',
  access_denied: 'error',
  provider_error: 'error',
  code_missing: 'code',
  code_rejected: 'code',
  id_token_invalid: 'id_token',
};

export function oidcFailed(reason: OidcFailure, detail?: string): AppError {
  return new AppError('oidc_failed', { fields: { [FAILURE_FIELD[reason]]: [reason] }, detail });
}

/** The reason of an `oidc_failed` error (its one field's first message), or null for any other error. */
export function oidcFailureOf(error: AppError): OidcFailure | null {
  if (error.code !== 'oidc_failed' || !error.fields) return null;
  const reason = Object.values(error.fields)[0]?.[0];
  return reason && reason in FAILURE_FIELD ? (reason as OidcFailure) : null;
}

/** How long discovery and the token request may take before the provider counts as unreachable. */
const PROVIDER_TIMEOUT_S = 5;

export interface OidcSignIn {
  /** The providers the sign-in pages offer, in the configured order; empty: the method is off. */
  providers(): OidcProviderChoice[];
  /**
   * Where to send the browser to sign in at the provider, and the flow it must bring back (kept in
   * its cookie). Discovers the provider on first use: one that cannot be reached is `oidc_unavailable`.
   */
  begin(request: { providerId: string; redirectUri: string; next: string; popup: boolean }): Promise<{ url: string; flow: OidcFlow }>;
  /**
   * Checks the provider's answer (`callbackUrl`, the callback's whole address) against the flow this
   * browser brought, exchanges the code and validates the ID token: the identity it proves.
   */
  finish(request: { providerId: string; redirectUri: string; callbackUrl: URL; flow: OidcFlow | null }): Promise<ProvenIdentity>;
}

export function createOidcSignIn(options: { providers: readonly OidcProviderSettings[]; now?: () => number }): OidcSignIn {
  const now = options.now ?? Date.now;
  const byId = new Map(options.providers.map((p) => [p.id, p]));
  /** Discovered once per provider; a failed discovery is forgotten, so the next sign-in tries again. */
  const discovered = new Map<string, Promise<client.Configuration>>();

  function providerOf(id: string): OidcProviderSettings {
    if (byId.size === 0) throw new AppError('sign_in_method_off', { message: 'Signing in with OpenID Connect is not set up on this site.' });
    const provider = byId.get(id);
    if (!provider) throw oidcFailed('unknown_provider');
    return provider;
  }

  function configurationOf(provider: OidcProviderSettings): Promise<client.Configuration> {
    let configuration = discovered.get(provider.id);
    if (!configuration) {
      const issuer = new URL(provider.issuer);
      configuration = client
        .discovery(issuer, provider.clientId, provider.clientSecret, undefined, {
          timeout: PROVIDER_TIMEOUT_S,
          // Config allows plain HTTP for a provider on this machine only (lib/services/oidc/oidcProviders.ts).
          execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
        })
        .catch((err: unknown) => {
          discovered.delete(provider.id);
          throw new AppError('oidc_unavailable', { detail: `discovery of ${provider.id} at ${issuer.origin} failed: ${describe(err)}`, cause: err });
        });
      discovered.set(provider.id, configuration);
    }
    return configuration;
  }

  return {
    providers: () => options.providers.map(({ id, label }) => ({ id, label })),

    async begin({ providerId, redirectUri, next, popup }) {
      const provider = providerOf(providerId);
      const configuration = await configurationOf(provider);
      const flow: OidcFlow = {
        provider: provider.id,
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        next,
        popup,
        expiresAt: now() + OIDC_FLOW_TTL_MS,
      };
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: provider.scopes.join(' '),
        code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url: url.href, flow };
    },

    async finish({ providerId, redirectUri, callbackUrl, flow }) {
      const provider = providerOf(providerId);
      const query = callbackUrl.searchParams;
      // This browser's own flow first: an answer it did not ask for is refused before anything else is read.
      if (!flow) throw oidcFailed('state_missing');
      if (flow.provider !== provider.id || query.get('state') !== flow.state) throw oidcFailed('state_mismatch');
      const error = query.get('error');
      if (error !== null) throw oidcFailed(error === 'access_denied' ? 'access_denied' : 'provider_error', `the provider answered ${error.slice(0, 64)}`);
      if (!query.get('code')) throw oidcFailed('code_missing');
      const configuration = await configurationOf(provider);
      // The library matches the answer against the redirect URI it was sent to; the request's own address may differ behind a proxy.
      const current = new URL(redirectUri);
      current.search = callbackUrl.search;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(configuration, current, {
          pkceCodeVerifier: flow.codeVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw grantFailure(provider, err);
      }
      const claims = tokens.claims();
      if (!claims) throw oidcFailed('id_token_invalid', 'no ID token');
      const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email.toLowerCase() : null;
      return {
        method: 'oidc',
        provider: `oidc:${provider.id}`,
        subject: claims.sub,
        email,
        emailVerified: email !== null && claims.email_verified === true,
        name: nameOf(claims),
        badges: null,
      };
    },
  };
}

function nameOf(claims: client.IDToken): string | null {
  for (const key of ['name', 'preferred_username', 'nickname', 'given_name'] as const) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return null;
}

/** The provider refused the code (used, expired, wrong verifier), sent a bad ID token, or could not be reached. */
function grantFailure(provider: OidcProviderSettings, err: unknown): AppError {
  const detail = `${provider.id}: ${describe(err)}`;
  if (err instanceof client.ResponseBodyError) return oidcFailed('code_rejected', detail);
  if (isUnreachable(err)) return new AppError('oidc_unavailable', { detail, cause: err });
  return oidcFailed('id_token_invalid', detail);
}

function isUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  // fetch() fails with a TypeError for a refused or reset connection; openid-client wraps it with the cause kept.
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) return true;
  return err.cause !== undefined && err.cause !== err && isUnreachable(err.cause);
}

/** An error's class and message, for the log: never a token (openid-client's messages hold none). */
function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}${'code' in err && typeof err.code === 'string' ? ` ${err.code}` : ''}: ${err.message}` : String(err);
}
