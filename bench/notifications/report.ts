import type { Report } from '../common/harness/scenario';
import type { SummaryCells } from '../common/harness/summary';
import { median, round } from '../common/stats';
import type { RoundResult } from './round';
import type { NotificationsOptions } from './run';

/** Notification work may add at most this to the posting path's CPU per comment (issue 17, "Benchmark"). */
export const TARGET_CPU_RATIO = 1.1;
/** And the mail: at most this many per person per batch window. */
export const TARGET_MAILS_PER_WINDOW = 1;

export interface StoreSummary {
  store: string;
  withCpuMsPerComment: number;
  withoutCpuMsPerComment: number;
  /** With ÷ without, of the medians. */
  ratio: number | null;
  /** The same with each side's idle CPU over its window taken off (what the posts alone cost). */
  idleCorrectedRatio: number | null;
  meetsCpuTarget: boolean | null;
  notices: number;
  expectedNotices: number;
  failedPosts: number;
  undelivered: number;
  /** Over the rounds with mail; null when none ran. */
  mail: { rounds: number; recipients: number; received: number; missing: number; maxPerPersonPerWindow: number; timedOut: number; dead: number } | null;
  meetsMailTarget: boolean | null;
  noisyRounds: number;
}

export interface NotificationsBody {
  participants: number;
  /** Notices a comment may make by its mentions at most (lib/domain/notifications.ts): the mentioned beyond it are not told. */
  mentionCap: number;
  rounds: RoundResult[];
  discarded: RoundResult[];
  summary: StoreSummary[];
}

export type NotificationsReport = Report<NotificationsOptions, NotificationsBody>;

const ratioOf = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? round(a / b, 3) : null);

export function summariseStore(store: string, rounds: readonly RoundResult[]): StoreSummary {
  const mine = rounds.filter((r) => r.store === store);
  const side = (name: string) => mine.filter((r) => r.side === name);
  const med = (rs: RoundResult[], pick: (r: RoundResult) => number) => round(median(rs.map(pick)), 3);
  const [withRounds, withoutRounds] = [side('with'), side('without')];
  const withCpu = med(withRounds, (r) => r.cpuMsPerComment);
  const withoutCpu = med(withoutRounds, (r) => r.cpuMsPerComment);
  const ratio = ratioOf(withCpu, withoutCpu);
  const mails = withRounds.flatMap((r) => (r.mail ? [r.mail] : []));
  const sum = (pick: (m: (typeof mails)[number]) => number) => mails.reduce((s, m) => s + pick(m), 0);
  const mail =
    mails.length === 0
      ? null
      : { rounds: mails.length, recipients: sum((m) => m.recipients), received: sum((m) => m.received), missing: sum((m) => m.missing), maxPerPersonPerWindow: Math.max(...mails.map((m) => m.maxPerPersonPerWindow)), timedOut: sum((m) => (m.timedOut ? 1 : 0)), dead: sum((m) => m.outbox.dead) };
  return {
    store,
    withCpuMsPerComment: withCpu,
    withoutCpuMsPerComment: withoutCpu,
    ratio,
    idleCorrectedRatio: ratioOf(med(withRounds, (r) => r.idleCorrectedCpuMsPerComment), med(withoutRounds, (r) => r.idleCorrectedCpuMsPerComment)),
    meetsCpuTarget: ratio === null ? null : ratio <= TARGET_CPU_RATIO,
    notices: withRounds.reduce((s, r) => s + r.notices, 0),
    expectedNotices: withRounds.reduce((s, r) => s + r.expectedNotices, 0),
    failedPosts: mine.reduce((s, r) => s + r.failedPosts, 0),
    undelivered: mine.reduce((s, r) => s + (r.comments - r.delivered), 0),
    mail,
    meetsMailTarget: mail === null ? null : mail.maxPerPersonPerWindow <= TARGET_MAILS_PER_WINDOW && mail.missing === 0 && mail.timedOut === 0,
    noisyRounds: mine.filter((r) => r.noisy).length,
  };
}

const fmt = (v: number | null, decimals = 2) => (v !== null && Number.isFinite(v) ? v.toFixed(decimals) : '–');
const mark = (met: boolean | null) => (met === null ? '' : met ? ' ✓' : ' ✗');
const each = (rounds: readonly RoundResult[], store: string, side: string) =>
  rounds
    .filter((r) => r.store === store && r.side === side)
    .map((r) => fmt(r.cpuMsPerComment))
    .join(', ');

export function markdown(report: NotificationsReport): string {
  const o = report.options;
  const lines = [
    `Notifications: a thread of ${report.participants} participants; one comment mentioning ${o.mentions} of them (at most ${report.mentionCap} are told), then ${o.replies} replies, ` +
      `spread over ${o.spreadSeconds} s; server CPU per comment with NOTIFICATIONS=on vs off, ${o.rounds} round(s) each, alternating, medians${o.mail ? `; mail batches of ${o.batchSeconds} s` : '; no mail'}${o.quick ? ' — QUICK PRESET' : ''}`,
    '',
    `| store | CPU ms / comment with (rounds) | without (rounds) | ratio (target ≤ ${TARGET_CPU_RATIO}) | idle-corrected ratio | notices / expected | failed posts / undelivered | mails received / recipients, missing | max mails per person per window (target ≤ ${TARGET_MAILS_PER_WINDOW}) | noisy rounds |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of report.summary) {
    const m = s.mail;
    lines.push(
      `| ${s.store} | ${fmt(s.withCpuMsPerComment)} (${each(report.rounds, s.store, 'with')}) | ${fmt(s.withoutCpuMsPerComment)} (${each(report.rounds, s.store, 'without')}) | ${fmt(s.ratio, 3)}${mark(s.meetsCpuTarget)} | ${fmt(s.idleCorrectedRatio, 3)} | ` +
        `${s.notices} / ${s.expectedNotices} | ${s.failedPosts} / ${s.undelivered} | ${m ? `${m.received} / ${m.recipients}, ${m.missing}${m.timedOut > 0 ? ` (${m.timedOut} wait(s) timed out)` : ''}` : '–'} | ${m ? `${m.maxPerPersonPerWindow}${mark(s.meetsMailTarget)}` : '–'} | ${s.noisyRounds} |`,
    );
  }
  return lines.join('\n');
}

/** The run's line in bench/results/notifications.md: one clause per store. */
export function summarise(report: NotificationsReport): SummaryCells {
  const per = (text: (s: StoreSummary) => string) => report.summary.map((s) => `${s.store} ${text(s)}`).join('; ');
  const verdicts = report.summary.flatMap((s) => [s.meetsCpuTarget, s.meetsMailTarget]).filter((v): v is boolean => v !== null);
  const lost = report.summary.some((s) => s.failedPosts > 0 || s.undelivered > 0 || s.notices < s.expectedNotices);
  const noisy = report.summary.some((s) => s.noisyRounds > 0);
  return {
    medians: per((s) => `CPU with ${fmt(s.withCpuMsPerComment)} / without ${fmt(s.withoutCpuMsPerComment)} ms per comment${s.mail ? `, max ${s.mail.maxPerPersonPerWindow} mail per person per ${report.options.batchSeconds} s window (${s.mail.received} mails, ${s.mail.missing} missing)` : ''}`),
    ratios: per((s) => `${fmt(s.ratio, 3)}× (idle-corrected ${fmt(s.idleCorrectedRatio, 3)}×)`),
    target: `CPU with ÷ without ≤ ${TARGET_CPU_RATIO}×; ≤ ${TARGET_MAILS_PER_WINDOW} mail per person per batch window`,
    meetsTarget: verdicts.length === 0 ? null : verdicts.every(Boolean),
    caveat: lost ? 'failed posts, undelivered comments or missing notices (see JSON)' : noisy ? 'foreign load in some rounds' : undefined,
  };
}
