import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readCoral } from './coral';
import { mongoNumber, mongoTime } from './mongoJson';
import type { SourceComment, SourceRecord, SourceSkip, SourceThread } from './records';
import { ImportFileError } from './xmlElements';

const FOLDER = path.join(import.meta.dirname, 'fixtures', 'coral-small');
const EXPORTED_AT = '2026-01-02T03:04:05.000Z';
const TENANT = '7a3e1c52-0d6b-4f0e-9a4c-2b8f6d1e9c10';

async function read(folder = FOLDER, exportedAt = EXPORTED_AT): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const r of readCoral({ folder, exportedAt })) records.push(r);
  return records;
}
const threads = (records: SourceRecord[]) => new Map(records.filter((r): r is SourceThread => r.kind === 'thread').map((t) => [t.externalId, t]));
const comments = (records: SourceRecord[]) => new Map(records.filter((r): r is SourceComment => r.kind === 'comment').map((c) => [c.externalId, c]));
const skips = (records: SourceRecord[]) => records.filter((r): r is SourceSkip => r.kind === 'skip');

describe('Coral tenant export', () => {
  const temp: string[] = [];
  afterEach(() => {
    for (const dir of temp.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  /** A copy of the fixture folder with some files replaced. */
  function variant(files: Record<string, string | Buffer | null>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coral-'));
    temp.push(dir);
    for (const f of fs.readdirSync(FOLDER)) fs.copyFileSync(path.join(FOLDER, f), path.join(dir, f));
    for (const [name, content] of Object.entries(files)) {
      if (content === null) fs.rmSync(path.join(dir, name));
      else fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
  }

  test('the source is named by the tenant, before the first thread', async () => {
    const records = await read();
    assert.deepEqual(records[0], { kind: 'source', source: `coral:${TENANT}` });
    assert.equal(records[1]?.kind, 'thread');
  });

  test('a story becomes a thread: title, slug, URL, date', async () => {
    const bridge = threads(await read()).get('s-bridge');
    assert.deepEqual(bridge, {
      kind: 'thread',
      line: 1,
      externalId: 's-bridge',
      slug: 'council-backs-the-bridge',
      title: 'Council backs the bridge',
      article: '',
      createdAt: '2022-05-01T08:00:00.000Z',
      locked: false,
      slowModeSeconds: 0,
      preModeration: false,
      articleUrl: 'https://tribune.example/2022/05/bridge-vote/',
    });
  });

  test('slugs are never placeholders: a Chinese title and a URL with no path give the story id; no URL and no title give the id too', async () => {
    const t = threads(await read());
    assert.deepEqual([t.get('cms-77')?.slug, t.get('cms-77')?.title], ['cms-77', '中文新闻']);
    assert.deepEqual([t.get('s-no-url-ok')?.slug, t.get('s-no-url-ok')?.title, t.get('s-no-url-ok')?.articleUrl], ['s-no-url-ok', 'Story s-no-url-ok', null]);
  });

  test('closed stories are locked: closed by a moderator, archived, or closed automatically by the tenant unless reopened', async () => {
    const t = threads(await read());
    assert.deepEqual(
      ['s-bridge', 's-closed', 's-auto', 's-archived', 's-premod'].map((id) => [id, t.get(id)?.locked]),
      [
        ['s-bridge', false],
        ['s-closed', true],
        ['s-auto', true],
        ['s-archived', true],
        ['s-premod', false],
      ],
    );
    // Before the automatic closing time (two weeks after 2022-05-01), the same story is open.
    assert.equal(threads(await read(FOLDER, '2022-05-05T00:00:00.000Z')).get('s-auto')?.locked, false);
    assert.equal(threads(await read(FOLDER, '2022-05-05T00:00:00.000Z')).get('s-closed')?.locked, false, 'closedAt still to come');
    // Without tenants.json there is no automatic closing to apply.
    assert.equal(threads(await read(variant({ 'tenants.json': null }))).get('s-auto')?.locked, false);
  });

  test('a pre-moderated story is a pre-moderated thread', async () => {
    const t = threads(await read());
    assert.deepEqual([t.get('s-premod')?.preModeration, t.get('s-bridge')?.preModeration], [true, false]);
    // The tenant pre-moderating the stories of some sites (SPECIFIC_SITES_PRE).
    const tenant = JSON.parse(fs.readFileSync(path.join(FOLDER, 'tenants.json'), 'utf8')) as Record<string, unknown>;
    const bySite = (sites: string[]) => JSON.stringify({ ...tenant, moderation: 'SPECIFIC_SITES_PRE', premoderateAllCommentsSites: sites }, null, 2);
    assert.equal(threads(await read(variant({ 'tenants.json': bySite(['site-1']) }))).get('s-bridge')?.preModeration, true);
    assert.equal(threads(await read(variant({ 'tenants.json': bySite(['site-2']) }))).get('s-bridge')?.preModeration, false);
  });

  test('statuses: NONE and APPROVED visible, PREMOD and SYSTEM_WITHHELD held, REJECTED removed, deleted with neither text nor name', async () => {
    const c = comments(await read());
    const state = (id: string) => [c.get(id)?.status, c.get(id)?.heldReason];
    assert.deepEqual(state('c-ann-0001'), ['visible', null]);
    assert.deepEqual(state('c-bob-0002'), ['visible', null]);
    assert.deepEqual(state('c-premod-0003'), ['pending', 'pre_moderation']);
    assert.deepEqual(state('c-held-0004'), ['pending', 'pre_moderation']);
    assert.deepEqual(state('c-troll-0005'), ['removed', null]);
    const gone = c.get('c-gone-0006')!;
    assert.deepEqual([gone.status, gone.body, gone.authorName, gone.parentExternalId], ['deleted', '', null, 'c-ann-0001']);
  });

  test('a banned person’s comments keep the status Coral gave them (Coral shows them unless the ban rejected them)', async () => {
    const c = comments(await read());
    assert.deepEqual([c.get('c-troll-0005')?.status, c.get('c-troll-0013')?.status], ['removed', 'visible']);
  });

  test('authors by username from users.json; a person without a username is anonymous', async () => {
    const c = comments(await read());
    assert.deepEqual(
      ['c-ann-0001', 'c-bob-0002', 'c-zh-0015'].map((id) => c.get(id)?.authorName),
      ['Ann', 'Bob', null],
    );
  });

  test('the current revision is the text, line breaks kept; an earlier one means it was edited; featured means pinned; media stays as a link', async () => {
    const c = comments(await read());
    const ann = c.get('c-ann-0001')!;
    assert.deepEqual(
      ann.body.split(/\n+/).map((l) => l.trim()),
      ['First line', 'Second line', 'A new block'],
    );
    assert.deepEqual([ann.pinned, ann.editedAt, ann.createdAt], [true, null, '2022-05-01T09:00:00.000Z']);
    const bob = c.get('c-bob-0002')!;
    assert.deepEqual([bob.parentExternalId, bob.body, bob.editedAt], ['c-ann-0001', 'Agreed, **strongly**.', '2022-05-01T09:31:00.000Z']);
    assert.match(c.get('c-gif-0010')!.body, /^Me reading this:\n+[[<]?https:\/\/giphy\.com\/gifs\/reading-g1/);
  });

  test('a comment without a date takes the export’s time and is flagged undated', async () => {
    const c = comments(await read());
    assert.deepEqual([c.get('c-undated-0011')?.createdAt, c.get('c-undated-0011')?.undated], [EXPORTED_AT, true]);
    assert.equal(c.get('c-ann-0001')?.undated, undefined);
  });

  test('archived comments are read too, in mongoexport’s Extended JSON (relaxed and canonical dates)', async () => {
    const c = comments(await read());
    const [old, reply] = [c.get('c-old-0017')!, c.get('c-old-0018')!];
    assert.deepEqual([old.threadExternalId, old.createdAt, old.authorName], ['s-archived', '2019-01-02T09:00:00.000Z', 'Ann']);
    assert.deepEqual(old.body.split(/\n+/), ['From the archive.', 'Second line.']);
    assert.deepEqual([reply.parentExternalId, reply.createdAt], ['c-old-0017', '2019-01-03T09:00:00.000Z']);
  });

  test('nothing personal is carried: no e-mail, password hash, author id or moderation note', async () => {
    const json = JSON.stringify(await read());
    for (const personal of ['@mail.example', '$2a$10$', 'u-ann-0001', 'abuse', 'desk@tribune.example']) assert.ok(!json.includes(personal), personal);
  });

  test('bad documents are skipped with their file, line and reason', async () => {
    assert.deepEqual(
      skips(await read()).map((s) => [s.line, s.reason, s.detail.split(':')[0]]),
      [
        [8, 'malformed', 'stories.json'],
        [7, 'malformed', 'comments.json'],
        [8, 'malformed', 'comments.json'],
      ],
    );
    assert.match(skips(await read())[1]!.detail, /^comments\.json:7: comment c-odd-0007 has an unknown status "ARCHIVED"$/);
    // A comment on a story not in the folder, or with an empty text, is left to the importer's rules.
    const c = comments(await read());
    assert.equal(c.get('c-lost-0009')?.threadExternalId, 's-deleted-story');
    assert.equal(c.get('c-gone-0014')?.body, '');
  });

  test('gzipped collection files read the same', async () => {
    const gz = variant({ 'comments.json': null, 'comments.json.gz': gzipSync(fs.readFileSync(path.join(FOLDER, 'comments.json'))) });
    // The same records; only the file named in a skipped document's detail differs.
    assert.deepEqual(JSON.parse(JSON.stringify(await read(gz)).replaceAll('comments.json.gz:', 'comments.json:')), await read());
  });

  describe('a folder that is not a Coral export, or is broken, is refused', () => {
    const refused = (folder: string, pattern: RegExp, line?: number) =>
      assert.rejects(read(folder), (err: unknown) => {
        assert.ok(err instanceof ImportFileError, String(err));
        assert.match(err.message, pattern);
        assert.equal(err.line, line);
        return true;
      });

    test('a file instead of the folder', () => refused(path.join(FOLDER, 'comments.json'), /^comments\.json is not a folder/));
    test('a folder without comments', () => refused(variant({ 'comments.json': null }), /not a Coral export: comments\.json missing/));
    test('a folder that does not exist', () => refused(path.join(FOLDER, 'nope'), /^nope: no such folder/));
    test('a damaged line, with its file, line and column', () => {
      const lines = fs.readFileSync(path.join(FOLDER, 'comments.json'), 'utf8').split('\n');
      lines[2] = lines[2]!.replace('"status":"PREMOD"', '"status":PREMOD');
      return refused(variant({ 'comments.json': lines.join('\n') }), /^comments\.json:3:\d+: not valid JSON/, 3);
    });
    test('a damaged pretty-printed tenants.json, with the line inside the document', () => {
      const tenant = fs.readFileSync(path.join(FOLDER, 'tenants.json'), 'utf8').replace('"moderation": "POST",', '"moderation": "POST"');
      return refused(variant({ 'tenants.json': tenant }), /^tenants\.json:\d+:\d+: not valid JSON/, tenant.split('\n').findIndex((l) => l.includes('"closeCommenting"')) + 1);
    });
    test('documents of two tenants in one folder', () => {
      const stories = fs.readFileSync(path.join(FOLDER, 'stories.json'), 'utf8').split('\n');
      stories[1] = stories[1]!.replace(TENANT, 'another-tenant');
      return refused(variant({ 'stories.json': stories.join('\n') }), /^stories\.json:2: a document of tenant another-tenant in a folder of tenant 7a3e1c52/, 2);
    });
  });
});

describe('MongoDB values', () => {
  test('dates as the download utility, relaxed and canonical Extended JSON write them', () => {
    assert.equal(mongoTime('2022-05-01T08:00:00.000Z'), '2022-05-01T08:00:00.000Z');
    assert.equal(mongoTime({ $date: '2022-05-01T08:00:00Z' }), '2022-05-01T08:00:00.000Z');
    assert.equal(mongoTime({ $date: { $numberLong: '1546506000000' } }), '2019-01-03T09:00:00.000Z');
    assert.equal(mongoTime({ $date: 1546506000000 }), '2019-01-03T09:00:00.000Z');
    for (const unreadable of [null, false, 'yesterday', { $date: 'never' }, { $oid: 'x' }, 12]) assert.equal(mongoTime(unreadable), undefined, JSON.stringify(unreadable));
  });
  test('numbers plain or canonical', () => {
    assert.deepEqual([mongoNumber(5), mongoNumber({ $numberInt: '1209600' }), mongoNumber({ $numberLong: '7' }), mongoNumber('5'), mongoNumber({ $numberDouble: 'NaN' })], [5, 1209600, 7, undefined, undefined]);
  });
});
