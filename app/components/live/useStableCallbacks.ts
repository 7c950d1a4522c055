'use client';

import { useRef, useState } from 'react';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function: each keeps its own signature in T
type Callbacks = Record<string, (...args: any[]) => unknown>;

/**
 * The same object of functions for the component's whole life, each calling the version given
 * by the latest render (closing over its state). Handed to thousands of memoised comments, a new
 * function per render would re-render them all; these never do. The keys must not change.
 */
export function useStableCallbacks<T extends Callbacks>(callbacks: T): T {
  const latest = useRef(callbacks);
  latest.current = callbacks;
  const [stable] = useState(() => Object.fromEntries(Object.keys(callbacks).map((key) => [key, (...args: unknown[]) => latest.current[key]!(...args)])) as T);
  return stable;
}
