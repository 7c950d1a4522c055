/**
 * The lock benchmark's load generator: one process (pinned to its own core by
 * run.ts) holding every reader and the moderator, so latency is measured
 * against one clock. Reads its LockPlan from $LOCK_PLAN, prints progress on
 * stderr and one `LOCK_RESULT {json}` line on stdout.
 */
import { nowMs, sleep } from '../common/clock';
import { parseBenchBody } from '../common/load/commentBody';
import { DeliveryRecorder } from '../common/load/deliveryRecorder';
import { GENERATOR_CPU_LIMIT_PERCENT, generatorLog, READERS_SETTLE_MS, readPlan, SEND_LEAD_MS, WINDOW_END_LINE, WINDOW_START_LINE } from '../common/generatorProcess';
import { openPlanReaders, ReaderTally, type ThreadEventLike } from '../common/load/readerPool';
import { round } from '../common/stats';
import { runActionSchedule, type ScheduleRun } from './actionSender';
import { actionsByOrdinal, eventFanout, kindOnly } from './eventStats';
import { LockReceipts } from './lockReceipts';
import { LOCK_PLAN_ENV, LOCK_RESULT_PREFIX, type ActionTrace, type LockPlan, type LockResult } from './plan';

async function main(): Promise<void> {
  const plan = readPlan<LockPlan>(LOCK_PLAN_ENV, 'bench/lock/run.ts');
  const { schedule } = plan;
  const nodes = plan.nodeUrls.length;
  const comments = new DeliveryRecorder({ readers: plan.readers, comments: schedule.comments, warmupComments: schedule.warmupComments });
  const receipts = new LockReceipts(plan.readers);
  const tally = new ReaderTally();

  const onThreadEvent = (reader: number, event: ThreadEventLike) => {
    const receivedMs = nowMs();
    if (event.type === 'thread.updated' && typeof event.seq === 'number' && event.seq > plan.afterSeq) {
      receipts.record(reader, event.seq, event.thread?.locked, receivedMs);
      return;
    }
    const body = event.type === 'comment.created' && typeof event.comment?.body === 'string' ? event.comment.body : null;
    const fields = body === null ? null : parseBenchBody(body, plan.runId);
    if (fields) comments.record({ reader, index: fields.index, latencyMs: receivedMs - fields.intendedMs, receivedMs });
    else tally.countOther('thread:event');
  };

  const { pool, connectSeconds } = await openPlanReaders(plan, { onThreadEvent, onOtherEvent: (_reader, name) => tally.countOther(name), onDisconnect: tally.onDisconnect }, { log: generatorLog, every: 500 });
  await sleep(READERS_SETTLE_MS);

  const actions = schedule.actions.length;
  generatorLog(`  ${actions} actions (${schedule.lockEvents} lock/unlock, ${schedule.comments} comments, warm-up included), one every ${plan.intervalMs} ms, to ${plan.readers} readers…`);
  tally.measuring = true;
  process.stdout.write(`${WINDOW_START_LINE}\n`);
  const cpuStart = process.cpuUsage();
  const windowStartMs = nowMs();
  const startAtMs = windowStartMs + SEND_LEAD_MS;
  const run = await runActionSchedule({ plan, startAtMs });

  // Every request is answered; wait for the last deliveries (or the drain limit), then close the window.
  const expectedLockDeliveries = plan.readers * schedule.lockEvents;
  const drainUntil = startAtMs + (actions - 1) * plan.intervalMs + plan.drainSeconds * 1000;
  while (!(comments.isComplete() && receipts.total >= expectedLockDeliveries) && nowMs() < drainUntil) await sleep(20);
  const cpu = process.cpuUsage(cpuStart);
  const windowSeconds = (nowMs() - windowStartMs) / 1000;
  process.stdout.write(`${WINDOW_END_LINE}\n`);
  tally.finish(pool);

  const { recorder: locks, wrongLockState } = receipts.toRecorder({ schedule, outcomes: run.outcomes, intendedMs: run.intendedMs });
  const lockActions = actionsByOrdinal(schedule, 'lockEvent');
  const commentActions = actionsByOrdinal(schedule, 'comment');
  const deliveries = comments.received + receipts.total;
  const cpuMicros = cpu.user + cpu.system;
  const generatorCpuPercent = (cpuMicros / 1000 / (windowSeconds * 1000)) * 100;
  const microsPerDelivery = cpuMicros / Math.max(1, deliveries);

  const result: LockResult = {
    runId: plan.runId,
    readers: plan.readers,
    lockEvents: eventFanout({ recorder: locks, actions: lockActions, outcomes: run.outcomes, readers: plan.readers, nodes }),
    lockOnly: kindOnly({ recorder: locks, actions: lockActions, kind: 'lock', warmup: schedule.warmupLockEvents }),
    unlockOnly: kindOnly({ recorder: locks, actions: lockActions, kind: 'unlock', warmup: schedule.warmupLockEvents }),
    comments: eventFanout({ recorder: comments, actions: commentActions, outcomes: run.outcomes, readers: plan.readers, nodes }),
    wrongLockState,
    trace: traceOf({ plan, run, locks, comments }),
    ...tally.counts,
    sendLagMs: { p99: round(run.sendLagP99Ms), max: round(run.sendLagMaxMs) },
    connectSeconds: round(connectSeconds),
    generatorCpuPercent: round(generatorCpuPercent, 1),
    generatorSaturated: generatorCpuPercent > GENERATOR_CPU_LIMIT_PERCENT,
    generatorCpuMicrosPerDelivery: round(microsPerDelivery, 1),
    generatorBurstMs: round((microsPerDelivery * plan.readers) / 1000, 1),
    windowSeconds: round(windowSeconds),
  };
  process.stdout.write(`${LOCK_RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Every action in schedule order, with its response and its first and last reader (measured actions only). */
function traceOf(args: { plan: LockPlan; run: ScheduleRun; locks: DeliveryRecorder; comments: DeliveryRecorder }): ActionTrace[] {
  const { schedule } = args.plan;
  const lockSeries = args.locks.perCommentExtremes();
  const commentSeries = args.comments.perCommentExtremes();
  const at = (series: Float64Array, i: number) => (i < 0 || Number.isNaN(series[i] as number) ? null : round(series[i] as number, 1));
  return schedule.actions.map((action) => {
    const outcome = args.run.outcomes[action.slot];
    const isComment = action.kind === 'comment';
    const extremes = isComment ? commentSeries : lockSeries;
    const i = action.ordinal - (isComment ? schedule.warmupComments : schedule.warmupLockEvents);
    return {
      kind: action.kind,
      ordinal: action.ordinal,
      node: action.node,
      warmup: action.warmup,
      seq: outcome?.seq ?? null,
      responseMs: outcome ? round(outcome.responseMs, 1) : null,
      status: outcome?.status ?? null,
      firstDeliveryMs: at(extremes.firstSeries, i),
      lastDeliveryMs: at(extremes.lastSeries, i),
    };
  });
}

main().then(
  // Exit explicitly: closed sockets and agents may still hold timers for a moment.
  () => process.exit(0),
  (err: unknown) => {
    generatorLog(`load generator failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
