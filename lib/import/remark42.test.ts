import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { SourceComment, SourceRecord, SourceSkip, SourceThread } from './records';
import { readRemark42 } from './remark42';
import { ImportFileError } from './xmlElements';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const EXPORTED_AT = '2026-01-02T03:04:05.000Z';

async function read(input: AsyncIterable<string | Buffer>, fileName = 'backup-ledger-20260102.gz'): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const r of readRemark42({ input, fileName, exportedAt: EXPORTED_AT })) records.push(r);
  return records;
}
const fixture = (name: string) => read(fs.createReadStream(path.join(FIXTURES, name)), name);
async function* text(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

const threads = (records: SourceRecord[]) => records.filter((r): r is SourceThread => r.kind === 'thread');
const comments = (records: SourceRecord[]) => new Map(records.filter((r): r is SourceComment => r.kind === 'comment').map((c) => [c.externalId, c]));
const skips = (records: SourceRecord[]) => records.filter((r): r is SourceSkip => r.kind === 'skip').map((s) => [s.line, s.reason, s.detail]);

describe('Remark42 backup', () => {
  test('the source is named by the site, before the first thread', async () => {
    const records = await fixture('remark42-small.jsonl');
    assert.deepEqual(records[0], { kind: 'source', source: 'remark42:ledger' });
    assert.equal(records[1]?.kind, 'thread');
  });

  test('a post becomes a thread with its first comment: title (entities decoded), slug, URL, date; read-only posts are locked', async () => {
    const [harbour, zh] = threads(await fixture('remark42-small.jsonl'));
    assert.deepEqual(harbour, {
      kind: 'thread',
      line: 2,
      externalId: 'https://ledger.example/2021/03/harbour-plans/',
      slug: 'harbour-plans-the-budget',
      title: 'Harbour plans & the budget',
      article: '',
      createdAt: '2021-03-01T09:00:00.000Z',
      locked: false,
      slowModeSeconds: 0,
      preModeration: false,
      articleUrl: 'https://ledger.example/2021/03/harbour-plans/',
    });
    assert.equal(zh?.slug, '2021-04', 'a title with no Latin letters: the URL path, not a placeholder');
    assert.equal(zh?.title, '中文标题');
    assert.equal(zh?.locked, true, 'read_only in the metadata line');
  });

  test('comments: parent, author (entities decoded), date with its offset, edit, pin; line breaks reach the converter', async () => {
    const c = comments(await fixture('remark42-small.jsonl'));
    const ann = c.get('r-ann')!;
    assert.deepEqual([ann.parentExternalId, ann.status, ann.authorName, ann.createdAt, ann.editedAt, ann.pinned, ann.heldReason], [null, 'visible', 'Ann', '2021-03-01T09:00:00.000Z', null, false, null]);
    assert.deepEqual(
      ann.body.split(/\n+/).map((l) => l.trim()),
      ['First paragraph.', 'Second line', 'third line.'],
      'paragraphs and <br> stay line breaks',
    );
    const bob = c.get('r-bob')!;
    assert.deepEqual([bob.parentExternalId, bob.authorName, bob.createdAt, bob.editedAt, bob.pinned], ['r-ann', 'Bob & Co', '2021-03-01T16:00:00.000Z', '2021-03-02T08:30:00.000Z', true]);
    assert.match(bob.body, /\[the budget\]\(https:\/\/ledger\.example\/budget\)/);
    assert.equal(c.get('r-orphan')?.parentExternalId, 'r-not-in-backup', 'a parent not in the file is left to the importer (attached at the top level)');
  });

  test('a deleted comment keeps neither text nor name', async () => {
    const gone = comments(await fixture('remark42-small.jsonl')).get('r-gone')!;
    assert.deepEqual([gone.status, gone.body, gone.authorName, gone.pinned], ['deleted', '', null, false]);
  });

  test('a comment of a user blocked when the backup was made is held for a moderator, by its own flag or the metadata line', async () => {
    const c = comments(await fixture('remark42-small.jsonl'));
    for (const id of ['r-blocked', 'r-zh-reply']) {
      assert.deepEqual([c.get(id)?.status, c.get(id)?.heldReason], ['pending', 'pre_moderation'], id);
    }
  });

  test('a comment without a date (Go’s zero time) takes the export’s time and is flagged undated', async () => {
    const c = comments(await fixture('remark42-small.jsonl'));
    assert.deepEqual([c.get('r-undated')?.createdAt, c.get('r-undated')?.undated], [EXPORTED_AT, true]);
    assert.equal(c.get('r-ann')?.undated, undefined);
  });

  test('nothing personal is carried: no IP hash, avatar, e-mail, votes or user ids', async () => {
    const json = JSON.stringify(await fixture('remark42-small.jsonl'));
    for (const personal of ['293ec5b0cf15', 'avatars.example', 'ann@ledger.example', 'github_5c9a2f', 'votes']) assert.ok(!json.includes(personal), personal);
  });

  test('bad records are skipped with their line and reason; the rest of the file is read', async () => {
    const records = await fixture('remark42-small.jsonl');
    assert.deepEqual(
      skips(records).map(([line, reason]) => [line, reason]),
      [
        [9, 'malformed'],
        [10, 'malformed'],
        [11, 'malformed'],
      ],
    );
    assert.match(String(skips(records)[0]![2]), /^comment r-no-locator: locator /);
    assert.match(String(skips(records)[2]![2]), /site "elsewhere", the backup's is "ledger"/);
    assert.equal(comments(records).size, 9, 'every other comment line, the one with an empty text included (the importer rejects it by the posting rules)');
  });

  test('gzipped, as Remark42 writes backups, it reads the same', async () => {
    const plain = fs.readFileSync(path.join(FIXTURES, 'remark42-small.jsonl'));
    async function* bytes(buffer: Buffer): AsyncGenerator<Buffer> {
      for (let i = 0; i < buffer.length; i += 100) yield buffer.subarray(i, i + 100);
    }
    assert.deepEqual(await read(bytes(gzipSync(plain))), await read(bytes(plain)));
  });

  test('Remark42’s own restore-test backup (native_test.go): read-only post, blocked user, a parent not in the file', async () => {
    const records = await fixture('remark42-native-test.jsonl');
    assert.deepEqual(records[0], { kind: 'source', source: 'remark42:radio-t' });
    assert.deepEqual(
      threads(records).map((t) => [t.externalId, t.locked, t.slug]),
      [
        ['https://radio-t.com', true, 'https-radio-t-com'],
        ['https://radio-t.com/2', false, '2'],
      ],
    );
    const c = comments(records);
    const first = c.get('efbc17f177ee1a1c0ee6e1e025749966ec071adc')!;
    assert.deepEqual([first.status, first.authorName, first.body, first.createdAt], ['visible', 'user name', 'some text, [link](http://radio-t.com)', '2017-12-20T21:18:22.000Z']);
    const second = c.get('f863bd79-fec6-4a75-b308-61fe5dd02aa1')!;
    assert.deepEqual([second.status, second.parentExternalId], ['pending', '1234'], 'user2 is blocked in the metadata line');
  });
});

describe('a Remark42 file that is not a backup, or is broken, is refused with its line', () => {
  const refused = async (input: AsyncIterable<string | Buffer>, pattern: RegExp, line: number | undefined) =>
    assert.rejects(read(input, 'b.jsonl'), (err: unknown) => {
      assert.ok(err instanceof ImportFileError, String(err));
      assert.match(err.message, pattern);
      assert.equal(err.line, line);
      return true;
    });

  test('no metadata line', () => refused(text('{"id":"1","locator":{"site":"s","url":"u"}}\n'), /^b\.jsonl:1: not a Remark42 backup \(the first line/, 1));
  test('an XML file', () => refused(text('<?xml version="1.0"?>\n<disqus/>\n'), /^b\.jsonl:1:1: not valid JSON .*: not a Remark42 backup/, 1));
  test('an unknown version', () => refused(text('{"version":7,"users":[],"posts":[]}\n'), /^b\.jsonl:1: a Remark42 backup of version 7/, 1));
  test('an empty file', () => refused(text(''), /^b\.jsonl is empty/, undefined));
  test('a comment line cut short', () =>
    refused(text('{"version":1,"users":[],"posts":[]}\n', '{"id":"1","pid":"","locator":{"site":"s","url":"https://s.example/a"},"time":"2020-01-01T00:00:00Z"}\n', '{"id":"2","pid":"1","text":"cut'), /^b\.jsonl:3(:\d+)?: not valid JSON/, 3));
  test('a damaged line in the middle', () =>
    refused(text('{"version":1,"users":[],"posts":[]}\n', '{"id":"1",,"locator":{}}\n', '{"id":"2"}\n'), /^b\.jsonl:2:11: not valid JSON/, 2));
});
