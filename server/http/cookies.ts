import type { ServerResponse } from 'node:http';

/** Adds Set-Cookie headers to those already on the response (a page may set a guest cookie and more). */
export function appendSetCookie(res: ServerResponse, cookies: string | readonly string[]): void {
  const current = res.getHeader('set-cookie');
  const list = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  res.setHeader('set-cookie', [...list, ...(typeof cookies === 'string' ? [cookies] : cookies)]);
}

/** One of our cookies: every one is for the whole site (`Path=/`, which a `__Host-` name requires too) and none names a Domain. */
export function siteCookie(name: string, value: string, maxAgeSeconds: number, attributes: readonly string[]): string {
  return [`${name}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, ...attributes].join('; ');
}

/** The cookie expired now; `attributes` as it was set (a Partitioned cookie is another cookie than an unpartitioned one of its name). */
export function expiredCookie(name: string, attributes: readonly string[]): string {
  return siteCookie(name, '', 0, attributes);
}
