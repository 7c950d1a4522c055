/**
 * `npm run thread:create -- --title "…" [--slug …] [--article-file FILE]`:
 * opens a discussion for a new article in the configured store and prints its
 * slug (the last line of output), so a newsroom or a test can script it.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SlugSchema } from '../lib/contract/api';
import { fieldErrors } from '../lib/domain/validation';
import { createThreadService } from '../lib/services/threadService';
import { openStore } from '../lib/store';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const ArgsSchema = z.object({
  title: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters'),
  slug: SlugSchema.optional(),
  'article-file': z.string().optional(),
});

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { title: { type: 'string' }, slug: { type: 'string' }, 'article-file': { type: 'string' } } });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(fieldErrors(parsed.error))) console.error(`--${field}: ${messages.join('; ')}`);
    console.error('usage: npm run thread:create -- --title "Title" [--slug my-slug] [--article-file article.txt]');
    return 2;
  }
  const config = loadConfig(process.env, { server: false });
  const article = parsed.data['article-file'] ? fs.readFileSync(parsed.data['article-file'], 'utf8') : '';
  // As the server does: COMMENTS_CLOSE_AFTER_DAYS gives the new thread its closing time.
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, closeAfterDays: config.commentsCloseAfterDays });
  try {
    const thread = await createThreadService({ store }).createThread({ title: parsed.data.title, slug: parsed.data.slug, article });
    console.log(thread.slug);
    return 0;
  } finally {
    await store.close();
  }
}

runScript('thread:create', main);
