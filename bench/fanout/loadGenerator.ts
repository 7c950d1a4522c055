/**
 * The load generator: one process (pinned to its own core by run.ts) holding
 * every reader and the writer, so latency is measured against one clock.
 * Reads its LoadPlan from $FANOUT_PLAN, prints progress on stderr and one
 * `FANOUT_RESULT {json}` line on stdout.
 */
import { nowMs, sleep } from '../common/clock';
import { parseBenchBody } from '../common/load/commentBody';
import { DeliveryRecorder } from '../common/load/deliveryRecorder';
import { runOpenLoopWriter, writerFields } from '../common/load/openLoopWriter';
import { PLAN_ENV, RESULT_PREFIX, type LoadPlan, type LoadResult } from './plan';
import { GENERATOR_CPU_LIMIT_PERCENT, generatorLog, READERS_SETTLE_MS, readPlan, SEND_LEAD_MS, WINDOW_END_LINE, WINDOW_START_LINE } from '../common/generatorProcess';
import { openPlanReaders, ReaderTally, type ThreadEventLike } from '../common/load/readerPool';
import { round, summariseLatencies, type LatencySummary } from '../common/stats';

async function main(): Promise<void> {
  const plan = readPlan<LoadPlan>(PLAN_ENV, 'bench/fanout/run.ts');
  const warmupComments = Math.round(plan.warmupSeconds * plan.rate);
  const measuredComments = Math.max(1, Math.round(plan.seconds * plan.rate));
  const comments = warmupComments + measuredComments;
  const nodes = plan.nodeUrls.length;
  const recorder = new DeliveryRecorder({ readers: plan.readers, comments, warmupComments });
  const tally = new ReaderTally();

  const onThreadEvent = (reader: number, event: ThreadEventLike) => {
    const receivedMs = nowMs();
    const body = event.type === 'comment.created' && typeof event.comment?.body === 'string' ? event.comment.body : null;
    const fields = body === null ? null : parseBenchBody(body, plan.runId);
    if (!fields) {
      tally.countOther('thread:event');
      return;
    }
    recorder.record({ reader, index: fields.index, latencyMs: receivedMs - fields.intendedMs, receivedMs });
  };

  const { pool, connectSeconds } = await openPlanReaders(plan, { onThreadEvent, onOtherEvent: (_reader, name) => tally.countOther(name), onDisconnect: tally.onDisconnect }, { log: generatorLog, every: 500 });
  await sleep(READERS_SETTLE_MS);

  generatorLog(`  writing ${comments} comments at ${plan.rate}/s (${warmupComments} warm-up) to ${plan.readers} readers…`);
  tally.measuring = true;
  process.stdout.write(`${WINDOW_START_LINE}\n`);
  const cpuStart = process.cpuUsage();
  const windowStartMs = nowMs();
  const startAtMs = windowStartMs + SEND_LEAD_MS;
  const writer = await runOpenLoopWriter({
    ...writerFields(plan),
    urls: plan.nodeUrls,
    comments,
    startAtMs,
  });
  // CPU over the sending window (every post answered): the steady load, not the idle drain after it.
  const cpu = process.cpuUsage(cpuStart);
  const windowSeconds = (nowMs() - windowStartMs) / 1000;
  const deliveriesInWindow = recorder.received;
  process.stdout.write(`${WINDOW_END_LINE}\n`);

  const lastIntendedMs = startAtMs + ((comments - 1) * 1000) / plan.rate;
  while (!recorder.isComplete() && nowMs() < lastIntendedMs + plan.drainSeconds * 1000) await sleep(20);
  tally.finish(pool);

  const firstMeasuredMs = startAtMs + (warmupComments * 1000) / plan.rate;
  const sendingSeconds = measuredComments / plan.rate;
  // Late deliveries stretch the window: a server that falls behind shows a lower rate, not just a higher latency.
  const deliverySeconds = Math.max(sendingSeconds, (recorder.lastMeasuredReceiveMs - firstMeasuredMs) / 1000 || 0);
  const generatorCpuPercent = ((cpu.user + cpu.system) / 1000 / (windowSeconds * 1000)) * 100;

  const extremes = recorder.perCommentExtremes();
  const result: LoadResult = {
    target: plan.target,
    runId: plan.runId,
    readers: plan.readers,
    rate: plan.rate,
    measuredComments,
    warmupComments,
    latencyMs: rounded(recorder.measuredLatency()),
    latencyByPathMs: {
      // The writer posts comment i to node i % n and reader r listens on node r % n (see plan.ts).
      sameNode: rounded(recorder.measuredLatency((reader, index) => reader % nodes === index % nodes)),
      crossNode: rounded(recorder.measuredLatency((reader, index) => reader % nodes !== index % nodes)),
    },
    perCommentMs: { firstDelivery: rounded(extremes.first), lastDelivery: rounded(extremes.last) },
    series: {
      firstDeliveryMs: seriesOf(extremes.firstSeries),
      lastDeliveryMs: seriesOf(extremes.lastSeries),
      postResponseMs: seriesOf(writer.responseSeriesMs.subarray(warmupComments)),
    },
    deliveriesPerSecond: round(recorder.measuredReceived / deliverySeconds, 1),
    offeredDeliveriesPerSecond: plan.readers * plan.rate,
    expectedDeliveries: recorder.expected,
    receivedDeliveries: recorder.received,
    lostDeliveries: recorder.expected - recorder.received,
    duplicateDeliveries: recorder.duplicates,
    ...tally.counts,
    posts: { sent: writer.sent, failed: writer.failed, firstError: writer.firstError, responseMs: rounded(summariseLatencies(writer.responseMs)) },
    sendLagMs: { p99: round(writer.sendLagP99Ms), max: round(writer.sendLagMaxMs) },
    connectSeconds: round(connectSeconds),
    generatorCpuPercent: round(generatorCpuPercent, 1),
    generatorSaturated: generatorCpuPercent > GENERATOR_CPU_LIMIT_PERCENT,
    generatorCpuMicrosPerDelivery: round((cpu.user + cpu.system) / Math.max(1, deliveriesInWindow), 1),
    windowSeconds: round(windowSeconds),
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

function seriesOf(values: Float64Array): (number | null)[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : round(v, 1)));
}

function rounded(summary: LatencySummary): LoadResult['latencyMs'] {
  return { p50: round(summary.p50), p90: round(summary.p90), p99: round(summary.p99), max: round(summary.max), mean: round(summary.mean) };
}

main().then(
  // Exit explicitly: closed sockets and agents may still hold timers for a moment.
  () => process.exit(0),
  (err: unknown) => {
    generatorLog(`load generator failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
