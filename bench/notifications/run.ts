/**
 * bench/notifications (issue 17, "Benchmark"): a thread of 2,000 participants where one comment
 * mentions 20 of them and 50 replies arrive in a minute. Notification work may add at most 10% to
 * the posting path's CPU per comment — measured as the server process sees it, the same build with
 * NOTIFICATIONS=on and =off, alternating rounds, a fresh thread each — and the mail sent is at most
 * one per person per batch window (a real SMTP server in this process). SQLite and PostgreSQL.
 * `npm run bench:notifications -- --help`; docs/benchmarks.md for the method.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_MENTIONS_PER_COMMENT } from '../../lib/domain/notifications';
import { createBenchDatabase } from '../common/benchDatabase';
import { count, list, numeric, turnsOff, type Values } from '../common/harness/flags';
import { alternateRounds } from '../common/harness/rounds';
import { defineScenario, runIfMain, type RunContext } from '../common/harness/scenario';
import * as standard from '../common/harness/standardFlags';
import { markdown, summarise, summariseStore, type NotificationsBody } from './report';
import { participantsNeeded, runRound, SIDES, warmupPeople, type RoundResult, type SideName } from './round';
import { seedStore, type SeededStore, type SeededThread, type StoreLocation } from './seed';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
type StoreKind = (typeof STORE_KINDS)[number];

const FLAGS = {
  participants: count('people in the thread, each with an account, a session and a top-level comment (seeded, not measured)', { min: 2 }),
  mentions: count('participants the first measured comment mentions by @name', { min: 0 }),
  replies: count('replies after it, each by a participant of its own to another one\'s top-level comment', { min: 1 }),
  spreadSeconds: numeric('seconds the measured comments are spread over, evenly (the issue: a minute)', { name: 'spread' }),
  batchSeconds: count('MAIL_BATCH_SECONDS: the batch window the mail is judged by (10–86400)', { min: 10, max: 86_400, name: 'batch' }),
  mail: turnsOff('no-mail', 'run without SMTP (CPU only; no mail is counted)'),
  warmupComments: count('top-level posts before the measured ones, on each fresh server (they notify nobody)', { min: 0, name: 'warmup-posts' }),
  warmupReplies: count("replies before the measured ones, on each fresh server, in the warm-up thread (with notices on, each tells someone): the notifier's code runs hot in the window, as the posting path's does", { min: 1, name: 'warmup-replies' }),
  settleSeconds: numeric('seconds at most to wait for a fresh server to go quiet (≤ 2% of a core over 2 s) before the idle reading', { name: 'settle', min: 0 }),
  idleSeconds: numeric("seconds the idle server's CPU is read before the measured posts (the idle-corrected figure)", { name: 'idle' }),
  rounds: standard.rounds('rounds per store, alternating with, without notices (a fresh server and thread each)'),
  retryNoisy: standard.retryNoisy(),
  stores: list(STORE_KINDS, 'stores'),
  ...standard.serverRunFlags(),
};
export type NotificationsOptions = Values<typeof FLAGS>;

/** Where one store lives for the whole run, with its seeded people and threads (one per round and side). */
interface SeededLocation {
  store: StoreKind;
  where: StoreLocation;
  sessionSecret: string;
  seeded: SeededStore;
}

async function prepareStore(run: RunContext, options: NotificationsOptions, store: StoreKind): Promise<SeededLocation> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `threadline-bench-notifications-${store}-`));
  run.registerCleanup(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (store === 'postgres') {
    const database = await createBenchDatabase({ adminUrl: run.pgAdminUrl });
    run.registerCleanup(() => database.drop());
    databaseUrl = database.url;
  }
  const where = { dataDir, databaseUrl };
  const started = Date.now();
  // One per round and side, and the warm-up thread (the last) that every round's warm-up posts in.
  const threads = options.rounds * SIDES.length + options.retryNoisy + 1;
  const seeded = await seedStore({ where, participants: options.participants, threads, threadTitle: (t) => (t === threads - 1 ? 'Notifications bench warm-up thread' : `Notifications bench thread ${t + 1}`), unmailed: warmupPeople(options) });
  run.log(`${store}: seeded ${options.participants} participants and ${threads} thread(s) of ${options.participants} comments in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { store, where, sessionSecret: randomBytes(32).toString('hex'), seeded };
}

const line = (r: RoundResult) =>
  `${r.store} ${r.side.padEnd(7)} CPU ${r.cpuMsPerComment} ms/comment (${r.cpuMs} ms over ${r.windowSeconds} s; quiet after ${r.settleSeconds} s, idle ${r.idleCpuMsPerSecond} ms/s → ${r.idleCorrectedCpuMsPerComment} ms/comment), ` +
  `notices ${r.notices}/${r.expectedNotices} (last ${r.noticeLagMs} ms after the last answer), delivered ${r.delivered}/${r.comments}${r.failedPosts > 0 ? `, ${r.failedPosts} failed: ${r.firstFailure}` : ''}` +
  `${r.mail ? `; mails ${r.mail.received} to ${r.mail.recipients} recipients (${r.mail.missing} missing, ${r.mail.others} to others), max ${r.mail.maxPerPersonPerWindow} per person per window, after ${r.mail.waitedSeconds} s${r.mail.timedOut ? ' (timed out)' : ''}` : ''}` +
  `; foreign CPU ${r.foreignCpuPercent ?? '?'}%${r.noisy ? ' (noisy)' : ''}`;

async function runNotifications(options: NotificationsOptions, run: RunContext): Promise<NotificationsBody> {
  const rounds: RoundResult[] = [];
  const discarded: RoundResult[] = [];
  for (const store of options.stores) {
    const location = await prepareStore(run, options, store);
    const threads = [...location.seeded.threads];
    const warmupThread = threads.pop() as SeededThread;
    const result = await alternateRounds<SideName, RoundResult>({
      rounds: options.rounds,
      sides: SIDES,
      label: (side) => `${side} notifications on ${store}`,
      // Every other round starts with the other side: warming (the page cache, the OS's) favours neither.
      reverseEveryOther: true,
      run: (roundNo, side) => {
        const thread = threads.shift();
        if (!thread) throw new Error('no seeded thread left for this round');
        return runRound({ run, options, side, store, roundNo, where: location.where, sessionSecret: location.sessionSecret, participants: location.seeded.participants, thread, warmupThread });
      },
      line,
      log: run.log,
      retryNoisy: options.retryNoisy,
    });
    rounds.push(...result.rounds);
    discarded.push(...result.discarded);
  }
  return { participants: options.participants, mentionCap: MAX_MENTIONS_PER_COMMENT, rounds, discarded, summary: options.stores.map((s) => summariseStore(s, rounds)) };
}

export const notificationsScenario = defineScenario<NotificationsOptions, NotificationsBody>({
  name: 'notifications',
  flags: FLAGS,
  defaults: {
    ...standard.STANDARD_DEFAULTS,
    participants: 2000,
    mentions: 20,
    replies: 50,
    spreadSeconds: 60,
    // Longer than the spread: every notice of a round falls in one window, so each person's mail is one.
    batchSeconds: 90,
    mail: true,
    warmupComments: 10,
    warmupReplies: 1000,
    settleSeconds: 60,
    idleSeconds: 20,
    rounds: 3,
    stores: [...STORE_KINDS],
    quietWaitSeconds: 10,
  },
  presets: {
    quick: { spreadSeconds: 20, batchSeconds: 30, rounds: 2, idleSeconds: 10, quietWaitSeconds: 3 },
    smoke: { participants: 40, mentions: 5, replies: 8, spreadSeconds: 1, batchSeconds: 10, warmupComments: 2, warmupReplies: 3, settleSeconds: 4, idleSeconds: 0.5, rounds: 1, quietWaitSeconds: 0 },
  },
  services: ['postgres'],
  // The orchestrator posts and reads: core 1; the servers core 0.
  pinning: 'self',
  notes: 'Seeds each store once (accounts, sessions, one thread per round and side), then starts one server per round. A round with mail waits for the batch window after its posts.',
  resolve(options) {
    const needed = participantsNeeded(options);
    if (options.participants < needed) throw new Error(`--participants: at least ${needed} for ${options.mentions} mentions, ${options.replies} replies, ${options.warmupComments} warm-up posts and the warm-up's notices`);
    return options;
  },
  describe: (o) =>
    `stores ${o.stores.join(', ')}; ${o.participants} participants, ${o.mentions} mentioned, ${o.replies} replies over ${o.spreadSeconds} s; ${o.rounds} round(s) with / without notices; ${o.mail ? `mail batches of ${o.batchSeconds} s` : 'no mail'}`,
  run: runNotifications,
  markdown,
  summarise,
});

runIfMain(notificationsScenario, module);
