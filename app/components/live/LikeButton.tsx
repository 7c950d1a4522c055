'use client';

import { useState } from 'react';
import type { ClientComment } from '../../../lib/client/threadState';
import { REACTION_TEXT } from './reactionText';

/**
 * A comment's like toggle: pressed when this reader likes it. The count
 * changes at once and goes back if the server refuses; other readers' likes
 * arrive as events. Before the page is live (no JavaScript yet) it is the
 * count alone.
 */
export function LikeButton({ comment, live, onToggle }: { comment: ClientComment; live: boolean; onToggle: (comment: ClientComment) => Promise<string | null> }) {
  const [problem, setProblem] = useState<string | null>(null);
  const liked = comment.likedByMe ?? false;
  if (!live) {
    return comment.likes > 0 ? <span className="like-count-static">{REACTION_TEXT.likes(comment.likes)}</span> : null;
  }
  const label = `${liked ? REACTION_TEXT.unlike : REACTION_TEXT.like} (${REACTION_TEXT.likes(comment.likes)})`;
  return (
    <>
      <button
        type="button"
        className={`link-button action-link like-button${liked ? ' like-button-on' : ''}`}
        aria-pressed={liked}
        aria-label={label}
        data-likes={comment.likes}
        onClick={async () => {
          setProblem(null);
          const error = await onToggle(comment);
          if (error) setProblem(REACTION_TEXT.likeFailed(error));
        }}
      >
        <span aria-hidden="true" className="like-heart">
          {liked ? '♥' : '♡'}
        </span>{' '}
        <span aria-hidden="true">{comment.likes > 0 ? REACTION_TEXT.count(comment.likes) : REACTION_TEXT.like}</span>
      </button>
      {problem ? (
        <span className="like-problem" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
