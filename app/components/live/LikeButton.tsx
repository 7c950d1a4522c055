'use client';

import { useState } from 'react';
import type { ClientComment } from '../../../lib/client/threadState';
import type { Sort } from '../../../lib/contract/api';
import { useTranslator } from '../../i18n/I18nProvider';
import { reactionText } from './reactionText';

/**
 * A comment's like toggle: pressed when this reader likes it. The count
 * changes at once and goes back if the server refuses; other readers' likes
 * arrive as events. A form, which posts without JavaScript and toggles in place once live.
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
  // Without JavaScript (or before it runs) the form posts, and the server sends the reader back to the comment; once
  // live the same form toggles in place. The same markup both ways: going live changes nothing on the page, so a
  // long thread going live does not rewrite a like button per comment.
  return (
    <>
      <form
        className="like-form"
        method="post"
        action={`/articles/${props.slug}/comments/${comment.id}/like${props.sort === 'oldest' ? '' : `?sort=${props.sort}`}`}
        onSubmit={
          live
            ? async (e) => {
                e.preventDefault();
                setProblem(null);
                const error = await onToggle(comment);
                if (error) setProblem(text.likeFailed(error));
              }
            : undefined
        }
      >
        {/* What the form sends is on its button and in its action: no hidden inputs, two elements fewer a comment on a long page. */}
        <button type="submit" name="liked" value={liked ? 'false' : 'true'} className={`link-button action-link like-button${liked ? ' like-button-on' : ''}`} aria-pressed={liked} aria-label={label} data-likes={comment.likes}>
          {content}
        </button>
      </form>
      {problem ? (
        <span className="like-problem" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
