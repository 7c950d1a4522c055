/** A thread's count of visible comments, or null when no thread readers may see has that slug. */
export type CommentCount = number | null;

/** What one reader is told at once: only the counts of its own threads that changed since its last message. */
export type CountChanges = Record<string, CommentCount>;

export interface CountWatcher {
  /** The threads it shows counts of. */
  readonly slugs: readonly string[];
  /** One message: every change of its threads since the previous one. */
  deliver(changes: CountChanges): void;
}

/**
 * The front pages' counts on one node (docs/decisions.md, "Counts on front pages"): every reader
 * watches a list of threads; the node reads the counts of every thread watched by anyone at once,
 * per interval, and each reader whose threads changed gets one message holding only those. However
 * many comments a thread takes in the interval, its readers hear of it once, with the latest count.
 * Pure: the caller reads the store and keeps the time.
 */
export interface CountBoard {
  /** Adds a reader; the returned function removes it. */
  watch(watcher: CountWatcher): () => void;
  /** Every slug some reader watches (what to read from the store next). */
  watchedSlugs(): string[];
  /** The last count read of a slug; undefined before its first read. */
  known(slug: string): CommentCount | undefined;
  /**
   * The counts just read (a slug absent from `counts` is unknown to the store: null). Each reader with
   * at least one change gets one message; answers how many messages went out.
   */
  apply(counts: ReadonlyMap<string, number>, slugsRead: readonly string[]): number;
  readers(): number;
}

export function createCountBoard(): CountBoard {
  const watchersBySlug = new Map<string, Set<CountWatcher>>();
  const counts = new Map<string, CommentCount>();

  return {
    watch(watcher) {
      for (const slug of watcher.slugs) {
        let set = watchersBySlug.get(slug);
        if (!set) watchersBySlug.set(slug, (set = new Set()));
        set.add(watcher);
      }
      return () => {
        for (const slug of watcher.slugs) {
          const set = watchersBySlug.get(slug);
          if (!set) continue;
          set.delete(watcher);
          if (set.size === 0) {
            watchersBySlug.delete(slug);
            // Nobody watches it any more: its count is read afresh when someone does.
            counts.delete(slug);
          }
        }
      };
    },

    watchedSlugs: () => [...watchersBySlug.keys()],

    known: (slug) => counts.get(slug),

    apply(read, slugsRead) {
      const pending = new Map<CountWatcher, CountChanges>();
      for (const slug of slugsRead) {
        const watchers = watchersBySlug.get(slug);
        if (!watchers) continue;
        const now = read.get(slug) ?? null;
        const before = counts.get(slug);
        counts.set(slug, now);
        // A slug's first read is no change: its readers got it when they started watching.
        if (before === undefined || before === now) continue;
        for (const watcher of watchers) {
          let changes = pending.get(watcher);
          if (!changes) pending.set(watcher, (changes = {}));
          changes[slug] = now;
        }
      }
      for (const [watcher, changes] of pending) watcher.deliver(changes);
      return pending.size;
    },

    readers() {
      const all = new Set<CountWatcher>();
      for (const set of watchersBySlug.values()) for (const w of set) all.add(w);
      return all.size;
    },
  };
}
