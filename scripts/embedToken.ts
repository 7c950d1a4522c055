/**
 * `npm run embed-token -- --slug … --title "…" --url https://… [--expires 2027-01-01T00:00:00Z]`:
 * prints the token (the last line of output) a host page puts in its embed tag
 * (`data-token`) so that the page's first view opens the thread with this slug,
 * title and article (docs/embed.md, "Opening threads"). Signed with EMBED_SECRET
 * from the environment, as the server reads it; made once, when the article is
 * published, for sites that cannot sign on their server.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SlugSchema } from '../lib/contract/api';
import { cleanTitle, hostPageUrl, MAX_PAGE_URL, MAX_TITLE } from '../lib/domain/embed';
import { signEmbedToken } from '../lib/domain/embedToken';
import { fieldErrors } from '../lib/domain/validation';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const ArgsSchema = z.object({
  slug: SlugSchema,
  title: z
    .string({ error: 'is required' })
    .transform(cleanTitle)
    .refine((t) => t.length > 0, 'must not be empty')
    .refine((t) => [...t].length <= MAX_TITLE, `must be at most ${MAX_TITLE} characters`),
  url: z
    .string({ error: 'is required' })
    .max(MAX_PAGE_URL, `must be at most ${MAX_PAGE_URL} characters`)
    .transform((u) => hostPageUrl(u))
    .refine((u): u is string => u !== null, 'must be an absolute http or https address'),
  expires: z.iso
    .datetime({ offset: true, error: 'must be a date and time such as 2027-01-01T00:00:00Z' })
    .transform((d) => Math.floor(Date.parse(d) / 1000))
    .refine((exp) => exp * 1000 > Date.now(), 'must be in the future')
    .optional(),
});

const USAGE = 'usage: EMBED_SECRET=… npm run embed-token -- --slug my-slug --title "Title" --url https://news.example.com/my-story [--expires 2027-01-01T00:00:00Z]';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { slug: { type: 'string' }, title: { type: 'string' }, url: { type: 'string' }, expires: { type: 'string' } } });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(fieldErrors(parsed.error))) console.error(`--${field}: ${messages.join('; ')}`);
    console.error(USAGE);
    return 2;
  }
  const secret = loadConfig(process.env, { server: false }).embedSecret;
  if (!secret) {
    console.error('EMBED_SECRET: not set; set it to the secret the Threadline server has (at least 32 characters)');
    console.error(USAGE);
    return 2;
  }
  const { slug, title, url, expires } = parsed.data;
  console.log(signEmbedToken({ slug, title, url: url as string, ...(expires !== undefined && { exp: expires }) }, secret));
  return 0;
}

runScript('embed-token', main);
