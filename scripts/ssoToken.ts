/**
 * `npm run sso-token -- --sub 42 --name Ada --email ada@example.com [--badges journalist,expert] [--ttl 300]`:
 * prints a sign-in token (the last line of output) as a host site makes one for its signed-in user
 * (docs/embed.md, "Signing readers in with your site's login"), signed with SSO_SECRET (HS256) from
 * the environment and carrying SSO_ISSUER / SSO_AUDIENCE when they are set, as the server checks
 * them. For trying the sign-in out, and as a model: a site's server does the same per page view.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { BADGES } from '../lib/domain/identity';
import { SSO_MAX_LIFETIME_S } from '../lib/services/signIn/ssoTokens';
import { fieldErrors } from '../lib/domain/validation';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const ArgsSchema = z.object({
  sub: z.string({ error: 'is required: your user id' }).min(1).max(255),
  name: z.string().min(1).max(50).optional(),
  email: z.email().optional(),
  badges: z
    .string()
    .transform((v) => v.split(',').map((b) => b.trim()).filter(Boolean))
    .pipe(z.array(z.enum(BADGES, { error: `each badge must be one of ${BADGES.join(', ')}` })))
    .optional(),
  ttl: z
    .string()
    .regex(/^\d+$/, 'must be a number of seconds')
    .transform(Number)
    .refine((n) => n >= 1 && n <= SSO_MAX_LIFETIME_S, `must be 1 to ${SSO_MAX_LIFETIME_S} seconds`)
    .optional(),
});

const USAGE = 'usage: SSO_SECRET=… npm run sso-token -- --sub 42 --name Ada --email ada@example.com [--badges journalist,expert] [--ttl 300]';

/** The token, as a host site's server makes it (the docs' snippet does the same in ten lines). */
export function makeSsoToken(
  user: { sub: string; name?: string | undefined; email?: string | undefined; badges?: string[] | undefined },
  options: { secret: string; issuer?: string | undefined; audience?: string | undefined; ttlSeconds?: number | undefined },
): Promise<string> {
  const jwt = new SignJWT({ ...(user.name && { name: user.name }), ...(user.email && { email: user.email }), ...(user.badges && { badges: user.badges }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.sub)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 300}s`);
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.audience) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { sub: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, badges: { type: 'string' }, ttl: { type: 'string' } } });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(fieldErrors(parsed.error))) console.error(`--${field}: ${messages.join('; ')}`);
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, { server: false });
  if (!config.ssoSecret) {
    console.error('SSO_SECRET: not set; set it to the secret the Threadline server has (at least 32 bytes)');
    console.error(USAGE);
    return 2;
  }
  const { sub, name, email, badges, ttl } = parsed.data;
  console.log(await makeSsoToken({ sub, name, email, badges }, { secret: config.ssoSecret, issuer: config.ssoIssuer, audience: config.ssoAudience, ttlSeconds: ttl }));
  return 0;
}

if (require.main === module) runScript('sso-token', main);
