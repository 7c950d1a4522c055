/** Query parameters that carry a secret (a sign-in link's token, a one-time code, an address's proof or an unsubscribe token): never written to a log. */
const SECRET_PARAMS = ['token', 'code', 't'];

/**
 * A request's URL as a log line may show it: each secret parameter's value replaced by `[redacted]`.
 * The request log writes the path only (server/http/requestLog.ts); error lines that name the URL use this.
 */
export function loggedUrl(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  if (query < 0) return raw;
  const params = raw.slice(query + 1).split('&').map((pair) => {
    const name = pair.split('=', 1)[0] ?? '';
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // An undecodable name is logged as sent: it is no parameter of ours.
    }
    return SECRET_PARAMS.includes(decoded.toLowerCase()) ? `${name}=[redacted]` : pair;
  });
  return `${raw.slice(0, query)}?${params.join('&')}`;
}
