/**
 * A value many components read a small part of, each re-rendered only when its part changes
 * (useThreadView over `subscribe` and `get`). The page writes the value while it renders (`set`:
 * its children rendering in the same pass read the new one) and tells the others once it has
 * committed (`notify`), so a page-wide value such as the comment in focus or the clock does not
 * re-render every comment on the page.
 *
 * A subscriber returns true when what it was told makes it re-render. When a change concerns many
 * of them (the page going live changes every comment's buttons), they are told RERENDERS_PER_TASK
 * at a time, one task each: the browser gets the main thread back between them (Lighthouse's
 * total blocking time counts every task over 50 ms) instead of one render of every comment.
 */
/** Subscribers that will re-render told in one task; the next ones wait for the next task. */
export const RERENDERS_PER_TASK = 4;

/** Told that the value may have changed; true when it will re-render for it. */
export type ViewListener = () => boolean | void;

export interface ViewStore<V> {
  get(): V;
  /** Replaces the value without telling anyone (yet). */
  set(value: V): void;
  /** Tells every subscriber to look again (RERENDERS_PER_TASK re-renders a task); a new call starts over. */
  notify(): void;
  subscribe(listener: ViewListener): () => void;
  /**
   * Until `release`, `get` keeps answering the value it had when held: what the server rendered
   * with, while parts of the page are still being hydrated from that HTML (they must render it
   * as it was, or React throws their markup away and renders them again).
   */
  hold(): void;
  /** Ends a hold and tells every subscriber. */
  release(): void;
}

export function createViewStore<V>(initial: V): ViewStore<V> {
  let value = initial;
  let held: { value: V } | null = null;
  const listeners = new Set<ViewListener>();
  let rest: ReturnType<typeof setTimeout> | null = null;
  const tell = (queue: ViewListener[]) => {
    let rerenders = 0;
    for (let i = 0; i < queue.length; i++) {
      const listener = queue[i]!;
      // One that left since the queue was taken is not told.
      if (!listeners.has(listener)) continue;
      if (listener() === true && ++rerenders >= RERENDERS_PER_TASK && i + 1 < queue.length) {
        const later = queue.slice(i + 1);
        rest = setTimeout(() => {
          rest = null;
          tell(later);
        }, 0);
        return;
      }
    }
  };
  const notify = () => {
    // Those not yet told of an earlier change hear of this one, which includes it.
    if (rest !== null) clearTimeout(rest);
    rest = null;
    tell([...listeners]);
  };
  return {
    get: () => (held === null ? value : held.value),
    set: (next) => {
      value = next;
    },
    notify,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    hold: () => {
      held ??= { value };
    },
    release: () => {
      if (held === null) return;
      held = null;
      notify();
    },
  };
}

/** Two flat records with the same keys and the very same values (Object.is). */
export function shallowEqual<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && Object.is(a[key], b[key]));
}
