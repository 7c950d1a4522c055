import type { ThreadFeed } from '../../lib/services/threadService';

/**
 * Characters XML 1.0 cannot hold at all (NUL and most C0 controls, lone
 * surrogates, U+FFFE/U+FFFF): dropped, since no escape can carry them.
 */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for an XML element or a double-quoted attribute. */
function xmlText(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const articlePath = (slug: string) => `/articles/${encodeURIComponent(slug)}`;
export const commentPath = (slug: string, id: string) => `${articlePath(slug)}/comments/${encodeURIComponent(id)}`;

/**
 * A thread's newest comments as Atom 1.0 (RFC 4287). Ids are permalinks on the
 * public origin, so they stay the same as long as the site keeps its address.
 * Comment HTML is the same sanitised rendering the page shows, escaped once
 * more as the text of a `type="html"` content element.
 */
export function renderAtomFeed(feed: ThreadFeed, options: { origin: string; picks?: boolean }): string {
  const { thread } = feed;
  const page = `${options.origin}${articlePath(thread.slug)}`;
  // The picks' own feed (issue 19.1): each entry the comment with the moderator's note above it, updated when featured.
  const picks = options.picks === true;
  const self = `${page}/${picks ? 'picks' : 'feed'}.xml`;
  const entries = feed.comments.map((c) => {
    const link = `${options.origin}${commentPath(thread.slug, c.id)}`;
    const published = c.createdAt ?? feed.updatedAt;
    const name = c.author.name?.trim() ? c.author.name : 'Anonymous';
    const note = picks && c.pick?.note ? `<p><strong>${xmlText(c.pick.note)}</strong></p>` : '';
    const updated = (picks ? c.pick?.at : null) ?? c.editedAt ?? published;
    return [
      '  <entry>',
      `    <id>${xmlText(link)}</id>`,
      `    <title type="text">${xmlText(`${name} on ${thread.title}`)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(link)}"/>`,
      `    <author><name>${xmlText(name)}</name></author>`,
      `    <published>${xmlText(published)}</published>`,
      `    <updated>${xmlText(updated)}</updated>`,
      `    <content type="html">${xmlText(note + c.html)}</content>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(picks ? self : page)}</id>`,
    `  <title type="text">${xmlText(`${picks ? 'Editors’ picks' : 'Comments'} on ${thread.title}`)}</title>`,
    `  <updated>${xmlText(feed.updatedAt)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(page)}"/>`,
    '  <generator>Threadline</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
