import { z } from 'zod';

/**
 * One OpenID Connect provider the site lets people sign in with (OIDC_PROVIDERS, server/config.ts):
 * Google, Microsoft, Keycloak, Auth0 or a newsroom's own. `id` names it in addresses
 * (`/api/auth/oidc/<id>/callback`) and in the identity (`oidc:<id>`), so it must never change.
 */
export interface OidcProviderSettings {
  id: string;
  /** Shown on the button: "Sign in with <label>". */
  label: string;
  /** Where discovery starts (`<issuer>/.well-known/openid-configuration`); exactly as the provider names itself (Auth0's ends in `/`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Always includes `openid`. */
  scopes: string[];
}

/** What the sign-in pages may show of a provider (never its secret or issuer). */
export interface OidcProviderChoice {
  id: string;
  label: string;
}

export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'];

/** Loopback only: a provider on this machine (a test, a local Keycloak) may speak plain HTTP, nothing else may. */
function isAllowedIssuer(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.search || url.hash || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

const ProviderSchema = z.strictObject(
  {
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'expected 1–32 lowercase letters, digits or "-" (it is part of the redirect URI)'),
    label: z.string().trim().min(1, 'expected the name shown on the button, such as "Google"').max(60, 'at most 60 characters'),
    issuer: z.string().refine(isAllowedIssuer, 'expected the issuer\'s https:// URL, such as https://accounts.google.com (http:// only on localhost)'),
    clientId: z.string().min(1, 'expected the client id the provider gave').max(500),
    clientSecret: z.string().min(1, 'expected the client secret the provider gave').max(2000),
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'expected scope names without spaces'))
      .max(20)
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}: expected id, label, issuer, clientId, clientSecret, scopes` : undefined) },
);

/**
 * OIDC_PROVIDERS: a JSON array of `{ id, label, issuer, clientId, clientSecret, scopes? }`.
 * One variable rather than numbered ones, so a provider is added or removed in one place.
 */
export const OidcProvidersSchema = z.string().transform((value, ctx): OidcProviderSettings[] => {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON array such as [{"id":"google","label":"Google","issuer":"https://accounts.google.com","clientId":"…","clientSecret":"…"}]' });
    return z.NEVER;
  }
  if (!Array.isArray(json)) {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON array of providers, each {"id","label","issuer","clientId","clientSecret","scopes"?}' });
    return z.NEVER;
  }
  const providers: OidcProviderSettings[] = [];
  json.forEach((entry, index) => {
    const parsed = ProviderSchema.safeParse(entry);
    if (!parsed.success) {
      // The field's name and what is wrong with it, never its value (a secret may be what is wrong).
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `provider ${index + 1}${issue.path.length ? ` field ${issue.path.join('.')}` : ''}: ${issue.message}` });
      return;
    }
    const { scopes, ...rest } = parsed.data;
    if (providers.some((p) => p.id === rest.id)) ctx.addIssue({ code: 'custom', message: `provider ${index + 1}: the id "${rest.id}" is used twice` });
    providers.push({ ...rest, scopes: [...new Set(['openid', ...(scopes ?? DEFAULT_OIDC_SCOPES)])] });
  });
  return providers;
});
