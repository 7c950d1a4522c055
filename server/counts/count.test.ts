import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import vm from 'node:vm';

interface CountParts {
  countText(count: number, lang: string | null, format: string | null): string;
  readMessage(data: string): Record<string, number | null> | null;
  readAnswer(body: unknown): { counts: Record<string, number | null>; urls: Record<string, { slug: string; count: number } | null> } | null;
  nextPoll(previousMs: number, changed: boolean): number;
}

/** count.js run as a page would, without a page: only its parts are defined. */
function loadCountScript(): CountParts {
  const window: { Threadline?: { counts: CountParts } } = {};
  vm.runInNewContext(fs.readFileSync(path.join(__dirname, 'count.js'), 'utf8'), { window, document: { currentScript: null } });
  return window.Threadline!.counts;
}

describe('count.js, its parts', () => {
  const parts = loadCountScript();

  test('a count in the page language, or the number alone', () => {
    assert.equal(parts.countText(1, 'en', null), '1 comment');
    assert.equal(parts.countText(1234, 'en-GB', null), '1,234 comments');
    assert.equal(parts.countText(1, 'de-DE', null), '1 Kommentar');
    assert.equal(parts.countText(1234, 'de', null), '1.234 Kommentare');
    assert.equal(parts.countText(0, null, null), '0 comments');
    assert.equal(parts.countText(7, 'fr', null), '7 comments', 'a language it has no words for is English');
    assert.equal(parts.countText(12, 'en', 'number'), '12');
  });

  test('a stream message: counts by slug, null for unknown; anything else is not taken', () => {
    assert.deepEqual({ ...parts.readMessage('{"a":3,"b":null}') }, { a: 3, b: null });
    for (const bad of ['nonsense', '[1,2]', 'null', '{"a":-1}', '{"a":1.5}', '{"a":"3"}', '{"a":{}}']) assert.equal(parts.readMessage(bad), null, bad);
  });

  test('the JSON answer: counts and addresses checked', () => {
    const answer = parts.readAnswer({ counts: { a: 1 }, urls: { 'https://n.example/x': { slug: 'x', count: 2 }, 'https://n.example/y': null } });
    assert.deepEqual(JSON.parse(JSON.stringify(answer)), { counts: { a: 1 }, urls: { 'https://n.example/x': { slug: 'x', count: 2 }, 'https://n.example/y': null } });
    assert.equal(parts.readAnswer({ counts: { a: 'x' }, urls: {} }), null);
    assert.equal(parts.readAnswer({ counts: {}, urls: { u: { slug: 1, count: 2 } } }), null);
    assert.equal(parts.readAnswer({ error: { code: 'origin_not_allowed' } }), null);
  });

  test('polling backs off while nothing changes and comes back to the shortest wait on a change', () => {
    let wait = parts.nextPoll(0, false);
    assert.equal(wait, 15_000);
    const waits = [wait];
    for (let i = 0; i < 6; i++) waits.push((wait = parts.nextPoll(wait, false)));
    assert.deepEqual(waits, [15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    assert.equal(parts.nextPoll(wait, true), 15_000);
  });
});
