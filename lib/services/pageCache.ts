/** Room for cached pages, counted in comments: about 1 KiB each with their HTML, so some 20–40 MiB. */
const DEFAULT_PAGE_CACHE_COMMENTS = 20_000;

/**
 * Pages of threads as they were at one seq, least recently used first out.
 *
 * A thread's seq moves with every change to it (a post, an edit, a moderator's
 * action, a setting), so an entry keyed by (thread, seq) can never be stale: a
 * change makes a new key, and storing a newer seq drops the thread's older
 * entries at once. The budget is in comments (what a page's memory grows
 * with), not entries; `maxComments` 0 turns the cache off.
 */
export function createPageCache<V>(options: { maxComments?: number } = {}) {
  const budget = options.maxComments ?? DEFAULT_PAGE_CACHE_COMMENTS;
  const entries = new Map<string, { threadId: string; seq: number; weight: number; value: V }>();
  /** Each thread's keys, so a newer seq can drop the older ones without a scan. */
  const byThread = new Map<string, Set<string>>();
  let used = 0;

  const keyOf = (threadId: string, seq: number, variant: string) => `${threadId}\u0000${seq}\u0000${variant}`;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    used -= entry.weight;
    const keys = byThread.get(entry.threadId);
    keys?.delete(key);
    if (keys?.size === 0) byThread.delete(entry.threadId);
  }

  return {
    /** `variant` tells pages of one thread version apart (sort, cursor, branch). */
    get(threadId: string, seq: number, variant: string): V | undefined {
      const key = keyOf(threadId, seq, variant);
      const entry = entries.get(key);
      if (!entry) return undefined;
      // Map keeps insertion order: re-inserting marks it the most recently used.
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },

    /** `weight`: the comments the value holds. */
    set(threadId: string, seq: number, variant: string, value: V, weight: number): void {
      const keys = byThread.get(threadId);
      // A page of an older version than one already kept is not worth keeping.
      if (keys) for (const key of keys) if (entries.get(key)!.seq > seq) return;
      if (keys) for (const key of [...keys]) if (entries.get(key)!.seq < seq) remove(key);
      const key = keyOf(threadId, seq, variant);
      remove(key);
      const cost = Math.max(1, weight);
      // A page bigger than the whole budget (or a budget of 0) is served, not kept.
      if (cost > budget) return;
      entries.set(key, { threadId, seq, weight: cost, value });
      used += cost;
      byThread.set(threadId, (byThread.get(threadId) ?? new Set()).add(key));
      for (const [oldest] of entries) {
        if (used <= budget) break;
        remove(oldest);
      }
    },

    /** Drops every page: what they show changed without their thread's seq moving (a badge). */
    clear(): void {
      entries.clear();
      byThread.clear();
      used = 0;
    },

    get size() {
      return entries.size;
    },
    /** Comments held, for tests and metrics. */
    get weight() {
      return used;
    },
  };
}
