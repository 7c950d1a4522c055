/**
 * bench/reconnect's generator (pinned to its own core by run.ts): opens the
 * readers on both nodes, writes at a low open-loop rate to the node that
 * survives, asks for the other node's kill, and waits until every reader
 * that was on it has moved and caught up; then checks every reader's
 * comments against the thread's log. Plan in $RECONNECT_PLAN; one
 * `RECONNECT_RESULT {json}` line on stdout.
 */
import { nowMs, sleep } from '../common/clock';
import { parseBenchBody } from '../common/load/commentBody';
import { runOpenLoopWriter, writerFields } from '../common/load/openLoopWriter';
import { generatorLog, readPlan, SEND_LEAD_MS } from '../common/generatorProcess';
import { openPlanReaders, type ThreadEventLike } from '../common/load/readerPool';
import { round } from '../common/stats';
import { MovingReader } from './movingReader';
import { KILL_NOW_LINE, PLAN_ENV, RESULT_PREFIX, type ReconnectPlan, type ReconnectResult } from './plan';

/** After the writer's last comment and every catch-up: time for the last live deliveries to land. */
const DRAIN_MS = 1500;

async function main(): Promise<void> {
  const plan = readPlan<ReconnectPlan>(PLAN_ENV, 'bench/reconnect/run.ts');
  const readers: MovingReader[] = [];
  const { pool } = await openPlanReaders(plan, { onThreadEvent: (reader, event: ThreadEventLike) => readers[reader]?.onEvent(event) }, { log: generatorLog, every: 1000 });
  pool.sockets.forEach((socket, i) => {
    readers.push(
      new MovingReader(
        { urls: plan.nodeUrls, slug: plan.slug, runId: plan.runId, hasEventLog: plan.hasEventLog, connectTimeoutMs: plan.connectTimeoutMs },
        { socket, url: plan.nodeUrls[i % plan.nodeUrls.length] as string, afterSeq: plan.afterSeq },
      ),
    );
  });
  const moved = readers.filter((_, i) => i % plan.nodeUrls.length === 1);

  const comments = Math.max(1, Math.round(plan.rate * (plan.preKillSeconds + plan.postKillSeconds)));
  generatorLog(`  writing ${comments} comments at ${plan.rate}/s; the kill comes after ${plan.preKillSeconds} s`);
  const cpuStart = process.cpuUsage();
  const startedMs = nowMs();
  const killTimer = setTimeout(() => process.stdout.write(`${KILL_NOW_LINE}\n`), plan.preKillSeconds * 1000);
  const writer = await runOpenLoopWriter({
    ...writerFields(plan),
    urls: [plan.nodeUrls[0] as string],
    comments,
    startAtMs: startedMs + SEND_LEAD_MS,
  });
  clearTimeout(killTimer);
  const deadline = startedMs + (plan.preKillSeconds + plan.catchUpTimeoutSeconds) * 1000;
  while (moved.some((r) => r.caughtUpAtMs === null) && nowMs() < deadline) await sleep(20);
  await sleep(DRAIN_MS);
  const cpu = process.cpuUsage(cpuStart);
  const windowMs = nowMs() - startedMs;

  const expected = plan.hasEventLog ? await loggedIndices(plan) : postedIndices(writer.responseSeriesMs);
  let lostComments = 0;
  let duplicateComments = 0;
  let readersWithLoss = 0;
  for (const reader of readers) {
    let lost = 0;
    for (const index of expected) if (!reader.applied.has(index)) lost += 1;
    for (const times of reader.applied.values()) duplicateComments += Math.max(0, times - 1);
    lostComments += lost;
    if (lost > 0) readersWithLoss += 1;
  }
  const errors = readers.flatMap((r) => r.errors);
  if (errors.length > 0) generatorLog(`  ${errors.length} reader error(s), first: ${errors[0]}`);
  for (const reader of readers) reader.close();

  const drops = moved.map((r) => r.droppedAtMs).filter((v): v is number => v !== null);
  const result: ReconnectResult = {
    target: plan.target,
    readers: plan.readers,
    movedReaders: moved.length,
    firstDisconnectAtMs: drops.length > 0 ? Math.min(...drops) : null,
    caughtUpAtMs: moved.map((r) => (r.caughtUpAtMs === null ? null : round(r.caughtUpAtMs, 1))),
    stuckReaders: moved.filter((r) => r.caughtUpAtMs === null).length,
    reconnectAttempts: readers.reduce((a, r) => a + r.reconnectAttempts, 0),
    resyncs: readers.reduce((a, r) => a + r.resyncs, 0),
    gapFills: readers.reduce((a, r) => a + r.gapFills, 0),
    posted: writer.sent - writer.failed,
    postFailures: writer.failed,
    expectedComments: expected.size,
    lostComments,
    duplicateComments,
    readersWithLoss,
    generatorCpuPercent: round(((cpu.user + cpu.system) / 1000 / windowMs) * 100, 1),
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** The run's comments as the survivor's event log (the database) has them: the truth every reader must match. */
async function loggedIndices(plan: ReconnectPlan): Promise<Set<number>> {
  const res = await fetch(`${plan.nodeUrls[0]}/api/threads/${plan.slug}/events?after=${plan.afterSeq}`);
  if (res.status !== 200) throw new Error(`GET /events for the final check answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const body = (await res.json()) as { missed: ThreadEventLike[]; resync: boolean };
  if (body.resync) throw new Error('the final check needs the whole log, but the thread has more events than one catch-up holds: lower --rate or the seconds');
  const indices = new Set<number>();
  for (const event of body.missed) {
    const text = event.type === 'comment.created' && typeof event.comment?.body === 'string' ? event.comment.body : null;
    const fields = text === null ? null : parseBenchBody(text, plan.runId);
    if (fields) indices.add(fields.index);
  }
  return indices;
}

/** The baseline keeps no log: what it answered 201 to is what readers could have seen. */
function postedIndices(responseSeriesMs: Float64Array): Set<number> {
  const indices = new Set<number>();
  responseSeriesMs.forEach((v, i) => {
    if (!Number.isNaN(v)) indices.add(i);
  });
  return indices;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    generatorLog(`reconnect generator failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
