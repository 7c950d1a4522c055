/**
 * A browser reduced to what a redirect-based sign-in needs: it follows redirects across servers
 * (one after another, as a browser does), keeps the cookies each sets (by name: every test server is
 * on 127.0.0.1, and cookies ignore ports), and submits forms as `application/x-www-form-urlencoded`.
 */
export class RedirectBrowser {
  readonly jar = new Map<string, string>();

  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** One request, without following its redirect. */
  async send(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.jar.size > 0) headers.cookie = this.cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      headers.origin = new URL(url).origin;
      body = JSON.stringify(init.json);
    }
    const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = setCookie.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a) || /^\s*expires\s*=.*1970/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  /** Follows redirects from `url` until an answer that is not one; every address visited, the last one's response. */
  async follow(url: string, init: { method?: string; form?: Record<string, string> } = {}, stopAt?: (url: URL) => boolean): Promise<{ response: Response; url: string; visited: string[] }> {
    const visited: string[] = [];
    let current = url;
    let response = await this.send(current, init);
    visited.push(current);
    for (let hops = 0; hops < 20 && response.status >= 300 && response.status < 400; hops++) {
      const location = response.headers.get('location');
      if (!location) break;
      current = new URL(location, current).href;
      if (stopAt?.(new URL(current))) return { response, url: current, visited };
      await response.arrayBuffer();
      response = await this.send(current);
      visited.push(current);
    }
    return { response, url: current, visited };
  }
}
