/**
 * A value many components read a small part of, each re-rendered only when its part changes
 * (React's useSyncExternalStore over `subscribe` and `get`). The page writes the value while it
 * renders (`set`: its children rendering in the same pass read the new one) and tells the
 * others once it has committed (`notify`), so a page-wide value such as the comment in focus or
 * the clock does not re-render every comment on the page.
 */
export interface ViewStore<V> {
  get(): V;
  /** Replaces the value without telling anyone (yet). */
  set(value: V): void;
  /** Tells every subscriber to look again. */
  notify(): void;
  subscribe(listener: () => void): () => void;
}

export function createViewStore<V>(initial: V): ViewStore<V> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set: (next) => {
      value = next;
    },
    notify: () => {
      for (const listener of [...listeners]) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Two flat records with the same keys and the very same values (Object.is). */
export function shallowEqual<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && Object.is(a[key], b[key]));
}
