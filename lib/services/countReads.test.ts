import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Thread } from '../domain/types';
import { readCounts } from './countReads';

describe('the counts a CMS asks for', () => {
  test('by slug (null when unknown) and by article address (the thread found for one of its spellings), one read for all', async () => {
    const reads: string[][] = [];
    const store = {
      readCommentCounts: async (slugs: readonly string[]) => {
        reads.push([...slugs]);
        return new Map([['a', 3], ['imported', 7]].filter(([slug]) => slugs.includes(slug as string)) as [string, number][]);
      },
      findImportedThreadByArticleUrl: async (urls: readonly string[]) => (urls.includes('https://www.news.example/x') ? ({ slug: 'imported' } as Thread) : undefined),
    };
    const candidates = (url: string) => [url, url.replace('https://', 'https://www.')];
    const answer = await readCounts({ store, candidates }, {
      slugs: ['a', 'gone'],
      urls: [
        { asked: 'https://news.example/x#c', url: 'https://news.example/x' },
        { asked: 'https://news.example/nothing', url: 'https://news.example/nothing' },
      ],
    });
    assert.deepEqual(answer, { counts: { a: 3, gone: null }, urls: { 'https://news.example/x#c': { slug: 'imported', count: 7 }, 'https://news.example/nothing': null } });
    assert.deepEqual(reads, [['a', 'gone', 'imported']]);
  });
});
