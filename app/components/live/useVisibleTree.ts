'use client';

import { useMemo, useRef } from 'react';
import { keepUnchanged, type StableTree } from '../../../lib/client/stableTree';
import { visibleTree, type ClientComment, type ThreadState } from '../../../lib/client/threadState';

/**
 * The tree the page shows (visibleTree), built again when the state changes but keeping the
 * node objects of every branch that did not change: memoised comments skip those (stableTree.ts).
 */
export function useVisibleTree(state: ThreadState, rootId: string | null) {
  const previous = useRef<StableTree<ClientComment> | null>(null);
  return useMemo(() => {
    const next = keepUnchanged(previous.current, visibleTree(state, rootId === null ? {} : { rootId }));
    previous.current = next;
    return next.roots;
  }, [state, rootId]);
}
