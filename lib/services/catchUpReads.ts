import { CATCH_UP_LIMIT, type CatchUp, type ThreadEventWire } from '../contract/api';
import { AppError } from '../domain/errors';
import type { ThreadEvent } from '../domain/events';
import type { Thread } from '../domain/types';
import type { Store } from '../store/store';
import type { BadgeLookup } from './badgeDirectory';
import { closingField, policyField, qaField, toWireEvent } from './commentView';

interface Waiter {
  afterSeq: number | null;
  resolve(catchUp: CatchUp): void;
  reject(err: unknown): void;
}

/**
 * Catch-up reads ("what did I miss since seq N?"), shared by readers who ask
 * at the same moment: after a node dies, every reader it had subscribes again
 * within a few hundred milliseconds, mostly from the same seq. One read per
 * thread is in flight at a time; everyone who asks meanwhile waits for the
 * next, which then serves them all with one thread lookup and one log read.
 *
 * Still exact: a reader joins its room before it asks, and a read serves only
 * those who asked before it began, so an event committed after a reader joined
 * reaches it live, in its answer, or both (it drops the copy).
 */
export function createCatchUpReads(deps: { store: Store; badges?: BadgeLookup }): (request: { slug: string; afterSeq: number | null }) => Promise<CatchUp> {
  const { store, badges } = deps;
  /** Per thread: who waits for the read that has not begun yet. */
  const waiting = new Map<string, Waiter[]>();
  /** Threads with a read in flight. */
  const reading = new Set<string>();

  async function readFor(slug: string, waiters: readonly Waiter[]): Promise<void> {
    try {
      const thread = await store.findThreadRowBySlug(slug);
      if (!thread) throw new AppError('thread_not_found');
      const behind = waiters.map((w) => w.afterSeq).filter((a): a is number => a !== null && a < thread.seq);
      const shared = behind.length === 0 ? [] : await store.eventsAfter({ threadId: thread.id, afterSeq: Math.min(...behind), limit: CATCH_UP_LIMIT + 1 });
      // Converted once, sent to every reader of the batch.
      const wire = shared.map((e) => toWireEvent(slug, e, badges));
      const truncated = shared.length > CATCH_UP_LIMIT;
      for (const waiter of waiters) {
        const { afterSeq } = waiter;
        if (afterSeq !== null && afterSeq > thread.seq) {
          // The reader saw events this database no longer has (restored from a backup, or another
          // database): its page cannot be patched, only reloaded.
          waiter.resolve({ ...answer({ slug, thread, events: [], wire: [] }), resync: true });
        } else if (afterSeq === null || afterSeq === thread.seq) {
          waiter.resolve(answer({ slug, thread, events: [], wire: [] }));
        } else if (!truncated || afterSeq === Math.min(...behind)) {
          const from = shared.findIndex((e) => e.seq > afterSeq);
          const start = from === -1 ? shared.length : from;
          waiter.resolve(answer({ slug, thread, events: shared.slice(start), wire: wire.slice(start) }));
        } else {
          // The shared read stopped at the limit before this reader's events ended: it reads its own (rare).
          const own = await store.eventsAfter({ threadId: thread.id, afterSeq, limit: CATCH_UP_LIMIT + 1 });
          waiter.resolve(answer({ slug, thread, events: own, wire: own.map((e) => toWireEvent(slug, e, badges)) }));
        }
      }
    } catch (err) {
      for (const waiter of waiters) waiter.reject(err);
    }
  }

  function next(slug: string): void {
    const waiters = waiting.get(slug);
    if (!waiters) return;
    waiting.delete(slug);
    reading.add(slug);
    void readFor(slug, waiters).finally(() => {
      reading.delete(slug);
      next(slug);
    });
  }

  return ({ slug, afterSeq }) =>
    new Promise<CatchUp>((resolve, reject) => {
      const waiters = waiting.get(slug);
      if (waiters) waiters.push({ afterSeq, resolve, reject });
      else waiting.set(slug, [{ afterSeq, resolve, reject }]);
      if (!reading.has(slug)) next(slug);
    });
}

/** One reader's answer: its events (after its seq, more than the limit: none, and `resync`). */
function answer(args: { slug: string; thread: Thread; events: readonly ThreadEvent[]; wire: ThreadEventWire[] }): CatchUp {
  const { slug, thread, events } = args;
  const settings = { locked: thread.locked, slowModeSeconds: thread.slowModeSeconds, preModeration: thread.preModeration, hidden: thread.hidden, commentPolicy: thread.commentPolicy, qa: thread.qa, closesAt: thread.closesAt };
  const seq = Math.max(thread.seq, events.at(-1)?.seq ?? 0);
  const { commentPolicy, qa, closesAt, ...rest } = events.reduce((current, e) => (e.type === 'thread.updated' ? e.thread : current), settings);
  const latest = { ...rest, ...policyField(commentPolicy), ...qaField(qa), ...closingField(closesAt) };
  if (events.length > CATCH_UP_LIMIT) return { thread: { slug, seq, ...latest }, missed: [], resync: true };
  return { thread: { slug, seq, ...latest }, missed: args.wire, resync: false };
}
