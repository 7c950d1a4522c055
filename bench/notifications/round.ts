/**
 * One round on one side: a fresh server (NOTIFICATIONS on or off, otherwise alike) on the seeded
 * store, a reader subscribed to the round's thread, a few warm-up posts, the server's idle CPU,
 * then the measured posts — one comment mentioning `mentions` participants and `replies` replies,
 * spread evenly over `spreadSeconds`, open loop — and the wait until every post is answered, the
 * reader has every comment and (with notices) the last notice exists. The server's CPU is read at
 * that moment. With mail on, the round then waits for the batch mails and counts them per person.
 */
import http from 'node:http';
import path from 'node:path';
import { MAX_MENTIONS_PER_COMMENT } from '../../lib/domain/notifications';
import { startSmtpServer, type TestSmtpServer } from '../../server/testing/smtpServer';
import { record, subscribe, SocketPool } from '../../server/testing/sockets';
import { waitFor } from '../../server/testing/wait';
import { nowMs, sleep } from '../common/clock';
import { NOISY_FOREIGN_CPU_PERCENT } from '../common/generatorProcess';
import type { RunContext } from '../common/harness/scenario';
import { postJson } from '../common/httpPost';
import { percentOfCore, processCpuSeconds, sampleCpu } from '../common/processCpu';
import { quietBeforeRound } from '../common/quietMachine';
import { startServerProcess } from '../common/serverProcess';
import { round } from '../common/stats';
import { mailCounts, trackArrivals, type ArrivalTracker, type MailCounts } from './mailCounts';
import type { Participant, SeededThread, StoreLocation } from './seed';
import { openStoreProbe, type StoreProbe } from './storeProbe';

export const SIDES = ['with', 'without'] as const;
export type SideName = (typeof SIDES)[number];

/** What a round needs of the run's options. */
export interface RoundOptions {
  mentions: number;
  replies: number;
  warmupComments: number;
  warmupReplies: number;
  spreadSeconds: number;
  settleSeconds: number;
  idleSeconds: number;
  batchSeconds: number;
  mail: boolean;
  quietWaitSeconds: number;
  startTimeoutSeconds: number;
}

export interface RoundResult {
  round: number;
  side: SideName;
  store: string;
  /** Comments measured: the mentioning one and the replies. */
  comments: number;
  failedPosts: number;
  firstFailure: string | null;
  /** Measured comments the reader received over its socket. */
  delivered: number;
  /** Server CPU from the first measured post to the moment the last notice existed (with) / the last comment was delivered (without). */
  cpuMs: number;
  cpuMsPerComment: number;
  windowSeconds: number;
  /** Seconds the fresh server took to go quiet after the warm-up posts. */
  settleSeconds: number;
  /** The idle server's CPU just before, and the per-comment figure with that idle rate over the window taken off. */
  idleCpuMsPerSecond: number;
  idleCorrectedCpuMsPerComment: number;
  notices: number;
  expectedNotices: number;
  /** From the last post's answer to the last notice existing (0 without notices). */
  noticeLagMs: number;
  mail: MailCounts | null;
  /** Other processes' CPU during the measured window, % of a core. */
  foreignCpuPercent: number | null;
  noisy: boolean;
}

/** How long the notices, the reader's comments and the answers may take after the last post. */
const SETTLE_TIMEOUT_MS = 60_000;
/** After the batch window, how long the mail jobs (polling every quarter window, 30 s at most) and the deliverer may take. */
const MAIL_SLACK_MS = 45_000;
const POLL_MS = 10;
/** A server is quiet when it used at most this share of a core over a SERVER_QUIET_SAMPLE_MS sample. */
const SERVER_QUIET_PERCENT = 2;
const SERVER_QUIET_SAMPLE_MS = 2000;

/** Samples the server's CPU until one sample is quiet, or `maxSeconds` are over. */
async function serverQuiet(pid: number, maxSeconds: number): Promise<{ quiet: boolean; percent: number; seconds: number }> {
  const startedMs = nowMs();
  for (;;) {
    const before = processCpuSeconds(pid) ?? 0;
    await sleep(SERVER_QUIET_SAMPLE_MS);
    const percent = round((((processCpuSeconds(pid) ?? 0) - before) * 1000 * 100) / SERVER_QUIET_SAMPLE_MS, 1);
    const seconds = round((nowMs() - startedMs) / 1000, 1);
    if (percent <= SERVER_QUIET_PERCENT || seconds >= maxSeconds) return { quiet: percent <= SERVER_QUIET_PERCENT, percent, seconds };
  }
}

const mentionText = (mentioned: Participant[]) => `What do you all think? ${mentioned.map((p) => `@${p.name}`).join(', ')} — replies welcome.`;

/** The server's environment: the same on both sides but NOTIFICATIONS; mail through the round's SMTP server when on. */
function serverEnv(args: { where: StoreLocation; sessionSecret: string; notifications: boolean; smtp: TestSmtpServer | null; batchSeconds: number }): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(REDIS_|DATABASE_URL$|DATA_DIR$|SMTP_URL$|MAIL_|PUBLIC_URL$|SITE_|NOTIFICATIONS$|RATE_LIMIT|SPAM_)/.test(k)));
  return {
    ...inherited,
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    NEXT_TELEMETRY_DISABLED: '1',
    DATA_DIR: args.where.dataDir,
    ...(args.where.databaseUrl !== undefined && { DATABASE_URL: args.where.databaseUrl }),
    SESSION_SECRET: args.sessionSecret,
    RATE_LIMITS: 'off',
    // Many posts from one address in a minute: the spam check would hold them (docs/security.md, "Spam").
    SPAM_CHECKS: 'off',
    NOTIFICATIONS: args.notifications ? 'on' : 'off',
    ...(args.smtp && {
      SMTP_URL: args.smtp.url,
      MAIL_FROM: 'Threadline bench <bench@bench.invalid>',
      PUBLIC_URL: 'http://127.0.0.1',
      SITE_ADDRESS: 'Bench Ltd, 1 Test Street, 12345 Town',
      MAIL_BATCH_SECONDS: String(args.batchSeconds),
    }),
  };
}

/** The warm-up's people who tell and are told: one author and the people they mention (and reply to). */
const WARMUP_NOTICE_PEOPLE = 1 + MAX_MENTIONS_PER_COMMENT;

/**
 * Who writes what: participant 0 mentions 1…m; replies go to the top-level comments of 1…r (the mentioned among them), each by a participant of its own after those.
 * The warm-up, before the measured window, runs every code path the measured posts run, on both sides alike: top-level posts by the
 * last participants in the round's thread, and in the warm-up thread a mention and replies between warm-up people (with notices on,
 * they make notices there: the notifier's statements are compiled and its code warm before the window, as the posting path's are).
 */
export function roundPlan(participants: Participant[], thread: SeededThread, warmupThread: SeededThread, o: Pick<RoundOptions, 'mentions' | 'replies' | 'warmupComments' | 'warmupReplies'>) {
  const firstReplier = 1 + Math.max(o.mentions, o.replies);
  const at = (i: number) => participants[i] as Participant;
  const measured = [
    { author: at(0), body: mentionText(participants.slice(1, 1 + o.mentions)), parentId: undefined as string | undefined, slug: thread.slug },
    ...Array.from({ length: o.replies }, (_, k) => ({ author: at(firstReplier + k), body: `A reply (${k + 1} of ${o.replies}) to ${at(1 + k).name}: good point, and here is why.`, parentId: thread.topCommentIds[1 + k], slug: thread.slug })),
  ];
  const warmup = Array.from({ length: o.warmupComments }, (_, k) => ({ author: at(participants.length - 1 - k), body: `Warm-up comment ${k + 1} before the measured ones.`, parentId: undefined as string | undefined, slug: thread.slug }));
  const first = participants.length - o.warmupComments - WARMUP_NOTICE_PEOPLE;
  const teller = at(first);
  const told = participants.slice(first + 1, first + WARMUP_NOTICE_PEOPLE);
  const warmupNotices = [
    { author: teller, body: `Warm-up: ${mentionText(told)}`, parentId: undefined as string | undefined, slug: warmupThread.slug },
    // Each reply answers one of the mentioned people's comments in turn: a new comment, so a new notice each time.
    ...Array.from({ length: o.warmupReplies }, (_, k) => {
      const parent = first + 1 + (k % told.length);
      return { author: teller, body: `A warm-up reply (${k + 1}) to ${at(parent).name}.`, parentId: warmupThread.topCommentIds[parent], slug: warmupThread.slug };
    }),
  ];
  return { measured, warmup: [...warmup, ...warmupNotices], expectedNotices: Math.min(o.mentions, MAX_MENTIONS_PER_COMMENT) + o.replies, expectedWarmupNotices: told.length + o.warmupReplies };
}

/** The last participants, who post and are told only in the warm-up. */
export const warmupPeople = (o: Pick<RoundOptions, 'warmupComments'>) => o.warmupComments + WARMUP_NOTICE_PEOPLE;

/** The least participants a plan needs. */
export const participantsNeeded = (o: Pick<RoundOptions, 'mentions' | 'replies' | 'warmupComments'>) => 1 + Math.max(o.mentions, o.replies) + o.replies + o.warmupComments + WARMUP_NOTICE_PEOPLE;

type Post = ReturnType<typeof roundPlan>['measured'][number];

export async function runRound(args: {
  run: RunContext;
  options: RoundOptions;
  side: SideName;
  store: string;
  roundNo: number;
  where: StoreLocation;
  sessionSecret: string;
  participants: Participant[];
  thread: SeededThread;
  /** Shared by every round: the warm-up's notices are kept there, apart from the round's. */
  warmupThread: SeededThread;
}): Promise<RoundResult> {
  const { run, options: o, side, thread } = args;
  const quiet = await quietBeforeRound(o.quietWaitSeconds);
  if (quiet && !quiet.quiet) run.log(`machine still ${quiet.busyPercent}% busy after ${quiet.waitedSeconds} s; running anyway`);
  const smtp = o.mail ? await startSmtpServer() : null;
  // Stamped from the start: with a window shorter than the spread, mails go out while the posts still arrive.
  const arrivals = smtp ? trackArrivals(smtp) : null;
  const env = serverEnv({ where: args.where, sessionSecret: args.sessionSecret, notifications: side === 'with', smtp, batchSeconds: o.batchSeconds });
  const server = await startServerProcess(run, { name: `${side}-${args.store}`, script: path.join('server', 'main.ts'), env, timeoutMs: o.startTimeoutSeconds * 1000 });
  const probe = await openStoreProbe(args.where);
  const sockets = new SocketPool();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  try {
    const reader = await sockets.connect(server.url);
    const events = record(reader, 'thread:event');
    await subscribe(reader, thread.slug);
    const plan = roundPlan(args.participants, thread, args.warmupThread, o);
    const send = async (post: Post) => {
      const response = await postJson({
        url: new URL(`/api/threads/${post.slug}/comments`, server.url),
        agent,
        headers: { cookie: `tl_session=${post.author.token}` },
        body: JSON.stringify({ body: post.body, ...(post.parentId !== undefined && { parentId: post.parentId }) }),
      });
      if (response.status !== 201 && response.status !== 200) throw new Error(`HTTP ${response.status} ${response.body.slice(0, 200)}`);
      return (JSON.parse(response.body) as { comment: { id: string } }).comment.id;
    };
    const warmupNoticesBefore = await probe.notices(args.warmupThread.slug);
    for (const post of plan.warmup) await send(post);
    if (side === 'with') {
      const expected = warmupNoticesBefore + plan.expectedWarmupNotices;
      await waitFor('the warm-up’s notices', async () => (await probe.notices(args.warmupThread.slug)) >= expected, { timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: POLL_MS });
    }
    // A fresh server keeps working for a while after it listens (compiling, warming caches): measured from when it is quiet.
    const settled0 = await serverQuiet(server.proc.pid, o.settleSeconds);
    if (!settled0.quiet) run.log(`${side} on ${args.store}: the server still used ${settled0.percent}% of a core after ${settled0.seconds} s; measuring anyway`);

    // The idle server's CPU: what any window of this length costs without a post.
    const idleStart = processCpuSeconds(server.proc.pid);
    const idleStartMs = nowMs();
    await sleep(o.idleSeconds * 1000);
    const idleCpuMsPerSecond = (((processCpuSeconds(server.proc.pid) ?? 0) - (idleStart ?? 0)) * 1000) / ((nowMs() - idleStartMs) / 1000);

    const pids = [server.proc.pid, process.pid];
    const start = sampleCpu(pids);
    const startMs = nowMs();
    const stepMs = plan.measured.length > 1 ? (o.spreadSeconds * 1000) / (plan.measured.length - 1) : 0;
    const failures: string[] = [];
    const ids = new Set<string>();
    let lastAnswerMs = startMs;
    await Promise.all(
      plan.measured.map(async (post, k) => {
        await sleep(Math.max(0, startMs + k * stepMs - nowMs()));
        try {
          ids.add(await send(post));
        } catch (err) {
          failures.push((err as Error).message);
        }
        lastAnswerMs = Math.max(lastAnswerMs, nowMs());
      }),
    );
    const delivered = () => events.items.filter((e) => e.type === 'comment.created' && ids.has(e.comment.id)).length;
    const expectedNotices = side === 'with' ? plan.expectedNotices : 0;
    let notices = 0;
    const settled = await waitFor(
      'the measured comments delivered and their notices made',
      async () => {
        if (delivered() < ids.size) return false;
        notices = await probe.notices(thread.slug);
        return notices >= expectedNotices && { atMs: nowMs(), cpu: sampleCpu(pids) };
      },
      { timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: POLL_MS },
    ).catch((err: unknown) => {
      run.log(`${side} on ${args.store}: ${(err as Error).message} (${delivered()}/${ids.size} delivered, ${notices}/${expectedNotices} notices)`);
      return { atMs: nowMs(), cpu: sampleCpu(pids) };
    });
    const before = start.byPid.get(server.proc.pid) ?? 0;
    const after = settled.cpu.byPid.get(server.proc.pid) ?? 0;
    const cpuMs = (after - before) * 1000;
    const windowSeconds = (settled.atMs - startMs) / 1000;
    const comments = plan.measured.length;
    const machine = percentOfCore(start, settled.cpu);
    const ours = (percentOfCore(start, settled.cpu, server.proc.pid) ?? 0) + (percentOfCore(start, settled.cpu, process.pid) ?? 0);
    const foreignCpuPercent = machine === null ? null : Math.max(0, round(machine - ours, 1));
    notices = await probe.notices(thread.slug);

    const mail = arrivals && side === 'with' ? await awaitMail({ probe, arrivals, slug: thread.slug, batchSeconds: o.batchSeconds, spreadSeconds: o.spreadSeconds }) : null;
    return {
      round: args.roundNo,
      side,
      store: args.store,
      comments,
      failedPosts: failures.length,
      firstFailure: failures[0] ?? null,
      delivered: delivered(),
      cpuMs: round(cpuMs, 1),
      cpuMsPerComment: round(cpuMs / comments, 3),
      windowSeconds: round(windowSeconds, 2),
      settleSeconds: settled0.seconds,
      idleCpuMsPerSecond: round(idleCpuMsPerSecond, 2),
      idleCorrectedCpuMsPerComment: round((cpuMs - idleCpuMsPerSecond * windowSeconds) / comments, 3),
      notices,
      expectedNotices,
      noticeLagMs: expectedNotices === 0 ? 0 : round(Math.max(0, settled.atMs - lastAnswerMs), 1),
      mail,
      foreignCpuPercent,
      noisy: (foreignCpuPercent ?? 0) > NOISY_FOREIGN_CPU_PERCENT,
    };
  } finally {
    sockets.closeAll();
    agent.destroy();
    await probe.close();
    await server.proc.stop();
    arrivals?.stop();
    await smtp?.close();
  }
}

/**
 * Waits (bounded) until the round's notices are all mailed or passed over and the outbox has
 * nothing left to send; then counts the mails per person.
 */
async function awaitMail(args: { probe: StoreProbe; arrivals: ArrivalTracker; slug: string; batchSeconds: number; spreadSeconds: number }): Promise<MailCounts> {
  const startedMs = nowMs();
  let timedOut = false;
  await waitFor(
    'the batch mails sent',
    async () => (await args.probe.unmailed(args.slug)) === 0 && (await args.probe.outbox()).pending === 0,
    { timeoutMs: (args.batchSeconds + args.spreadSeconds) * 1000 + MAIL_SLACK_MS, intervalMs: 50 },
  ).catch(() => (timedOut = true));
  // A mail is marked sent once the SMTP server took it (kept, then answered): every sent one is there now.
  args.arrivals.stamp();
  return mailCounts({
    recipients: await args.probe.recipients(args.slug),
    arrivals: [...args.arrivals.arrivals],
    windowMs: args.batchSeconds * 1000,
    waitedSeconds: round((nowMs() - startedMs) / 1000, 1),
    outbox: await args.probe.outbox(),
    timedOut,
  });
}
