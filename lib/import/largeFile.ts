import fs from 'node:fs';
import { once } from 'node:events';

/**
 * Writes a Disqus export of `comments` comments over `threads` threads, for the
 * memory test and for trying the importer at scale. Every tenth comment answers
 * an earlier one; every fiftieth answers one that comes later in the file, as
 * Disqus exports can. Returns the file's size in bytes.
 */
export async function writeLargeDisqusExport(options: { file: string; comments: number; threads: number; bodyBytes: number }): Promise<number> {
  const out = fs.createWriteStream(options.file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const filler = 'Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit &amp; more. '.repeat(Math.ceil(options.bodyBytes / 76)).slice(0, options.bodyBytes);
  await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');
  for (let t = 1; t <= options.threads; t++) {
    await write(`  <thread dsq:id="t${t}"><link>https://big.example/article-${t}/</link><title>Article ${t}</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>\n`);
  }
  for (let i = 1; i <= options.comments; i++) {
    const thread = ((i - 1) % options.threads) + 1;
    let parent = '';
    // A parent in the same thread: `threads` comments before (earlier) or after (later in the file).
    if (i % 50 === 25 && i + options.threads <= options.comments) parent = `<parent dsq:id="p${i + options.threads}"/>`;
    else if (i % 10 === 0 && i > options.threads) parent = `<parent dsq:id="p${i - options.threads}"/>`;
    await write(
      `  <post dsq:id="p${i}"><message><![CDATA[<p>Comment ${i}. ${filler}</p>]]></message><createdAt>2020-01-02T00:00:00Z</createdAt>` +
        `<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Reader ${i % 997}</name></author><thread dsq:id="t${thread}"/>${parent}</post>\n`,
    );
  }
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
  return fs.statSync(options.file).size;
}
