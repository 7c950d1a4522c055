'use client';

import { useState } from 'react';
import type { ClientComment } from '../../../lib/client/threadState';
import type { Sort } from '../../../lib/contract/api';
import { useTranslator } from '../../i18n/I18nProvider';
import { reactionText } from './reactionText';

/**
 * A comment's like toggle: pressed when this reader likes it. The count
 * changes at once and goes back if the server refuses; other readers' likes
 * arrive as events. Before the page is live (no JavaScript) it is a form.
 */
export function LikeButton(props: {
  comment: ClientComment;
  live: boolean;
  onToggle: (comment: ClientComment) => Promise<string | null>;
  /** For the form that likes without JavaScript. */
  slug: string;
  sort: Sort;
}) {
  const { comment, live, onToggle } = props;
  const [problem, setProblem] = useState<string | null>(null);
  const text = reactionText(useTranslator());
  const liked = comment.likedByMe ?? false;
  const label = `${liked ? text.unlike : text.like} (${text.likes(comment.likes)})`;
  const content = (
    <>
      <span aria-hidden="true" className="like-heart">
        {liked ? '♥' : '♡'}
      </span>{' '}
      {/* Unseen beside the count, the word it replaces takes its room (app/globals.css): a count coming or changing moves nothing
          after it. A new count is a new node (its key), not the old text rewritten, which Chromium reports as a (tiny) shift. */}
      <span aria-hidden="true" className="like-count" data-room={text.like}>
        <span key={comment.likes}>{comment.likes > 0 ? text.count(comment.likes) : text.like}</span>
      </span>
    </>
  );
  if (!live) {
    // Without JavaScript (or before it runs): a one-button form; the server sends the reader back to the comment.
    return (
      <form className="like-form" method="post" action={`/articles/${props.slug}/comments/${comment.id}/like`}>
        <input type="hidden" name="liked" value={liked ? 'false' : 'true'} />
        <input type="hidden" name="sort" value={props.sort} />
        <button type="submit" className={`link-button action-link like-button${liked ? ' like-button-on' : ''}`} aria-pressed={liked} aria-label={label} data-likes={comment.likes}>
          {content}
        </button>
      </form>
    );
  }
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
          if (error) setProblem(text.likeFailed(error));
        }}
      >
        {content}
      </button>
      {problem ? (
        <span className="like-problem" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
