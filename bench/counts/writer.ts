/**
 * The counts benchmark's comments: `threads` threads each take `perThreadPerSecond` comments a
 * second, open loop, a tick every 100 ms. Into Threadline's store (`store`: the comment is committed
 * as any post commits it, its thread's count kept by the triggers; the node under test reads the
 * counts as it would after a post on any node), or as a line per comment to the baseline's ingest
 * socket (`baseline`). The posts' own HTTP cost is left out of both sides: it is the same whatever
 * the counts do. Runs until stopped; prints the comments written when it ends.
 */
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newGuestId } from '../../lib/domain/guestToken';
import { openStore } from '../../lib/store';
import { generatorLog, readPlan } from '../common/generatorProcess';
import { WRITER_PLAN_ENV, WRITER_READY_LINE, WRITTEN_PREFIX, type WriterPlan } from './plan';

const TICK_MS = 100;

async function main(): Promise<void> {
  const plan = readPlan<WriterPlan>(WRITER_PLAN_ENV, 'npm run bench:counts');
  const store = plan.mode === 'store' ? await openStore({ dataDir: plan.dataDir! }) : null;
  const counter = plan.mode === 'counter' ? new Database(path.join(plan.dataDir!, 'threadline.sqlite')) : null;
  counter?.pragma('busy_timeout = 5000');
  const bump = counter?.prepare('update threads set visible_comment_count = visible_comment_count + 1 where id = ?');
  const bumpAll = counter?.transaction((ids: string[]) => ids.forEach((id) => bump!.run(id)));
  const ingest = plan.mode === 'baseline' ? net.connect(plan.ingestPort!, '127.0.0.1') : null;
  if (ingest) await new Promise<void>((resolve, reject) => ingest.once('connect', resolve).once('error', reject));
  const guest = newGuestId();
  let written = 0;
  let behind = 0;
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));
  const perTick = (plan.perThreadPerSecond * TICK_MS) / 1000;
  let owed = 0;
  console.log(WRITER_READY_LINE);

  const started = performance.now();
  for (let tick = 0; !stopping; tick += 1) {
    owed += perTick;
    const now = Math.floor(owed);
    owed -= now;
    for (let n = 0; n < now; n += 1) {
      if (bumpAll) {
        bumpAll(plan.threads.map((t) => t.id));
      } else if (store) {
        await Promise.all(plan.threads.map((t) => store.createComment({ threadId: t.id, parentId: null, authorName: 'Counter', authorGuestId: guest, body: `Comment ${written} on a busy thread`, clientId: null })));
      } else {
        ingest!.write(plan.threads.map((t) => `${t.slug}\n`).join(''));
      }
      written += plan.threads.length;
    }
    const due = started + (tick + 1) * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    else behind += 1;
    if (tick % 10 === 9) console.log(`${WRITTEN_PREFIX}${JSON.stringify({ written, behind, seconds: (performance.now() - started) / 1000 })}`);
  }
  generatorLog(`writer: ${written} comments, ${behind} ticks late`);
  ingest?.end();
  await store?.close();
  counter?.close();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
