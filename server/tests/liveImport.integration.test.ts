import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { ThreadEventWire } from '../../lib/contract';
import { runImportProcess, writeDisqusExport, type ExportedComment } from '../testing/importProcess';
import { createOpenThread, type TestNode } from '../testing/nodes';
import { namedRedisUrl, waitForSubscriber } from '../testing/redis';
import { record, subscribe } from '../testing/sockets';
import { DATABASE_KINDS, useNodes } from '../testing/suites';
import { ThreadReader } from '../testing/threadReader';

/** An hour: the heartbeat cannot be what tells the readers of an import. */
const HEARTBEAT_MS = 3_600_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-live-import-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;
const exportFile = (slug: string, comments: readonly ExportedComment[]) => writeDisqusExport({ file: path.join(dir, `export-${++files}.xml`), slug, comments });

const COMMENTS: readonly ExportedComment[] = [
  { id: '501', author: 'Archivist', text: 'Written on the old system' },
  { id: '502', parent: '501', author: 'Historian', text: 'A reply from the old system' },
  { id: '503', author: 'Latecomer', text: 'The last one exported' },
];

const told = (e: ThreadEventWire) => (e.type === 'comment.created' ? [e.seq, e.comment.author.name, e.comment.body, e.comment.depth] : [e.seq, e.type]);

/**
 * The reader was told the seq the import left, and no seq twice. (How many syncs an import makes depends
 * on how many transactions it commits, and on SQLite on how they fall between two polls.)
 */
function assertToldOnceEach(reader: ThreadReader, last: number, who: string): void {
  const seqs = reader.syncs.map((n) => n.seq);
  assert.equal(seqs.at(-1), last, `${who}: ${JSON.stringify(seqs)}`);
  assert.ok(
    seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!),
    `${who} was told each seq once: ${JSON.stringify(seqs)}`,
  );
}

async function importInto(target: { databaseUrl: string | undefined; dataDir: string }, slug: string): Promise<void> {
  const run = await runImportProcess({ target, file: exportFile(slug, COMMENTS) });
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /comments: 3 imported \(3 visible\)/, run.output);
}

for (const kind of DATABASE_KINDS) {
  describe(`an import into a live thread (${kind})`, () => {
    const suite = useNodes({ kind });

    test('reaches its open readers at once, from another process, with the heartbeat an hour away', async () => {
      const node = await suite.start({ rateLimits: false, syncIntervalMs: HEARTBEAT_MS });
      const t = await createOpenThread(node.services, 'live import');
      const reader = new ThreadReader(await suite.sockets.connect(node.baseUrl), node.baseUrl, t.slug);
      await reader.start(t.seq);
      // A reader of another thread: the import is not its business.
      const other = await createOpenThread(node.services, 'bystander');
      const bystander = await suite.sockets.connect(node.baseUrl);
      const bystanderSyncs = record(bystander, 'thread:sync');
      await subscribe(bystander, other.slug, other.seq);

      await importInto(suite.db, t.slug);
      await reader.waitUntilAt(t.seq + 3);
      reader.stop();
      assert.deepEqual(reader.errors, []);
      assert.deepEqual(
        reader.applied.map((a) => [a.source, ...told(a.event)]),
        [
          ['catch-up', t.seq + 1, 'Archivist', 'Written on the old system', 1],
          ['catch-up', t.seq + 2, 'Historian', 'A reply from the old system', 2],
          ['catch-up', t.seq + 3, 'Latecomer', 'The last one exported', 1],
        ],
      );
      assertToldOnceEach(reader, t.seq + 3, 'the reader');
      // SQLite cannot say which thread changed: every room is looked at, and one not told before learns its
      // (unchanged) seq, as at a heartbeat. PostgreSQL's notice names the thread: nobody else is told anything.
      assert.deepEqual(
        bystanderSyncs.items.map((n) => [n.slug, n.seq]),
        kind === 'sqlite' ? [[other.slug, other.seq]] : [],
      );
    });
  });
}

describe('an import into a live thread, two nodes on PostgreSQL and Redis', () => {
  const suite = useNodes({ redis: true });

  test('every node tells its own readers, and each reader hears it once', async () => {
    const start = async (name: string): Promise<TestNode> => {
      const node = await suite.start({ rateLimits: false, syncIntervalMs: HEARTBEAT_MS, redis: { url: namedRedisUrl(`${suite.prefix}-${name}`), prefix: suite.prefix } });
      await waitForSubscriber(suite.admin, `${suite.prefix}-${name}`);
      return node;
    };
    const a = await start('a');
    const b = await start('b');
    const t = await createOpenThread(a.services, 'live import, two nodes');
    const readers = await Promise.all(
      [a, b, b].map(async (node) => {
        const socket = await suite.sockets.connect(node.baseUrl);
        const reader = new ThreadReader(socket, node.baseUrl, t.slug);
        await reader.start(t.seq);
        return reader;
      }),
    );

    await importInto(suite.db, t.slug);
    for (const reader of readers) await reader.waitUntilAt(t.seq + 3);
    for (const [i, reader] of readers.entries()) {
      reader.stop();
      assert.deepEqual(reader.errors, [], `reader ${i}`);
      assert.deepEqual(reader.seqs('catch-up'), [t.seq + 1, t.seq + 2, t.seq + 3], `reader ${i}`);
      // Had a node sent its sync through the adapter, the readers of the other would have heard it twice.
      assertToldOnceEach(reader, t.seq + 3, `reader ${i}`);
    }
  });
});
