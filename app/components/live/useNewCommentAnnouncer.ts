'use client';

import { useEffect, useRef, useState } from 'react';
import { createBatchAnnouncer, type BatchAnnouncer } from '../../../lib/client/announcer';
import { isMutedComment } from '../../../lib/client/readerMutes';
import type { ClientComment } from '../../../lib/client/threadState';

/** At most one "N new comments" announcement per this many milliseconds. */
export const ANNOUNCE_INTERVAL_MS = 4000;

/**
 * The text of the page's polite live region for comments that arrived live
 * from others (the state marks them `fresh`), batched by lib/client/announcer.
 * Each comment counts once, however often the page re-renders; those that
 * come while `quiet`, and those of people the reader muted (`muted`), are
 * never announced here.
 */
export function useNewCommentAnnouncer(options: { comments: Record<string, ClientComment>; label(count: number): string; quiet?: boolean; muted?: ReadonlySet<string> }): string {
  const [text, setText] = useState('');
  const counted = useRef(new Set<string>());
  const announcer = useRef<BatchAnnouncer | null>(null);
  const label = useRef(options.label);
  label.current = options.label;

  useEffect(() => {
    let flip = false;
    announcer.current = createBatchAnnouncer({
      intervalMs: ANNOUNCE_INTERVAL_MS,
      // The same words twice in a row are not read again by some screen readers: a trailing no-break space alternates.
      announce: (count) => {
        flip = !flip;
        setText(`${label.current(count)}${flip ? '' : '\u00a0'}`);
      },
    });
    return () => announcer.current?.dispose();
  }, []);

  useEffect(() => {
    let arrived = 0;
    for (const c of Object.values(options.comments)) {
      if (c.fresh && !counted.current.has(c.id)) {
        counted.current.add(c.id);
        if (!options.muted || !isMutedComment(c, options.muted)) arrived += 1;
      }
    }
    // Quiet: counted (never announced later) but not announced now: something else says they came.
    if (arrived > 0 && !options.quiet) announcer.current?.add(arrived);
  }, [options.comments, options.quiet, options.muted]);

  return text;
}
