import type { Store } from '../../lib/store/store';
import { createCountBoard, type CountChanges } from '../../lib/services/countBoard';
import type { Logger } from '../log';

/** How often a node reads the counts its readers watch, and tells each reader what changed. */
export const COUNT_FLUSH_MS = 2000;

export interface CountHubOptions {
  store: Pick<Store, 'readCommentCounts'>;
  log: Logger;
  /** Unset: COUNT_FLUSH_MS. Tests and the benchmark shorten it. */
  flushMs?: number;
}

export interface CountHub {
  /** Starts watching `slugs` for one reader: resolves with their counts now (null: no such thread) and a function that stops. */
  watch(slugs: readonly string[], deliver: (changes: CountChanges) => void): Promise<{ snapshot: CountChanges; stop: () => void }>;
  /** What the hub has done since it started (metrics, tests, the benchmark). */
  stats(): { readers: number; watchedSlugs: number; reads: number; messages: number };
  close(): void;
}

/**
 * One node's live counts (docs/decisions.md, "Counts on front pages"). Every interval the counts of
 * every thread some reader on this node watches are read from the store in one statement per 500
 * slugs — the count the triggers keep on the thread's row, so it cannot drift from the thread, and
 * comments committed on any node are seen alike, without a message between nodes — and each reader
 * whose threads changed gets one message. Idle (nobody watching) it reads nothing.
 */
export function createCountHub(options: CountHubOptions): CountHub {
  const board = createCountBoard();
  let reads = 0;
  let messages = 0;
  let reading = false;

  async function readAndApply(slugs: readonly string[]): Promise<void> {
    reads += 1;
    const counts = await options.store.readCommentCounts(slugs);
    messages += board.apply(counts, slugs);
  }

  const timer = setInterval(() => {
    // A slow read is not stacked with the next one: this tick is skipped.
    if (reading) return;
    const slugs = board.watchedSlugs();
    if (slugs.length === 0) return;
    reading = true;
    readAndApply(slugs)
      .catch((err: unknown) => options.log.warn(`reading comment counts failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (reading = false));
  }, options.flushMs ?? COUNT_FLUSH_MS);
  timer.unref();

  return {
    async watch(slugs, deliver) {
      const stop = board.watch({ slugs, deliver });
      try {
        const unknown = slugs.filter((slug) => board.known(slug) === undefined);
        if (unknown.length > 0) await readAndApply(unknown);
      } catch (err) {
        stop();
        throw err;
      }
      const snapshot: CountChanges = {};
      for (const slug of slugs) snapshot[slug] = board.known(slug) ?? null;
      return { snapshot, stop };
    },
    stats: () => ({ readers: board.readers(), watchedSlugs: board.watchedSlugs().length, reads, messages }),
    close: () => clearInterval(timer),
  };
}
