import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

/** A person the test provider knows: their subject and the claims it vouches for. */
export interface ProviderAccount {
  sub: string;
  name: string;
  email?: string;
  emailVerified?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers the client's redirect URIs and starts answering (until then every request is 503: the app's port comes after the issuer's). */
  open(redirectUris: string[]): void;
  /** Adds (or replaces) a person who can sign in at the provider. */
  addAccount(account: ProviderAccount): void;
  /** The provider's own HTTP server stops: discovery and the token exchange find nobody there. */
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A real OpenID Connect provider (`oidc-provider`) on a free port, for tests: one confidential client
 * (client_secret_post, PKCE S256 required), the redirect URIs given, and its own sign-in page: a form
 * that signs in the person whose subject is typed (no password: the provider's own checks are not
 * what is tested), or cancels (access_denied). Consent is taken as given (a first-party client).
 */
export async function startTestOidcProvider(options: { clientId?: string; clientSecret?: string } = {}): Promise<TestOidcProvider> {
  const accounts = new Map<string, ProviderAccount>();
  const clientId = options.clientId ?? 'threadline-test';
  const clientSecret = options.clientSecret ?? 'test-client-secret-0123456789';
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration = (redirectUris: string[]): Configuration => ({
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true, methods: ['S256'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The ID token carries the claims itself, as Google's and Microsoft's do (no userinfo request).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          name: account.name,
          ...(account.email !== undefined && { email: account.email, email_verified: account.emailVerified ?? false }),
        }),
      };
    },
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  let provider: Provider | undefined;
  let callback: ReturnType<Provider['callback']> | undefined;

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!provider || !callback) return void res.writeHead(503).end();
    const match = /^\/interaction\/([^/?]+)(\/login|\/abort)?/.exec(req.url ?? '');
    if (!match) return void callback(req, res);
    void (async () => {
      const details = await provider!.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>Test provider</title><h1>Sign in at the test provider</h1>
<form method="post" action="/interaction/${escapeHtml(details.uid)}/login"><label>Subject <input name="login" autocomplete="off"></label><button>Sign in</button></form>
<form method="post" action="/interaction/${escapeHtml(details.uid)}/abort"><button>Cancel</button></form>`);
        return;
      }
      if (match[2] === '/abort') {
        await provider!.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person cancelled.' }, { mergeWithLastSubmission: false });
        return;
      }
      const login = new URLSearchParams(await readBody(req)).get('login') ?? '';
      if (!accounts.has(login)) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown subject');
        return;
      }
      await provider!.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    open(redirectUris) {
      provider = new Provider(issuer, configuration(redirectUris));
      callback = provider.callback();
    },
    addAccount: (account) => void accounts.set(account.sub, account),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
