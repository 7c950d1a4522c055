import type { OidcProviderChoice } from '../../lib/services/oidc/oidcProviders';
import { serverTranslator } from '../i18n/server';
import { oidcStartPath } from './oidcStart';

/**
 * "Sign in with <provider>" for each configured OpenID Connect provider: plain links, so they work
 * without JavaScript (the sign-in is a series of redirects). Renders nothing when none is configured.
 * Used by the readers' /signin page and the staff's /login page alike.
 */
export async function OidcButtons({ providers, next }: { providers: readonly OidcProviderChoice[]; next: string }) {
  if (providers.length === 0) return null;
  const t = await serverTranslator();
  return (
    <nav className="oidc-providers" aria-label={t.t('oidc.providers')}>
      <ul>
        {providers.map((provider) => (
          <li key={provider.id}>
            <a className="button" href={oidcStartPath(provider.id, { next })} data-oidc-provider={provider.id}>
              {t.t('oidc.signInWith', { provider: provider.label })}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
