import http, { type IncomingHttpHeaders } from 'node:http';

/** An answer to a request made from a chosen address. */
export interface AddressedResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received (still compressed when the server compressed it). */
  raw: Buffer;
  /** The parsed JSON body, or undefined when the answer is not JSON. */
  json: unknown;
  /** The `Set-Cookie` headers, `name=value` only. */
  cookies: string[];
  /** This answer's place among every answer of this process's `requestFrom` calls, counted as they completed. */
  order: number;
}

let answered = 0;

/**
 * A request from `localAddress`: Linux routes all of 127/8 to loopback, so
 * 127.0.3.4 is another client address on the same machine, as the server sees
 * it (fetch cannot choose one). A JSON body (or a form's fields) is sent with
 * the server's own Origin, as the site's pages send it.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  options: { method?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; cookie?: string } = {},
): Promise<AddressedResult> {
  const payload = options.form !== undefined ? new URLSearchParams(options.form).toString() : options.json === undefined ? undefined : JSON.stringify(options.json);
  const contentType = options.form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json';
  const headers: Record<string, string | number> = { ...options.headers };
  if (payload !== undefined) Object.assign(headers, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), origin: new URL(url).origin });
  if (options.cookie) headers.cookie = options.cookie;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? (payload === undefined ? 'GET' : 'POST'), localAddress, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const isJson = (res.headers['content-type'] ?? '').startsWith('application/json');
        const cookies = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] ?? '');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, json: isJson ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined, cookies, order: ++answered });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The `n`th of a run of distinct loopback addresses, 127.<block>.x.y with y from 1 to 254 (n below 65,024). */
export function loopbackAddress(block: number, n: number): string {
  return `127.${block}.${Math.floor(n / 254)}.${(n % 254) + 1}`;
}
