/** The address that starts signing in with a provider (server/http/oidcRoutes.ts); `popup` for the embed's popup (docs/embed.md). */
export function oidcStartPath(providerId: string, options: { next: string; popup?: boolean }): string {
  const query = new URLSearchParams({ next: options.next });
  if (options.popup) query.set('popup', '1');
  return `/api/auth/oidc/${encodeURIComponent(providerId)}/start?${query}`;
}
