import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Where the importer writes: a test database's (`DATABASE_URL`, else SQLite in `dataDir`). */
export interface ImportTarget {
  databaseUrl: string | undefined;
  dataDir: string;
}

/**
 * `npm run import -- --format disqus FILE` in a process of its own, as an operator runs it beside a
 * live server: its own connection to the database, nothing shared with the server but the database.
 * Resolves with its exit code and everything it printed.
 */
export async function runImportProcess(options: { target: ImportTarget; file: string }): Promise<{ code: number | null; output: string }> {
  const { databaseUrl, dataDir } = options.target;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production' };
  if (databaseUrl === undefined) delete env.DATABASE_URL;
  else env.DATABASE_URL = databaseUrl;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'import.ts'), '--format', 'disqus', options.file], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, output };
}

export interface ExportedComment {
  /** Its Disqus id, unique in the file. */
  id: string;
  /** The Disqus id of the comment it answers. */
  parent?: string;
  author: string;
  /** Plain text (the importer reads Disqus messages as HTML: keep it free of markup). */
  text: string;
}

/**
 * A Disqus export of one article whose link ends in `slug`: imported, its comments land in the thread
 * already open under that slug (docs/import.md, mapping). Written to `file`.
 */
export function writeDisqusExport(options: { file: string; slug: string; comments: readonly ExportedComment[] }): string {
  const posts = options.comments.map(
    (c, i) => `  <post dsq:id="${c.id}">
    <message><![CDATA[<p>${c.text}</p>]]></message>
    <createdAt>2021-03-0${(i % 9) + 1}T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><name>${c.author}</name></author>
    <thread dsq:id="1"/>${c.parent ? `\n    <parent dsq:id="${c.parent}"/>` : ''}
  </post>`,
  );
  fs.writeFileSync(
    options.file,
    `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1">
    <link>https://news.example/2021/03/${options.slug}/</link>
    <title>An article with readers</title>
    <createdAt>2021-03-01T08:00:00Z</createdAt>
    <isClosed>false</isClosed>
    <isDeleted>false</isDeleted>
  </thread>
${posts.join('\n')}
</disqus>
`,
  );
  return options.file;
}
