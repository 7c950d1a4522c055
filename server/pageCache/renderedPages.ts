/** A page as the cache keeps it: rendered once, for everyone. */
export interface RenderedPage {
  /** The thread's slug, by which a change to the thread drops its pages. */
  slug: string;
  /** The thread's seq when the page was rendered: the version its HTML shows. */
  seq: number;
  /** Headers of the render worth repeating (content-type, content-language). */
  headers: Record<string, string>;
  body: Buffer;
  /** The body gzipped once, or null when it does not get smaller. */
  gzip: Buffer | null;
  etag: string;
  /** When the seq was last found unchanged (or the page rendered): the page is fresh for a while after. */
  checkedAt: number;
  /** When its words go out of date whatever the seq (a closing countdown), or null: never served from then on. */
  holdsUntil: number | null;
}

/** What an entry costs beyond its bodies (key, headers, Map slot), in bytes. */
const ENTRY_OVERHEAD_BYTES = 512;

const costOf = (key: string, page: RenderedPage) => page.body.length + (page.gzip?.length ?? 0) + key.length * 2 + ENTRY_OVERHEAD_BYTES;

/**
 * Rendered reader pages by key (server/pageCache/pageKey.ts), least recently used first out,
 * bounded in bytes held; `maxBytes` 0 keeps nothing. Each thread's keys are indexed so that a
 * change to it drops all of its pages (every sort, cursor, locale) without a scan.
 */
export function createRenderedPages(options: { maxBytes: number }) {
  const { maxBytes } = options;
  const entries = new Map<string, { page: RenderedPage; cost: number }>();
  const bySlug = new Map<string, Set<string>>();
  let used = 0;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    used -= entry.cost;
    const keys = bySlug.get(entry.page.slug);
    keys?.delete(key);
    if (keys?.size === 0) bySlug.delete(entry.page.slug);
  }

  return {
    get(key: string): RenderedPage | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      // Map keeps insertion order: re-inserting marks it the most recently used.
      entries.delete(key);
      entries.set(key, entry);
      return entry.page;
    },

    set(key: string, page: RenderedPage): void {
      remove(key);
      const cost = costOf(key, page);
      // A page bigger than the whole budget (or a budget of 0) is served, not kept.
      if (cost > maxBytes) return;
      entries.set(key, { page, cost });
      used += cost;
      bySlug.set(page.slug, (bySlug.get(page.slug) ?? new Set()).add(key));
      for (const [oldest] of entries) {
        if (used <= maxBytes) break;
        remove(oldest);
      }
    },

    /** Every page of a thread, after it changed (or was deleted). */
    dropThread(slug: string): void {
      for (const key of [...(bySlug.get(slug) ?? [])]) remove(key);
    },

    delete: remove,

    /** Every page goes: what they show changed without their threads moving (a badge). */
    clear(): void {
      for (const key of [...entries.keys()]) remove(key);
    },

    get size() {
      return entries.size;
    },
    /** Bytes held, overheads included: never more than `maxBytes`. */
    get usedBytes() {
      return used;
    },
  };
}
