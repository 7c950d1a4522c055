import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from './errors';
import { MAX_COUNT_SLUGS, parseCountRequest } from './countRequest';

const parse = (query: string, urls = true) => parseCountRequest(new URLSearchParams(query), { urls });

function refused(query: string, field: string, urls = true) {
  assert.throws(
    () => parse(query, urls),
    (err: unknown) => err instanceof AppError && err.code === 'invalid_request' && err.fields?.[field] !== undefined,
  );
}

describe('a request for comment counts', () => {
  test('slugs as one comma list (or several), duplicates folded; article addresses without their fragment', () => {
    assert.deepEqual(parse('slugs=a,b,a&slugs=c&url=https://news.example/x%23top&url=https://news.example/y'), {
      slugs: ['a', 'b', 'c'],
      urls: [
        { asked: 'https://news.example/x#top', url: 'https://news.example/x' },
        { asked: 'https://news.example/y', url: 'https://news.example/y' },
      ],
    });
  });

  test('a bad slug, too many, a bad address, nothing at all, or an address on the live stream: invalid_request naming the field', () => {
    refused('slugs=Bad_Slug', 'slugs');
    refused(`slugs=${Array.from({ length: MAX_COUNT_SLUGS + 1 }, (_, i) => `s${i}`).join(',')}`, 'slugs');
    refused('url=javascript:alert(1)', 'url');
    refused('url=/relative', 'url');
    refused('', 'slugs');
    refused('slugs=a&url=https://news.example/x', 'url', false);
  });
});
