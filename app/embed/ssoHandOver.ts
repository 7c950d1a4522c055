import { SSO_TOKEN_MAX } from '../../lib/contract/limits';

/** What a `threadline:sso` message may carry: a token (a string of JWT characters) or null. */
export function ssoTokenOf(value: unknown): string | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' && value.length > 0 && value.length <= SSO_TOKEN_MAX && /^[\w.-]+$/.test(value) ? value : undefined;
}

/**
 * Swaps the host's sign-in token for a session in this frame (`POST /api/auth/sso?frame=1`: the
 * cookie is the one a cross-site frame keeps), or with null ends a session the host's token opened.
 * `changed`: someone else is signed in now (the frame re-reads the reader's own and reconnects);
 * `refused`: why the token was not taken (the host's developers see it in their console).
 */
export async function handOverSso(token: string | null): Promise<{ changed: boolean; refused?: string }> {
  try {
    const res = await fetch('/api/auth/sso?frame=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }), credentials: 'same-origin' });
    const body = (await res.json()) as { changed?: unknown; error?: { code?: unknown; fields?: { token?: unknown[] } } };
    if (res.ok) return { changed: body.changed === true };
    return { changed: false, refused: String(body.error?.fields?.token?.[0] ?? body.error?.code ?? res.status) };
  } catch {
    return { changed: false, refused: 'no_answer' };
  }
}
