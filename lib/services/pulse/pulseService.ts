import { PULSE_HOURS, PULSE_MINUTES, PULSE_TOP, type Pulse } from '../../contract/pulse';
import { AppError } from '../../domain/errors';
import { everyMinute, summarizeDecisions } from '../../domain/pulse';
import type { Store } from '../../store';
import { NO_READERS, type ReaderCounts } from './readerCounts';

export interface PulseService {
  /** The figures of the whole site, or of one thread (`slug`); `thread_not_found` for an unknown slug. */
  figures(request: { slug?: string; hours?: number }): Promise<Pulse>;
  /** Where "reading now" comes from: the realtime layer plugs its presence counts in when it starts. */
  useReaderCounts(counts: ReaderCounts): void;
}

/**
 * Every moderator's dashboard asks every few seconds (app/moderate/pulse): one node reads each scope's
 * figures at most this often and gives every moderator that asks meanwhile the same answer.
 */
const SHARED_FOR_MS = 2000;
/** Decisions read for the median: enough for any desk's day; a median of more would not move. */
const DECISIONS_READ = 5000;

/**
 * The editors' pulse (issue 19.5): posts per minute, readers now, the queue, the time to a decision, the
 * busiest threads and people, the rejected share. Each figure is read from the database's own rows (the
 * seq log, the comments, reports and audit log: lib/store/pulseStore.ts) or from the presence counts the
 * readers see, never from a counter of its own that could drift from them.
 */
export function createPulseService(deps: { store: Store; now?: () => Date; /** Tests read afresh: 0. */ sharedForMs?: number }): PulseService {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const sharedForMs = deps.sharedForMs ?? SHARED_FOR_MS;
  let readers: ReaderCounts = NO_READERS;
  const shared = new Map<string, { at: number; figures: Promise<Pulse> }>();

  async function read(slug: string | undefined, hours: number): Promise<Pulse> {
    const thread = slug === undefined ? undefined : await store.findThreadRowBySlug(slug);
    if (slug !== undefined && !thread) throw new AppError('thread_not_found');
    const at = now();
    const since = new Date(at.getTime() - hours * 3600_000).toISOString();
    const scope = { threadId: thread?.id };
    const [minutes, waiting, decisions, topThreads, topCommenters] = await Promise.all([
      store.pulse.commentsPerMinute({ ...scope, since }),
      store.pulse.waiting(scope),
      store.pulse.decisions({ ...scope, since, limit: DECISIONS_READ }),
      thread ? Promise.resolve([]) : store.pulse.busiestThreads({ since, limit: PULSE_TOP }),
      store.pulse.activeCommenters({ ...scope, since, limit: PULSE_TOP }),
    ]);
    const summary = summarizeDecisions(decisions);
    return {
      thread: thread ? { slug: thread.slug, title: thread.title } : null,
      at: at.toISOString(),
      hours,
      perMinute: everyMinute(minutes, at, PULSE_MINUTES),
      comments: minutes.reduce((sum, m) => sum + m.comments, 0),
      readersNow: thread ? readers.reading(thread.slug) : readers.readingEverywhere(),
      waiting,
      decisions: summary.decisions,
      medianDecisionSeconds: summary.medianSeconds,
      rejectedShare: summary.rejectedShare,
      topThreads: topThreads.map(({ slug: s, title, events, comments }) => ({ slug: s, title, events, comments })),
      topCommenters,
    };
  }

  return {
    figures({ slug, hours = PULSE_HOURS.default }) {
      const key = `${slug ?? ''}\n${hours}`;
      const at = Date.now();
      const kept = shared.get(key);
      if (kept && at - kept.at < sharedForMs) return kept.figures;
      // Bounded by the moderators' choices: a few scopes at a time, so old ones are simply dropped.
      for (const [k, v] of shared) if (at - v.at >= sharedForMs) shared.delete(k);
      const figures = read(slug, hours);
      shared.set(key, { at, figures });
      figures.catch(() => shared.delete(key));
      return figures;
    },
    useReaderCounts(counts) {
      readers = counts;
    },
  };
}
