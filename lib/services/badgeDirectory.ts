import type { Badge } from '../domain/identity';

/** A person's badges by their id (undefined: none); what every rendering of a comment reads. */
export type BadgeLookup = (personId: string) => readonly Badge[] | undefined;

/** How often a node reads the badged accounts again: a change made on another node shows within this. */
export const BADGES_REFRESH_MS = 5000;

export interface BadgeDirectory {
  /** The badges of the person, from this node's copy: no read, so a page of comments costs one map lookup each. */
  of: BadgeLookup;
  /** Reads the badged accounts now (after a change on this node, so it shows at once here). */
  refresh(): Promise<void>;
  /** Called when the badges change: cached pages that show them must go (their thread's seq did not move). */
  onChange(listener: () => void): () => void;
  close(): void;
}

/**
 * Every node keeps the badged accounts in memory (docs/decisions.md, "Badges"): they are few (the
 * newsroom's staff, journalists, experts), so rendering a comment asks no query, and the comment
 * reads stay as they are. The copy is read again every few seconds; when it changes, the listeners
 * drop the cached pages (lib/services/pageCache.ts, server/pageCache), which are kept per thread
 * version and would not otherwise see a badge that changed without the thread moving.
 */
export function createBadgeDirectory(options: {
  read: () => Promise<{ id: string; badges: Badge[] }[]>;
  refreshMs?: number;
  onError?: (err: unknown) => void;
}): BadgeDirectory {
  let byPerson = new Map<string, readonly Badge[]>();
  let signature = '';
  const listeners = new Set<() => void>();
  let running: Promise<void> | undefined;

  async function readNow(): Promise<void> {
    const accounts = await options.read();
    const next = new Map(accounts.filter((a) => a.badges.length > 0).map((a) => [a.id, a.badges] as const));
    const nextSignature = [...next].map(([id, badges]) => `${id}:${badges.join(',')}`).sort().join(';');
    byPerson = next;
    if (nextSignature === signature) return;
    signature = nextSignature;
    for (const listener of listeners) listener();
  }

  function refresh(): Promise<void> {
    // Concurrent asks share one read; an ask during a read reads again after it (it may follow a change the read missed).
    const after = running ?? Promise.resolve();
    const next = after.then(readNow, readNow).finally(() => {
      if (running === next) running = undefined;
    });
    running = next;
    return next;
  }

  const timer = setInterval(() => refresh().catch((err: unknown) => options.onError?.(err)), options.refreshMs ?? BADGES_REFRESH_MS);
  timer.unref();
  refresh().catch((err: unknown) => options.onError?.(err));

  return {
    of: (personId) => byPerson.get(personId),
    refresh,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(timer);
      listeners.clear();
    },
  };
}
