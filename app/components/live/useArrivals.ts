'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { arrivalsView, cameBack, firstShown, isBack, leave, missedSince, unseen, UP_TO_DATE_MS, type ArrivalsView, type Away, type Back, type Presence } from '../../../lib/client/arrivals';
import { isMutedComment } from '../../../lib/client/readerMutes';
import { shownInView, type ClientComment, type ThreadState } from '../../../lib/client/threadState';
import type { TreeNode } from '../../../lib/domain/tree';
import { useGoToComment } from './goToComment';

export interface Arrivals {
  view: ArrivalsView;
  /** Between losing the connection and the notice of what it brought back: live arrivals are not announced one by one then. */
  away: boolean;
  /** Shows everything the pill counts and takes the reader to the first of it (focus and scroll). */
  goTo(): void;
  /** Takes "Back — N new comments" down without going there (what is held stays behind the pill). */
  dismiss(): void;
}

/**
 * What arrived while the reader read, for the arrivals pill: comments held
 * back, and what came while the connection was gone (counted once the
 * catch-up after the return has been applied). The rules are
 * lib/client/arrivals.ts's; this holds the state and moves focus. A comment
 * of someone the reader muted (`muted`: authors' keys) is never counted: it
 * shows folded when the pill is next used for others' comments.
 */
export function useArrivals(options: {
  state: ThreadState;
  tree: readonly TreeNode<ClientComment>[];
  presence: Presence;
  synced: number;
  rootId: string | null;
  muted: ReadonlySet<string>;
  reveal(): void;
}): Arrivals {
  const { state, tree, presence, synced, rootId, muted, reveal } = options;
  const [away, setAway] = useState<Away | null>(null);
  const [back, setBack] = useState<Back | null>(null);
  const [goal, setGoal] = useState<ReadonlySet<string> | null>(null);
  const goToComment = useGoToComment();
  const latest = useRef({ comments: state.comments, synced });
  latest.current = { comments: state.comments, synced };

  // The connection went: remember what the page had, to tell what came meanwhile.
  useEffect(() => {
    if (presence === 'offline' || presence === 'reconnecting') setAway((a) => leave(a, latest.current.comments, latest.current.synced));
  }, [presence]);

  // Back, and the catch-up applied: what it brought becomes the notice.
  useEffect(() => {
    if (!isBack(away, presence, synced)) return;
    const missed = missedSince(away.known, latest.current.comments);
    setBack((b) => cameBack(b, missed, Date.now()));
    setAway(null);
  }, [away, presence, synced]);

  const inView = useMemo(() => {
    const shown = shownInView(state);
    return (c: ClientComment) => shown(c) && !isMutedComment(c, muted);
  }, [state, muted]);
  const targets = unseen({ back, held: state.held, comments: state.comments, rootId, inView });

  // "Back — nothing new" is said, then goes.
  const nothingNew = back !== null && targets.length === 0;
  useEffect(() => {
    if (!nothingNew || back === null) return;
    const timer = setTimeout(() => setBack(null), Math.max(0, back.at + UP_TO_DATE_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [nothingNew, back]);

  const goTo = () => {
    setGoal(new Set(targets));
    setBack(null);
    reveal();
  };

  // After the render that shows them: the first of them in the page's order takes focus (and so the keyboard's
  // place), in whatever branches the reader folded on the way to it.
  useEffect(() => {
    if (goal === null) return;
    setGoal(null);
    const id = firstShown(tree, goal);
    if (id !== null) goToComment(id);
  }, [goal, tree, goToComment]);

  return {
    view: arrivalsView({ presence, away, back, unseen: targets }),
    away: away !== null,
    goTo,
    dismiss: useCallback(() => setBack(null), []),
  };
}
