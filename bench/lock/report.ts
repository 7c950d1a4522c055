import { roundWarnings } from '../common/generatorProcess';
import type { Report } from '../common/harness/scenario';
import type { SummaryCells } from '../common/harness/summary';
import { median, round, type DeliveryMedians } from '../common/stats';
import type { LockOptions } from './run';
import type { EventFanout } from './plan';
import type { LockRoundRecord } from './runRound';

/** Issue 4: a lock must reach every reader about as fast as a comment does. Reported, not asserted. */
export const TARGET_LOCK_TO_COMMENT_P99 = 1.2;

/** Medians over rounds of one family of events. */
export interface FanoutSummary extends DeliveryMedians {
  /** Per event, when its last reader had it: the median event, and the slowest event of the round. */
  lastDeliveryP50Ms: number;
  lastDeliveryMaxMs: number;
  requestP99Ms: number;
  /** Totals over rounds. */
  lostDeliveries: number;
  expectedDeliveries: number;
  failedRequests: number;
}

export interface LockSummary {
  rounds: number;
  lockEvents: FanoutSummary;
  comments: FanoutSummary;
  lockOnlyP99Ms: number;
  unlockOnlyP99Ms: number;
  /** Median over rounds of each round's lock p99 / comment p99 (paired within a round): the headline. */
  lockToCommentP99Ratio: number;
  /** The same from the medians of the two p99s. */
  ratioOfMedianP99s: number;
  lockOnlyToCommentP99Ratio: number;
  p50Ratio: number;
  lastDeliveryP50Ratio: number;
  firstDeliveryP50Ratio: number;
  perRoundRatios: number[];
  targetRatio: number;
  meetsTarget: boolean;
  wrongLockState: number;
  disconnects: number;
  serverCpuPercent: number;
  redisCpuPercent: number;
  postgresCpuPercent: number;
  generatorCpuPercent: number;
  generatorCpuMaxPercent: number;
  generatorBurstMs: number;
  saturatedRounds: number;
  foreignCpuPercent: number;
  noisyRounds: number;
  /** False when a round lost deliveries, had failed requests, saturated the generator or ran beside foreign load. */
  trustworthy: boolean;
}

/** What the lock run adds to the harness's report. */
export interface LockBody {
  rounds: LockRoundRecord[];
  /** Rounds redone because they ran beside foreign load (--retry-noisy); not in the summary. */
  discardedRounds: LockRoundRecord[];
  summary: LockSummary | null;
}

export type LockReport = Report<Omit<LockOptions, 'quick' | 'smoke'>, LockBody>;

const med = (values: (number | null)[]) => round(median(values.map((v) => v ?? Number.NaN)), 2);

function summariseFanout(fanouts: EventFanout[]): FanoutSummary {
  const m = (pick: (f: EventFanout) => number) => med(fanouts.map(pick));
  const sum = (pick: (f: EventFanout) => number) => fanouts.reduce((acc, f) => acc + pick(f), 0);
  return {
    p50Ms: m((f) => f.latencyMs.p50),
    p90Ms: m((f) => f.latencyMs.p90),
    p99Ms: m((f) => f.latencyMs.p99),
    maxMs: m((f) => f.latencyMs.max),
    sameNodeP99Ms: m((f) => f.latencyByPathMs.sameNode.p99),
    crossNodeP99Ms: m((f) => f.latencyByPathMs.crossNode.p99),
    firstDeliveryP50Ms: m((f) => f.perEventMs.firstDelivery.p50),
    lastDeliveryP50Ms: m((f) => f.perEventMs.lastDelivery.p50),
    lastDeliveryMaxMs: m((f) => f.perEventMs.lastDelivery.max),
    requestP99Ms: m((f) => f.requests.responseMs.p99),
    lostDeliveries: sum((f) => f.lostDeliveries),
    expectedDeliveries: sum((f) => f.expectedDeliveries),
    failedRequests: sum((f) => f.requests.failed),
  };
}

export function summariseLock(rounds: LockRoundRecord[]): LockSummary | null {
  if (rounds.length === 0) return null;
  const lockEvents = summariseFanout(rounds.map((r) => r.result.lockEvents));
  const comments = summariseFanout(rounds.map((r) => r.result.comments));
  const perRoundRatios = rounds.map((r) => r.lockToCommentP99Ratio);
  const lockToCommentP99Ratio = med(perRoundRatios);
  const sum = (pick: (r: LockRoundRecord) => number) => rounds.reduce((acc, r) => acc + pick(r), 0);
  const serverCpu = (r: LockRoundRecord) => (r.serverCpuPercent.some((v) => v === null) ? null : r.serverCpuPercent.reduce<number>((a, v) => a + (v ?? 0), 0));
  return {
    rounds: rounds.length,
    lockEvents,
    comments,
    lockOnlyP99Ms: med(rounds.map((r) => r.result.lockOnly.latencyMs.p99)),
    unlockOnlyP99Ms: med(rounds.map((r) => r.result.unlockOnly.latencyMs.p99)),
    lockToCommentP99Ratio,
    ratioOfMedianP99s: round(lockEvents.p99Ms / comments.p99Ms, 2),
    lockOnlyToCommentP99Ratio: med(rounds.map((r) => r.lockOnlyToCommentP99Ratio)),
    p50Ratio: round(lockEvents.p50Ms / comments.p50Ms, 2),
    lastDeliveryP50Ratio: round(lockEvents.lastDeliveryP50Ms / comments.lastDeliveryP50Ms, 2),
    firstDeliveryP50Ratio: round(lockEvents.firstDeliveryP50Ms / comments.firstDeliveryP50Ms, 2),
    perRoundRatios,
    targetRatio: TARGET_LOCK_TO_COMMENT_P99,
    meetsTarget: lockToCommentP99Ratio <= TARGET_LOCK_TO_COMMENT_P99,
    wrongLockState: sum((r) => r.result.wrongLockState),
    disconnects: sum((r) => r.result.disconnects),
    serverCpuPercent: med(rounds.map(serverCpu)),
    redisCpuPercent: med(rounds.map((r) => r.redisCpuPercent)),
    postgresCpuPercent: med(rounds.map((r) => r.postgresCpuPercent)),
    generatorCpuPercent: med(rounds.map((r) => r.result.generatorCpuPercent)),
    generatorCpuMaxPercent: Math.max(...rounds.map((r) => r.result.generatorCpuPercent)),
    generatorBurstMs: med(rounds.map((r) => r.result.generatorBurstMs)),
    saturatedRounds: rounds.filter((r) => r.result.generatorSaturated).length,
    foreignCpuPercent: med(rounds.map((r) => r.foreignCpuPercent)),
    noisyRounds: rounds.filter((r) => r.noisy).length,
    trustworthy: rounds.every(
      (r) =>
        !r.noisy &&
        !r.result.generatorSaturated &&
        r.result.lockEvents.lostDeliveries === 0 &&
        r.result.comments.lostDeliveries === 0 &&
        r.result.lockEvents.requests.failed === 0 &&
        r.result.comments.requests.failed === 0 &&
        r.result.wrongLockState === 0,
    ),
  };
}

const fmt = (v: number, decimals = 1) => (Number.isFinite(v) ? v.toFixed(decimals) : '–');

export function lockRoundLine(r: LockRoundRecord): string {
  const res = r.result;
  const l = res.lockEvents;
  const c = res.comments;
  const flags = roundWarnings(r, res, [
    l.lostDeliveries + c.lostDeliveries > 0 ? `⚠ lost ${l.lostDeliveries} lock + ${c.lostDeliveries} comment deliveries` : '',
    l.requests.failed + c.requests.failed > 0 ? `⚠ ${l.requests.failed + c.requests.failed} requests failed: ${l.requests.firstError ?? c.requests.firstError}` : '',
    res.wrongLockState > 0 ? `⚠ ${res.wrongLockState} deliveries with the wrong locked state` : '',
  ]);
  const server = r.serverCpuPercent.map((v) => (v === null ? '?' : `${v}%`)).join('+');
  return (
    `round ${r.round}  lock/unlock p50 ${fmt(l.latencyMs.p50)} p99 ${fmt(l.latencyMs.p99)} max ${fmt(l.latencyMs.max)} ms (lock only p99 ${fmt(res.lockOnly.latencyMs.p99)}; ` +
    `first ${fmt(l.perEventMs.firstDelivery.p50)}, last ${fmt(l.perEventMs.lastDelivery.p50)}/${fmt(l.perEventMs.lastDelivery.max)}; request p99 ${fmt(l.requests.responseMs.p99)})  ` +
    `comment p50 ${fmt(c.latencyMs.p50)} p99 ${fmt(c.latencyMs.p99)} max ${fmt(c.latencyMs.max)} ms (first ${fmt(c.perEventMs.firstDelivery.p50)}, last ${fmt(c.perEventMs.lastDelivery.p50)}/${fmt(c.perEventMs.lastDelivery.max)}; POST p99 ${fmt(c.requests.responseMs.p99)})  ` +
    `ratio p99 ${r.lockToCommentP99Ratio}×  server CPU ${server}  Redis ${r.redisCpuPercent ?? '?'}%  PostgreSQL ${r.postgresCpuPercent ?? '–'}%  ` +
    `generator ${res.generatorCpuPercent}% (${res.generatorCpuMicrosPerDelivery} µs/delivery, ${res.generatorBurstMs} ms/burst)  foreign ${r.foreignCpuPercent ?? '?'}%  ` +
    `send lag p99 ${fmt(res.sendLagMs.p99)} ms  connect ${res.connectSeconds} s` +
    (flags.length > 0 ? `  ${flags.join('  ')}` : '')
  );
}

export function lockMarkdownSummary(report: LockReport): string {
  const o = report.options;
  const s = report.summary;
  const lines = [
    `Lock to every reader: ${o.readers} readers on 2 nodes, ${o.lockEvents} lock/unlock events and ${o.comments} comments per round, one action every ${o.intervalMs} ms open loop, ` +
      `${o.rounds} round(s), medians over rounds${o.quick ? ' — QUICK PRESET' : ''}`,
    '',
  ];
  if (!s) return [...lines, 'No round completed.'].join('\n');
  lines.push(
    '| event | p50 ms | p90 ms | p99 ms | max ms | p99 same / cross node | first delivery p50 | last delivery p50 / max | request p99 ms | lost | failed requests |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const row = (name: string, f: FanoutSummary) =>
    `| ${name} | ${fmt(f.p50Ms)} | ${fmt(f.p90Ms)} | ${fmt(f.p99Ms)} | ${fmt(f.maxMs)} | ${fmt(f.sameNodeP99Ms)} / ${fmt(f.crossNodeP99Ms)} | ${fmt(f.firstDeliveryP50Ms)} | ` +
    `${fmt(f.lastDeliveryP50Ms)} / ${fmt(f.lastDeliveryMaxMs)} | ${fmt(f.requestP99Ms)} | ${f.lostDeliveries} / ${f.expectedDeliveries} | ${f.failedRequests} |`;
  lines.push(row('lock + unlock', s.lockEvents), row('comment', s.comments));
  lines.push(
    '',
    `lock / comment p99: **${s.lockToCommentP99Ratio}×** (median of per-round ratios ${s.perRoundRatios.map((r) => `${r}×`).join(', ')}; ratio of medians ${s.ratioOfMedianP99s}×; ` +
      `locks alone ${s.lockOnlyToCommentP99Ratio}×: lock p99 ${fmt(s.lockOnlyP99Ms)} ms, unlock p99 ${fmt(s.unlockOnlyP99Ms)} ms) — target ≤ ${s.targetRatio}×: ${s.meetsTarget ? 'met' : '**missed**'}` +
      `${s.trustworthy ? '' : ' (⚠ some rounds lost deliveries, failed requests, saturated the generator or ran beside foreign load: read with care)'}`,
    `p50 ${s.p50Ratio}×, first delivery p50 ${s.firstDeliveryP50Ratio}×, last delivery p50 ${s.lastDeliveryP50Ratio}×.`,
    `CPU (% of a core, medians): servers ${fmt(s.serverCpuPercent, 0)}%, Redis ${fmt(s.redisCpuPercent, 0)}%, PostgreSQL ${fmt(s.postgresCpuPercent, 0)}%, ` +
      `generator ${fmt(s.generatorCpuPercent, 0)}% (max ${fmt(s.generatorCpuMaxPercent, 0)}%${s.saturatedRounds > 0 ? `, ⚠ ${s.saturatedRounds} saturated` : ''}; ≈ ${fmt(s.generatorBurstMs, 0)} ms of its own CPU per burst), ` +
      `foreign ${fmt(s.foreignCpuPercent, 0)}% (${s.noisyRounds} noisy round(s)${s.noisyRounds > 0 ? ' ⚠' : ''}). ` +
      `Readers disconnected: ${s.disconnects}; wrong lock state: ${s.wrongLockState}.`,
  );
  if (report.discardedRounds.length > 0) {
    lines.push(`${report.discardedRounds.length} round(s) ran beside foreign load and were redone (--retry-noisy); they are in the JSON under discardedRounds.`);
  }
  return lines.join('\n');
}

/** The run's line in bench/results/lock.md: the comment in the same rounds is the baseline. */
export function lockSummaryCells(report: LockReport): SummaryCells {
  const s = report.summary;
  if (!s) return { medians: 'no round completed', ratios: '–', target: `lock p99 ≤ ${TARGET_LOCK_TO_COMMENT_P99}× comment p99`, meetsTarget: null };
  return {
    medians: `lock + unlock / comment: p50 ${fmt(s.lockEvents.p50Ms)} / ${fmt(s.comments.p50Ms)} ms, p99 ${fmt(s.lockEvents.p99Ms)} / ${fmt(s.comments.p99Ms)} ms`,
    ratios: `lock / comment p99 ${s.lockToCommentP99Ratio}× (per round ${s.perRoundRatios.join(', ')}), locks alone ${s.lockOnlyToCommentP99Ratio}×`,
    target: `lock p99 ≤ ${s.targetRatio}× comment p99`,
    meetsTarget: s.meetsTarget,
    caveat: s.trustworthy === false ? 'lost deliveries, failed requests, a saturated generator or foreign load' : undefined,
  };
}
