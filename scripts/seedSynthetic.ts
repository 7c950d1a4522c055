/**
 * `npm run seed:synthetic -- --comments 10000 --depth 8 [--seed 1] [--title "…"] [--slug …]`:
 * creates a large, realistically shaped open thread (see lib/seed/synthetic.ts)
 * in the configured store and prints its slug (the last line of output). The
 * same options give the same thread; running it again reuses that thread.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SlugSchema } from '../lib/contract/api';
import { fieldErrors } from '../lib/domain/validation';
import { syntheticComments } from '../lib/seed/synthetic';
import { openStore } from '../lib/store';
import { loadConfig } from '../server/config';
import { runScript } from './runScript';

const count = (max: number) => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

const ArgsSchema = z.object({
  comments: count(1_000_000).default(10_000),
  depth: count(64).default(8),
  seed: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').default(1),
  title: z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters').optional(),
  slug: SlugSchema.optional(),
});

const USAGE = 'usage: npm run seed:synthetic -- [--comments 10000] [--depth 8] [--seed 1] [--title "Title"] [--slug my-slug]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { comments: { type: 'string' }, depth: { type: 'string' }, seed: { type: 'string' }, title: { type: 'string' }, slug: { type: 'string' } },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(fieldErrors(parsed.error))) console.error(`--${field}: ${messages.join('; ')}`);
    console.error(USAGE);
    return 2;
  }
  const { comments, depth, seed } = parsed.data;
  const config = loadConfig(process.env, { server: false });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const started = Date.now();
    const { thread, created } = await store.importThread({
      source: `synthetic:${comments}:${depth}:${seed}`,
      slug: parsed.data.slug ?? `synthetic-${comments}-comments`,
      title: parsed.data.title ?? `A busy thread: ${comments.toLocaleString('en')} comments`,
      article: 'A synthetic discussion for trying Threadline on a thread of the day.\n\nIts comments are generated: their lengths, branching and depth follow the shape of real news threads.',
      locked: false,
      comments: syntheticComments({ comments, maxDepth: depth, seed }),
    });
    console.error(created ? `created ${comments} comments in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'this thread already exists; nothing was changed');
    console.log(thread.slug);
    return 0;
  } finally {
    await store.close();
  }
}

runScript('seed:synthetic', main);
