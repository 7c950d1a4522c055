import fs from 'node:fs/promises';
import path from 'node:path';
import { slugify } from '../domain/slug';
import type { ImportThreadRequest, Store } from '../store/store';
import { formatSeedError, parseSeed, type ParsedSeed, type SeedError } from './parseSeed';

export interface SeedFileReport {
  file: string;
  outcome: 'imported' | 'unchanged' | 'failed';
  slug?: string;
  comments?: number;
  errors?: SeedError[];
}

/** The parsed seed as a store import: the text has no authors and no dates, so none are invented. */
function seedToImport(seed: ParsedSeed, source: string): ImportThreadRequest {
  return {
    source,
    slug: slugify(seed.title),
    title: seed.title,
    article: seed.articleParagraphs.join('\n\n'),
    locked: seed.locked,
    comments: seed.comments.map((c) => ({
      key: c.key,
      parentKey: c.parentKey,
      status: c.status,
      authorName: null,
      body: c.body,
      createdAt: null,
    })),
  };
}

/** Imports one seed file; a malformed file imports nothing and reports every error with its line. */
export async function importSeedFile(options: { store: Store; file: string }): Promise<SeedFileReport> {
  const { store, file } = options;
  const name = path.basename(file);
  const text = await fs.readFile(file, 'utf8');
  const parsed = parseSeed(text, { file: name });
  if (!parsed.ok) return { file: name, outcome: 'failed', errors: parsed.errors };
  const { thread, created } = await store.importThread(seedToImport(parsed.seed, `seed:${name}`));
  return { file: name, outcome: created ? 'imported' : 'unchanged', slug: thread.slug, comments: parsed.seed.comments.length };
}

/** Every `*.txt` in the folder, in name order. Idempotent: a file already imported is left as it is. */
export async function importSeedDirectory(options: { store: Store; dir: string }): Promise<SeedFileReport[]> {
  const names = (await fs.readdir(options.dir)).filter((n) => n.endsWith('.txt')).sort();
  const reports: SeedFileReport[] = [];
  for (const name of names) reports.push(await importSeedFile({ store: options.store, file: path.join(options.dir, name) }));
  return reports;
}

export function describeSeedReport(report: SeedFileReport): string {
  switch (report.outcome) {
    case 'imported':
      return `imported ${report.file} as /articles/${report.slug} (${report.comments} comments)`;
    case 'unchanged':
      return `${report.file} was already imported as /articles/${report.slug}; nothing changed`;
    case 'failed':
      return [`${report.file} is malformed; nothing imported from it:`, ...(report.errors ?? []).map((e) => `  ${formatSeedError(e)}`)].join('\n');
  }
}
